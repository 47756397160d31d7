/**
 * A loaded chart as a release stores it, in Helm's JSON shape: Chart.yaml's fields under their
 * JSON names with Go's `omitempty`, the lock, templates and files as base64, parsed default values
 * and the schema. Subcharts are not stored (Helm does not store them either), which is why
 * rollback re-applies a stored manifest rather than rendering again.
 */
import type { Chart, ChartFile, ChartLock, ChartMetadata, Dependency } from "../../chart/chart.ts";
import { emptyMetadata } from "../../chart/chart.ts";
import { type GoMap, type GoValue, isGoMap, newGoMap } from "../../chart/engine/value.ts";
import type { JsonValue, StoredChart, StoredFile } from "./release.ts";

type JsonObject = { [key: string]: JsonValue };

/** A value of the template engine's model as JSON (ints and floats both become numbers). */
export function goToJson(v: GoValue): JsonValue {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map(goToJson);
  if (isGoMap(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) out[k] = goToJson(v[k] as GoValue);
    return out;
  }
  return String(v);
}

/** JSON decoded as Helm decodes a stored release: every number is a float64. */
export function jsonToGo(v: JsonValue | undefined): GoValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(jsonToGo);
  if (typeof v === "object") {
    const m = newGoMap();
    for (const k of Object.keys(v)) m[k] = jsonToGo(v[k]);
    return m;
  }
  return v;
}

/** A JSON object as a GoMap (an absent or non-object value gives an empty map). */
export function jsonToGoMap(v: JsonValue | undefined): GoMap {
  const g = jsonToGo(v);
  return isGoMap(g) ? g : newGoMap();
}

function omitEmpty(entries: [string, JsonValue | undefined][]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of entries) {
    if (v === undefined || v === "" || v === false || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

function dependencyJson(d: Dependency): JsonObject {
  return {
    name: d.name,
    ...omitEmpty([["version", d.version]]),
    repository: d.repository,
    ...omitEmpty([
      ["condition", d.condition],
      ["tags", d.tags],
      ["enabled", d.enabled],
      ["import-values", d.importValues.map(goToJson)],
      ["alias", d.alias],
    ]),
  };
}

function metadataJson(md: ChartMetadata): JsonObject {
  return omitEmpty([
    ["name", md.name],
    ["home", md.home],
    ["sources", md.sources],
    ["version", md.version],
    ["description", md.description],
    ["keywords", md.keywords],
    [
      "maintainers",
      md.maintainers.map((m) =>
        omitEmpty([
          ["name", m.name],
          ["email", m.email],
          ["url", m.url],
        ]),
      ),
    ],
    ["icon", md.icon],
    ["apiVersion", md.apiVersion],
    ["condition", md.condition],
    ["tags", md.tags],
    ["appVersion", md.appVersion],
    ["deprecated", md.deprecated],
    ["annotations", md.annotations],
    ["kubeVersion", md.kubeVersion],
    ["dependencies", (md.dependencies ?? []).map(dependencyJson)],
    ["type", md.type],
  ]);
}

function lockJson(lock: ChartLock | null): JsonValue {
  if (!lock) return null;
  return {
    generated: lock.generated,
    digest: lock.digest,
    dependencies: lock.dependencies.map(dependencyJson),
  };
}

function fileJson(f: ChartFile): StoredFile {
  return { name: f.name, data: Buffer.from(f.data).toString("base64") };
}

/** The chart as the release record stores it. */
export function storedChart(chart: Chart): StoredChart {
  return {
    metadata: metadataJson(chart.metadata),
    lock: lockJson(chart.lock),
    templates: chart.templates.map(fileJson),
    values: goToJson(chart.values) as JsonObject,
    schema: chart.schema ? Buffer.from(chart.schema).toString("base64") : null,
    files: chart.files.map(fileJson),
  };
}

function str(v: JsonValue | undefined): string {
  return typeof v === "string" ? v : "";
}

/** Enough of a chart back from a record to coalesce values and show its metadata (no subcharts). */
export function chartFromStored(stored: StoredChart): Chart {
  const m = stored.metadata ?? {};
  const md: ChartMetadata = {
    ...emptyMetadata(),
    name: str(m.name),
    version: str(m.version),
    appVersion: str(m.appVersion),
    description: str(m.description),
    apiVersion: str(m.apiVersion),
    type: str(m.type),
    kubeVersion: str(m.kubeVersion),
  };
  const file = (f: StoredFile): ChartFile => ({ name: f.name, data: Buffer.from(f.data, "base64") });
  return {
    metadata: md,
    lock: null,
    templates: (stored.templates ?? []).map(file),
    values: jsonToGoMap(stored.values ?? undefined),
    schema: stored.schema ? Buffer.from(stored.schema, "base64") : null,
    files: (stored.files ?? []).map(file),
    raw: [],
    dependencies: [],
    parent: null,
  };
}

/** `NAME-VERSION`, as Helm's tables show a release's chart. */
export function chartLabel(stored: StoredChart): string {
  return `${str(stored.metadata?.name)}-${str(stored.metadata?.version)}`;
}

/** The chart's appVersion. */
export function chartAppVersion(stored: StoredChart): string {
  return str(stored.metadata?.appVersion);
}
