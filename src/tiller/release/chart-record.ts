/**
 * A loaded chart as a release stores it, in Helm's JSON shape: Chart.yaml's fields under their
 * JSON names with Go's `omitempty`, the lock, templates and files as base64, parsed default values
 * and the schema. Subcharts are not stored (Helm does not store them either), which is why
 * rollback re-applies a stored manifest rather than rendering again.
 */
import type { Chart, ChartFile, ChartLock, ChartMetadata } from "../../chart/chart.ts";
import { emptyMetadata } from "../../chart/chart.ts";
import { type GoMap, isGoMap, newGoMap } from "../../chart/engine/value.ts";
import { dependencyJson, goToJson, jsonToGo, metadataJson } from "../../chart/metadata-json.ts";

export { goToJson, jsonToGo };

import type { JsonValue, StoredChart, StoredFile } from "./release.ts";

type JsonObject = { [key: string]: JsonValue };

/** A JSON object as a GoMap (an absent or non-object value gives an empty map). */
export function jsonToGoMap(v: JsonValue | undefined): GoMap {
  const g = jsonToGo(v);
  return isGoMap(g) ? g : newGoMap();
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
