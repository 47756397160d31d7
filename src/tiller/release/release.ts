/**
 * A release as Helm 3/4 stores it: these interfaces mirror the JSON that real Helm writes into
 * `sh.helm.release.v1.NAME.vN` records (field names and nesting), so either tool reads the other's.
 */

/** Release states, as Helm spells them in JSON and in the `status` label. */
export type ReleaseStatus =
  | "unknown"
  | "deployed"
  | "uninstalled"
  | "superseded"
  | "failed"
  | "uninstalling"
  | "pending-install"
  | "pending-upgrade"
  | "pending-rollback";

export const RELEASE_STATUSES: readonly ReleaseStatus[] = [
  "unknown",
  "deployed",
  "uninstalled",
  "superseded",
  "failed",
  "uninstalling",
  "pending-install",
  "pending-upgrade",
  "pending-rollback",
];

/** True while an operation on the release has not finished. */
export function isPending(status: ReleaseStatus): boolean {
  return status.startsWith("pending-");
}

/** JSON value as it travels inside a release body (values, chart metadata annotations…). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ReleaseInfo {
  first_deployed?: string;
  last_deployed?: string;
  deleted?: string;
  description?: string;
  status: ReleaseStatus;
  notes?: string;
  resources?: JsonValue;
}

/** A file of the stored chart: its chart-relative name and base64 bytes. */
export interface StoredFile {
  name: string;
  data: string;
  modtime?: string;
}

/** The chart as Helm stores it in a release (subcharts are not stored, as in Helm). */
export interface StoredChart {
  metadata: { [key: string]: JsonValue };
  lock: JsonValue;
  templates: StoredFile[] | null;
  values: { [key: string]: JsonValue } | null;
  schema: string | null;
  schemamodtime?: string;
  files: StoredFile[] | null;
  modtime?: string;
}

export interface HookExecution {
  started_at?: string;
  completed_at?: string;
  phase: string;
}

export interface Hook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  last_run: HookExecution;
  weight?: number;
  delete_policies?: string[];
  output_log_policies?: string[];
}

export interface Release {
  name: string;
  info: ReleaseInfo;
  chart: StoredChart;
  config?: { [key: string]: JsonValue };
  manifest: string;
  hooks?: Hook[];
  version: number;
  namespace: string;
  /** "ssa" or "csa" (Helm 4); empty means client-side apply. */
  apply_method?: string;
  /** User labels: not part of the JSON body; stored as labels on the record. */
  labels?: Record<string, string>;
}
