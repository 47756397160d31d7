/**
 * Coalescing values exactly as Helm does (checked against Helm v4.1.4, quirks included).
 *
 * `coalesceValues(chart, user)` (Helm's CoalesceValues) lays a chart's defaults under the user's
 * values, then each subchart's defaults under the subchart's section (its name, which is the
 * alias after dependency processing), pushing the parent's `global` down first:
 * - at a chart's top level a user `null` deletes the key; in nested maps a user `null` deletes a
 *   default that is not itself `null` (a `null` over a `null`, or over nothing, stays); inside a
 *   subchart's section the parent leaves nulls alone, so the subchart's own pass applies them;
 * - maps merge recursively; a user map over a default scalar is kept with the warning
 *   `skipped value for …: Not a table.`; a scalar over a map, or a map over a scalar deeper down,
 *   keeps the user's side with Helm's warnings;
 * - globals: the parent's `global` entries win over the subchart section's own, maps merging;
 *   every subchart section gets a `global` map; the top chart gets none of its own making;
 * - a subchart section that is not a map is the error `type mismatch on NAME: %!t(…)`.
 * `mergeValues` (Helm's MergeValues) is the same walk that keeps every `null`.
 *
 * Nothing passed in is modified. Warnings go to a {@link ValuesLog} (Helm logs them at INFO).
 */
import type { Chart } from "../chart.ts";
import { formatValue } from "../engine/fmt.ts";
import { type GoMap, type GoValue, isGoMap, newGoMap } from "../engine/value.ts";

/** Receives Helm's log lines about values (`level`, message, slog attributes). */
export type ValuesLog = (level: "INFO" | "WARN" | "ERROR", msg: string, attrs?: [string, string][]) => void;

/** The default log: say nothing. */
export const silentLog: ValuesLog = () => {};

/** A values tree that cannot be coalesced (a subchart section that is not a map). */
export class CoalesceError extends Error {
  override name = "CoalesceError";
}

/** Deep copy of a values tree (maps and lists copied, scalars shared). */
export function copyValues<T extends GoValue>(v: T): T {
  if (Array.isArray(v)) return v.map(copyValues) as T;
  if (isGoMap(v)) {
    const m = newGoMap();
    for (const k of Object.keys(v)) m[k] = copyValues(v[k]!);
    return m as T;
  }
  return v;
}

function concatPrefix(a: string, b: string): string {
  return a === "" ? b : `${a}.${b}`;
}

/** Go's `%t` of a non-bool, as in `type mismatch on s: %!t(string=x)`. */
function goBadBool(v: GoValue): string {
  if (typeof v === "boolean") return String(v);
  if (v === null) return "%!t(<nil>)";
  // fmt applies the verb to each element of a slice.
  if (Array.isArray(v)) return `[${v.map((x) => (x === null ? "<nil>" : goBadBool(x))).join(" ")}]`;
  const type =
    typeof v === "string"
      ? "string"
      : typeof v === "number"
        ? "float64"
        : typeof v === "bigint"
          ? "int64"
          : Array.isArray(v)
            ? "[]interface {}"
            : "map[string]interface {}";
  return `%!t(${type}=${formatValue(v)})`;
}

interface Walk {
  merge: boolean;
  log: ValuesLog;
}

/**
 * Lay `src` (lower priority) under `dst` (higher priority), in place; returns `dst`.
 * `prefix` names the spot in warnings.
 */
function coalesceTables(dst: GoMap, src: GoMap, prefix: string, w: Walk): GoMap {
  for (const key of Object.keys(src)) {
    const sv = src[key]!;
    const fullKey = concatPrefix(prefix, key);
    if (!Object.hasOwn(dst, key)) {
      dst[key] = copyValues(sv);
      continue;
    }
    const dv = dst[key]!;
    if (dv === null) {
      if (!w.merge && sv !== null) delete dst[key];
      continue;
    }
    if (isGoMap(sv)) {
      if (isGoMap(dv)) coalesceTables(dv, sv, fullKey, w);
      else
        w.log("INFO", `warning: cannot overwrite table with non table for ${fullKey} (${formatValue(sv)})`);
    } else if (isGoMap(dv) && sv !== null) {
      w.log(
        "INFO",
        `warning: destination for ${fullKey} is a table. Ignoring non-table value (${formatValue(sv)})`,
      );
    }
  }
  return dst;
}

/**
 * Lay a chart's own defaults under `v` (the chart's section), in place. A subchart's section keeps
 * the user's nulls at this level: they are applied when the subchart itself is coalesced.
 */
function coalesceChartValues(chart: Chart, v: GoMap, prefix: string, w: Walk): void {
  const subPrefix = concatPrefix(prefix, chart.metadata.name);
  const subcharts = new Set(chart.dependencies.map((d) => d.metadata.name));
  for (const key of Object.keys(chart.values)) {
    const def = chart.values[key]!;
    if (!Object.hasOwn(v, key)) {
      v[key] = copyValues(def);
      continue;
    }
    const uv = v[key]!;
    if (uv === null) {
      if (!w.merge) delete v[key];
    } else if (isGoMap(uv)) {
      if (!isGoMap(def)) {
        if (def !== null) w.log("INFO", `warning: skipped value for ${subPrefix}.${key}: Not a table.`);
      } else {
        const walk = subcharts.has(key) ? { merge: true, log: w.log } : w;
        coalesceTables(uv, def, concatPrefix(subPrefix, key), walk);
      }
    }
  }
}

/** Push the parent's `global` into a subchart's section (`dest`); parent entries win. */
function coalesceGlobals(dest: GoMap, parent: GoMap, prefix: string, w: Walk): void {
  let dg: GoMap;
  const destGlobal = dest.global;
  if (destGlobal === undefined) dg = newGoMap();
  else if (isGoMap(destGlobal)) dg = destGlobal;
  else {
    w.log("INFO", "warning: skipping globals because destination global is not a table.");
    return;
  }
  let sg: GoMap;
  const srcGlobal = parent.global;
  if (srcGlobal === undefined) sg = newGoMap();
  else if (isGoMap(srcGlobal)) sg = srcGlobal;
  else {
    w.log("INFO", "warning: skipping globals because source global is not a table.");
    return;
  }
  for (const key of Object.keys(sg)) {
    const val = sg[key]!;
    if (isGoMap(val)) {
      const vv = copyValues(val);
      const destv = dg[key];
      if (destv === undefined) dg[key] = vv;
      else if (!isGoMap(destv)) {
        w.log("INFO", `Conflict: cannot merge map onto non-map for ${JSON.stringify(key)}. Skipping.`);
      } else {
        // The parent's map is the winner; the subchart's own entries fill in below it.
        coalesceTables(vv, destv, concatPrefix(prefix, key), { merge: true, log: w.log });
        dg[key] = vv;
      }
    } else if (isGoMap(dg[key])) {
      w.log("INFO", `key ${key} is table. Skipping`);
    } else {
      dg[key] = val;
    }
  }
  dest.global = dg;
}

function coalesceTree(chart: Chart, dest: GoMap, prefix: string, w: Walk): GoMap {
  coalesceChartValues(chart, dest, prefix, w);
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    if (!Object.hasOwn(dest, name)) dest[name] = newGoMap();
    const section = dest[name]!;
    if (!isGoMap(section)) throw new CoalesceError(`type mismatch on ${name}: ${goBadBool(section)}`);
    const subPrefix = concatPrefix(prefix, chart.metadata.name);
    coalesceGlobals(section, dest, subPrefix, w);
    dest[name] = coalesceTree(sub, section, subPrefix, w);
  }
  return dest;
}

/**
 * Helm's CoalesceValues: the chart's (and its subcharts') defaults under the user's values, nulls
 * from the user deleting defaults. Throws {@link CoalesceError}.
 */
export function coalesceValues(chart: Chart, userValues: GoMap | null, log: ValuesLog = silentLog): GoMap {
  return coalesceTree(chart, copyValues(userValues ?? newGoMap()), "", { merge: false, log });
}

/** Helm's MergeValues: like {@link coalesceValues}, but every `null` is kept. */
export function mergeValues(chart: Chart, userValues: GoMap | null, log: ValuesLog = silentLog): GoMap {
  return coalesceTree(chart, copyValues(userValues ?? newGoMap()), "", { merge: true, log });
}

/** Helm's CoalesceTables: `dst` (modified, returned) wins over `src`; user-style nulls delete. */
export function coalesceTablesInto(dst: GoMap, src: GoMap, log: ValuesLog = silentLog): GoMap {
  return coalesceTables(dst, src, "", { merge: false, log });
}

/** Helm's MergeTables: `dst` (modified, returned) wins over `src`; nulls are kept. */
export function mergeTablesInto(dst: GoMap, src: GoMap, log: ValuesLog = silentLog): GoMap {
  return coalesceTables(dst, src, "", { merge: true, log });
}

/** Why a path has no value, as Helm's Values.Table reports it. */
export class NoTableError extends Error {
  override name = "NoTableError";
}

/** Helm's Values.Table: walk `a.b.c` through maps; a missing or non-map step is an error. */
export function valuesTable(values: GoMap, path: string): GoMap {
  let table = values;
  for (const part of path.split(".")) {
    const next = table[part];
    if (next === undefined || !isGoMap(next))
      throw new NoTableError(`${JSON.stringify(part)} is not a table`);
    table = next;
  }
  return table;
}

/**
 * Helm's Values.PathValue: the value at `a.b.c` when it exists and is not a map (`null` counts as a
 * value); `undefined` otherwise.
 */
export function pathValue(values: GoMap, path: string): GoValue | undefined {
  const parts = path.split(".");
  const key = parts.pop()!;
  let table: GoMap;
  try {
    table = parts.length === 0 ? values : valuesTable(values, parts.join("."));
  } catch {
    return undefined;
  }
  if (!Object.hasOwn(table, key)) return undefined;
  const v = table[key]!;
  return isGoMap(v) ? undefined : v;
}

/** Format a log line as Helm 4's slog text handler prints it (`level=INFO msg="…" key=value`). */
export function formatSlog(level: string, msg: string, attrs: [string, string][] = []): string {
  const q = (s: string) =>
    s === "" || /[\s"=\\]|[^\x21-\x7e\u00a0-\uffff]/u.test(s) ? JSON.stringify(s) : s;
  return [`level=${level}`, `msg=${q(msg)}`, ...attrs.map(([k, v]) => `${k}=${q(v)}`)].join(" ");
}

export { processDependencies } from "../dependencies.ts";
