/**
 * The chart model, structured as Helm structures a loaded chart: metadata from Chart.yaml (or,
 * for apiVersion v1, with dependencies from requirements.yaml), the lock file, templates, parsed
 * default values, the values schema, every other file, the loaded subcharts and a link to the
 * parent. Fields that Helm leaves at Go's zero value are `""`, `false` or `[]` here.
 */
import { type GoMap, type GoValue, newGoMap, withMethods } from "./engine/value.ts";

/** A file of a chart: its chart-relative path (always with `/`) and its bytes. */
export interface ChartFile {
  name: string;
  data: Uint8Array;
  /**
   * Modification time in Unix seconds (rounded to the nearest second, as Go's tar writer rounds),
   * when the file came from disk or an archive; `helm package` writes it into the archive.
   */
  modTime?: number;
}

/** A maintainer entry of Chart.yaml. */
export interface Maintainer {
  name: string;
  email: string;
  url: string;
}

/** A dependency entry of Chart.yaml `dependencies` (v2) or requirements.yaml (v1), or of a lock file. */
export interface Dependency {
  name: string;
  /** A version constraint (Masterminds syntax), e.g. `~1.2.3` or `2.x.x`. */
  version: string;
  repository: string;
  /** Comma-separated values paths; the first that resolves to a bool decides. */
  condition: string;
  tags: string[];
  /** Set by dependency processing. */
  enabled: boolean;
  /** `import-values`: strings (`data` = `exports.data`) or `{child, parent}` maps, as written. */
  importValues: GoValue[];
  alias: string;
}

/** Chart.yaml, with Helm's field set. */
export interface ChartMetadata {
  name: string;
  home: string;
  sources: string[];
  version: string;
  description: string;
  keywords: string[];
  maintainers: Maintainer[];
  icon: string;
  apiVersion: string;
  condition: string;
  tags: string;
  appVersion: string;
  deprecated: boolean;
  /** `null` when Chart.yaml has no `annotations`. */
  annotations: Record<string, string> | null;
  kubeVersion: string;
  /**
   * Declared dependencies; `null` when Chart.yaml has none (Go's nil), which Helm treats
   * differently from an empty list: a chart with `null` is not descended into when processing.
   */
  dependencies: Dependency[] | null;
  /** `application`, `library` or `""`. */
  type: string;
}

/** Chart.lock (v2) or requirements.lock (v1). */
export interface ChartLock {
  /** RFC 3339 time as written. */
  generated: string;
  digest: string;
  dependencies: Dependency[];
}

/** A loaded chart. */
export interface Chart {
  metadata: ChartMetadata;
  lock: ChartLock | null;
  /** Everything under `templates/` (helpers and NOTES.txt included), in load order. */
  templates: ChartFile[];
  /** Parsed values.yaml (Helm's value model: numbers are float64). */
  values: GoMap;
  /** values.schema.json bytes, when present. */
  schema: Uint8Array | null;
  /** Every other file (README, crds/, files read through `.Files`, subchart `.prov` files). */
  files: ChartFile[];
  /** Every file as loaded, including Chart.yaml, values.yaml and templates (not subcharts'). */
  raw: ChartFile[];
  /** Subcharts from `charts/`, loaded. */
  dependencies: Chart[];
  /** The chart whose `charts/` holds this one; `null` for the top chart. */
  parent: Chart | null;
}

/** Chart API versions Helm accepts. */
export const API_VERSION_V1 = "v1";
export const API_VERSION_V2 = "v2";

/** `type: library` charts render no objects, only named templates. */
export function isLibraryChart(chart: Chart): boolean {
  return chart.metadata.type === "library";
}

/** True for the top chart. */
export function isRoot(chart: Chart): boolean {
  return chart.parent === null;
}

/** Helm's ChartFullPath: `top/charts/sub/charts/subsub`. */
export function chartFullPath(chart: Chart): string {
  return chart.parent ? `${chartFullPath(chart.parent)}/charts/${chart.metadata.name}` : chart.metadata.name;
}

/** The CRD files of a chart (`crds/*.yaml|yml|json`), not its subcharts'. */
export function crdFiles(chart: Chart): ChartFile[] {
  return chart.files.filter((f) => f.name.startsWith("crds/") && /\.(ya?ml|json)$/.test(f.name));
}

/** An empty dependency entry (Go's zero value). */
export function emptyDependency(): Dependency {
  return {
    name: "",
    version: "",
    repository: "",
    condition: "",
    tags: [],
    enabled: false,
    importValues: [],
    alias: "",
  };
}

/** Empty metadata (Go's zero value). */
export function emptyMetadata(): ChartMetadata {
  return {
    name: "",
    home: "",
    sources: [],
    version: "",
    description: "",
    keywords: [],
    maintainers: [],
    icon: "",
    apiVersion: "",
    condition: "",
    tags: "",
    appVersion: "",
    deprecated: false,
    annotations: null,
    kubeVersion: "",
    dependencies: null,
    type: "",
  };
}

function goMap(entries: Record<string, GoValue>): GoMap {
  return Object.assign(newGoMap(), entries);
}

/**
 * `.Chart` as Helm 4 gives it to templates: a `map[string]interface {}` of the metadata under Go's
 * field names (lists are `[]interface {}`, maintainers and dependencies maps, annotations a
 * `map[string]string` or nil), plus `IsRoot`.
 */
export function chartValue(md: ChartMetadata, isRoot: boolean): GoMap {
  const annotations =
    md.annotations === null
      ? null
      : withMethods(goMap({ ...md.annotations }), { goType: "map[string]string", methods: {} });
  return goMap({
    APIVersion: md.apiVersion,
    Annotations: annotations,
    AppVersion: md.appVersion,
    Condition: md.condition,
    Dependencies: (md.dependencies ?? []).map((d) =>
      goMap({
        Alias: d.alias,
        Condition: d.condition,
        Enabled: d.enabled,
        ImportValues: [...d.importValues],
        Name: d.name,
        Repository: d.repository,
        Tags: [...d.tags],
        Version: d.version,
      }),
    ),
    Deprecated: md.deprecated,
    Description: md.description,
    Home: md.home,
    Icon: md.icon,
    IsRoot: isRoot,
    Keywords: [...md.keywords],
    KubeVersion: md.kubeVersion,
    Maintainers: md.maintainers.map((m) => goMap({ Email: m.email, Name: m.name, URL: m.url })),
    Name: md.name,
    Sources: [...md.sources],
    Tags: md.tags,
    Type: md.type,
    Version: md.version,
  });
}
