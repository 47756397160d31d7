/**
 * Chart metadata in Helm's JSON shape (Go's json.Marshal of its Metadata struct): field order as
 * declared, `omitempty` fields left out when empty. Release records, OCI config blobs and
 * provenance files all carry this form.
 */
import type { ChartMetadata, Dependency } from "./chart.ts";
import { type GoValue, isGoMap, newGoMap } from "./engine/value.ts";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

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

/** A dependency as Go's json.Marshal writes it. */
export function dependencyJson(d: Dependency): JsonObject {
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

/** Chart.yaml's metadata as Go's json.Marshal writes it (field order and `omitempty` as Helm's struct). */
export function metadataJson(md: ChartMetadata): JsonObject {
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
    // Go writes a map's keys sorted.
    [
      "annotations",
      md.annotations &&
        Object.fromEntries(Object.entries(md.annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    ],
    ["kubeVersion", md.kubeVersion],
    ["dependencies", (md.dependencies ?? []).map(dependencyJson)],
    ["type", md.type],
  ]);
}
