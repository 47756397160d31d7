/**
 * Dependency processing before rendering, as Helm v4 does it (ProcessDependenciesWithMerge),
 * returning a new chart tree and leaving the input untouched:
 *
 * 1. Per chart that declares `dependencies` (Chart.yaml, or requirements.yaml for v1), top down:
 *    a subchart matched by a declared entry (same name, version satisfying the entry's constraint)
 *    is replaced by a copy named after the entry's alias, if any — one copy per entry; subcharts
 *    no entry matches stay as they are. Then, on the values coalesced so far: `tags` (top-level
 *    `tags` map: any true tag enables, otherwise any false tag disables) and then `condition`
 *    (comma-separated paths, tried in order, the first that holds a bool decides) switch entries
 *    on or off; disabled entries and the subcharts of the same name are dropped. Charts that
 *    declare nothing are not descended into.
 * 2. Bottom up, per chart that still declares dependencies: `import-values` copy tables from the
 *    subcharts' defaults into the parent (`data` means `exports.data` into the root; `{child,
 *    parent}` maps a path to a path), below the parent's own values, and the chart's defaults
 *    become the merged tree of itself and its subcharts (nulls kept).
 *
 * Non-bool condition/tag values and missing import tables are logged as Helm logs them.
 */
import type { Chart, ChartMetadata, Dependency } from "./chart.ts";
import { formatValue } from "./engine/fmt.ts";
import { type GoMap, type GoValue, isGoMap, newGoMap } from "./engine/value.ts";
import {
  coalesceValues,
  copyValues,
  mergeTablesInto,
  mergeValues,
  NoTableError,
  pathValue,
  silentLog,
  type ValuesLog,
  valuesTable,
} from "./values/coalesce.ts";
import { isCompatibleRange } from "./version-range.ts";

function copyDependency(d: Dependency): Dependency {
  return { ...d, tags: [...d.tags], importValues: d.importValues.map(copyValues) };
}

function copyMetadata(md: ChartMetadata): ChartMetadata {
  return {
    ...md,
    dependencies: md.dependencies === null ? null : md.dependencies.map(copyDependency),
  };
}

/** A copy of a chart tree whose metadata and dependency lists can be changed freely. */
function copyTree(chart: Chart, parent: Chart | null): Chart {
  const out: Chart = { ...chart, metadata: copyMetadata(chart.metadata), parent, dependencies: [] };
  out.dependencies = chart.dependencies.map((d) => copyTree(d, out));
  return out;
}

/** The subchart an entry selects, copied and renamed to the alias (Helm's getAliasDependency). */
function aliasDependency(subcharts: Chart[], dep: Dependency, parent: Chart): Chart | null {
  for (const c of subcharts) {
    if (c.metadata.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version, c.metadata.version)) continue;
    const copy = copyTree(c, parent);
    if (dep.alias !== "") copy.metadata.name = dep.alias;
    return copy;
  }
  return null;
}

function processTags(deps: Dependency[], values: GoMap, log: ValuesLog): void {
  const tags = values.tags;
  if (tags === undefined || !isGoMap(tags)) return;
  for (const d of deps) {
    let hasTrue = false;
    let hasFalse = false;
    for (const t of d.tags) {
      if (!Object.hasOwn(tags, t)) continue;
      const v = tags[t];
      if (typeof v === "boolean") {
        if (v) hasTrue = true;
        else hasFalse = true;
      } else {
        log("WARN", "returned non-bool value", [
          ["tag", t],
          ["chart", d.name],
        ]);
      }
    }
    if (!hasTrue && hasFalse) d.enabled = false;
    else if (hasTrue || !hasFalse) d.enabled = true;
  }
}

function processConditions(deps: Dependency[], values: GoMap, path: string, log: ValuesLog): void {
  for (const d of deps) {
    for (const c of d.condition.trim().split(",")) {
      if (c === "") continue;
      const v = pathValue(values, path + c);
      if (v === undefined) continue;
      if (typeof v === "boolean") {
        d.enabled = v;
        break;
      }
      log("WARN", "returned non-bool value", [
        ["path", c],
        ["chart", d.name],
      ]);
    }
  }
}

/** Step 1 on one chart (mutating the copied tree), then its kept subcharts. */
function processEnabled(chart: Chart, values: GoMap, path: string, log: ValuesLog): void {
  const deps = chart.metadata.dependencies;
  if (deps === null) return;
  const kept = chart.dependencies.filter(
    (existing) =>
      !deps.some(
        (d) => existing.metadata.name === d.name && isCompatibleRange(d.version, existing.metadata.version),
      ),
  );
  for (const d of deps) {
    const selected = aliasDependency(chart.dependencies, d, chart);
    if (selected) kept.push(selected);
    if (d.alias !== "") d.name = d.alias;
  }
  chart.dependencies = kept;
  for (const d of deps) d.enabled = true;
  const cvals = coalesceValues(chart, values, log);
  processTags(deps, cvals, log);
  processConditions(deps, cvals, path, log);
  const disabled = new Set(deps.filter((d) => !d.enabled).map((d) => d.name));
  chart.dependencies = chart.dependencies.filter((c) => !disabled.has(c.metadata.name));
  const remaining = deps.filter((d) => !disabled.has(d.name));
  for (const sub of chart.dependencies) processEnabled(sub, cvals, `${path}${sub.metadata.name}.`, log);
  chart.metadata.dependencies = remaining.length > 0 ? remaining : null;
}

/** Go's fmt `%v` of an import-values field. */
function sprintV(v: GoValue | undefined): string {
  return formatValue(v === undefined ? null : v);
}

/** `{a: {b: data}}` for `a.b`; the data itself for `.`. */
function pathToMap(path: string, data: GoMap): GoMap {
  if (path === ".") return data;
  let cur: GoMap = data;
  const parts = path.split(".");
  for (let i = parts.length - 1; i >= 0; i--) {
    const m = newGoMap();
    m[parts[i]!] = cur;
    cur = m;
  }
  return cur;
}

/** Step 2 on one chart, after its subcharts. */
function processImports(chart: Chart, log: ValuesLog): void {
  for (const sub of chart.dependencies) processImports(sub, log);
  const deps = chart.metadata.dependencies;
  if (deps === null) return;
  const cvals = mergeValues(chart, null, log);
  let imported = newGoMap();
  for (const d of deps) {
    const canonical: GoValue[] = [];
    for (const iv of d.importValues) {
      if (isGoMap(iv)) {
        const child = sprintV(iv.child);
        const parent = sprintV(iv.parent);
        canonical.push(Object.assign(newGoMap(), { child, parent }));
        let table: GoMap;
        try {
          table = valuesTable(cvals, `${d.name}.${child}`);
        } catch (err) {
          if (!(err instanceof NoTableError)) throw err;
          log("WARN", "ImportValues missing table from chart", [
            ["chart", d.name],
            ["error", err.message],
          ]);
          continue;
        }
        imported = mergeTablesInto(imported, pathToMap(parent, copyValues(table)), log);
      } else if (typeof iv === "string") {
        const child = `exports.${iv}`;
        canonical.push(Object.assign(newGoMap(), { child, parent: "." }));
        let table: GoMap;
        try {
          table = valuesTable(cvals, `${d.name}.${child}`);
        } catch (err) {
          if (!(err instanceof NoTableError)) throw err;
          log("WARN", "ImportValues missing table", [["error", err.message]]);
          continue;
        }
        imported = mergeTablesInto(imported, copyValues(table), log);
      }
    }
    d.importValues = canonical;
  }
  // The parent's own values win over what it imports.
  chart.values = mergeTablesInto(copyValues(cvals), imported, log);
}

/**
 * Helm's ProcessDependenciesWithMerge on a copy of `chart`: subcharts enabled or disabled by
 * conditions and tags, aliases applied, import-values applied. `userValues` are the user's values
 * (from -f and --set). Throws {@link CoalesceError} like Helm.
 */
export function processDependencies(
  chart: Chart,
  userValues: GoMap | null,
  log: ValuesLog = silentLog,
): Chart {
  const root = copyTree(chart, chart.parent);
  processEnabled(root, userValues ?? newGoMap(), "", log);
  processImports(root, log);
  return root;
}

export { isCompatibleRange } from "./version-range.ts";

/** Declared dependencies with no chart in `charts/` (Helm's CheckDependencies); names, in order. */
export function missingDependencies(chart: Chart): string[] {
  const deps = chart.metadata.dependencies ?? [];
  const present = new Set(chart.dependencies.map((c) => c.metadata.name));
  return deps.filter((d) => !present.has(d.name)).map((d) => d.name);
}
