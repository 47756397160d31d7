/**
 * The chart model, as Helm structures a loaded chart: metadata from Chart.yaml, the templates,
 * default values, schema, other files, and subcharts (loaded from `charts/`).
 */
import type { GoMap } from "./engine/value.ts";

/** A file of the chart: its chart-relative path (with `/`) and bytes. */
export interface ChartFile {
  name: string;
  data: Uint8Array;
}

/** A dependency entry of Chart.yaml (or requirements.yaml for apiVersion v1 charts). */
export interface Dependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  "import-values"?: unknown[];
  alias?: string;
}

export interface Maintainer {
  name?: string;
  email?: string;
  url?: string;
}

/** Chart.yaml. */
export interface ChartMetadata {
  apiVersion?: string;
  name: string;
  version: string;
  home?: string;
  sources?: string[];
  description?: string;
  keywords?: string[];
  maintainers?: Maintainer[];
  icon?: string;
  condition?: string;
  tags?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  kubeVersion?: string;
  dependencies?: Dependency[];
  type?: string;
}

export interface Chart {
  metadata: ChartMetadata;
  /** Chart.lock / requirements.lock, as parsed. */
  lock: GoMap | null;
  /** Everything under `templates/`. */
  templates: ChartFile[];
  /** Parsed values.yaml (Helm's value model). */
  values: GoMap;
  /** values.schema.json, when present. */
  schema: Uint8Array | null;
  /** Every other file (README, crds/, files read through `.Files`). */
  files: ChartFile[];
  /** Subcharts from `charts/`, loaded. */
  dependencies: Chart[];
}

/** `type: library` charts render no objects, only named templates. */
export function isLibraryChart(chart: Chart): boolean {
  return chart.metadata.type === "library";
}
