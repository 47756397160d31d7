/**
 * Coalescing values as Helm does: the user's values win over the chart's defaults, maps merge
 * recursively, a `null` from the user deletes the key, each subchart gets its section (under its
 * name or alias) merged with its own defaults, and `global` flows from parent to subcharts.
 */
import type { Chart } from "../chart.ts";
import { deepCopy } from "../engine/funcs/collections.ts";
import { type GoMap, type GoValue, isGoMap, newGoMap } from "../engine/value.ts";

/** Merge chart defaults `src` under user values `dst` (dst wins; null in dst deletes). */
function coalesceTables(dst: GoMap, src: GoMap): GoMap {
  for (const key of Object.keys(src)) {
    const sv = src[key]!;
    if (!Object.hasOwn(dst, key)) {
      dst[key] = deepCopy(sv);
      continue;
    }
    const dv = dst[key]!;
    if (dv === null) {
      delete dst[key];
    } else if (isGoMap(dv) && isGoMap(sv)) {
      coalesceTables(dv, sv);
    }
  }
  return dst;
}

/** Copy the parent's globals into a subchart's values (the subchart's own settings win). */
function coalesceGlobals(sub: GoMap, parent: GoMap): void {
  const pg = parent.global;
  if (!isGoMap(pg)) return;
  const sg = isGoMap(sub.global) ? sub.global : newGoMap();
  for (const key of Object.keys(pg)) {
    const pv = pg[key]!;
    if (!Object.hasOwn(sg, key)) sg[key] = deepCopy(pv);
    else if (isGoMap(sg[key]) && isGoMap(pv)) coalesceTables(sg[key] as GoMap, pv);
  }
  sub.global = sg;
}

/** The values of `chart` for a render: user values over defaults, recursively into subcharts. */
export function coalesceValues(chart: Chart, userValues: GoMap): GoMap {
  return coalesceInto(chart, deepCopy(userValues) as GoMap);
}

function coalesceInto(chart: Chart, dest: GoMap): GoMap {
  coalesceTables(dest, chart.values);
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    const section: GoValue = Object.hasOwn(dest, name) ? dest[name]! : newGoMap();
    const subValues = isGoMap(section) ? section : newGoMap();
    coalesceGlobals(subValues, dest);
    dest[name] = coalesceInto(sub, subValues);
  }
  return dest;
}

/** Look a dotted path (`a.b.c`) up in values. */
export function pathValue(values: GoMap, path: string): GoValue | undefined {
  let cur: GoValue = values;
  for (const part of path.split(".")) {
    if (!isGoMap(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part]!;
  }
  return cur;
}

/**
 * Apply Chart.yaml dependencies: aliases (a renamed copy of the subchart), and `condition` /
 * `tags` to drop disabled subcharts. Returns a new chart tree; the input is unchanged.
 */
export function processDependencies(chart: Chart, userValues: GoMap): Chart {
  const deps = chart.metadata.dependencies ?? [];
  let subcharts = chart.dependencies;
  if (deps.length > 0) {
    const byName = new Map(chart.dependencies.map((c) => [c.metadata.name, c]));
    const listed = new Set<string>();
    const result: Chart[] = [];
    for (const d of deps) {
      const sub = byName.get(d.name);
      if (!sub) continue;
      listed.add(d.name);
      result.push(d.alias ? { ...sub, metadata: { ...sub.metadata, name: d.alias } } : sub);
    }
    for (const c of chart.dependencies) if (!listed.has(c.metadata.name)) result.push(c);
    subcharts = result;
  }
  const values = coalesceValues({ ...chart, dependencies: subcharts }, userValues);
  const enabled = subcharts.filter((sub) => {
    const dep = deps.find((d) => (d.alias || d.name) === sub.metadata.name);
    if (!dep) return true;
    if (dep.condition) {
      for (const path of dep.condition.split(",").map((p) => p.trim())) {
        const v = pathValue(values, path);
        if (typeof v === "boolean") return v;
      }
    }
    if (dep.tags && dep.tags.length > 0) {
      const tags = isGoMap(values.tags) ? values.tags : newGoMap();
      const states = dep.tags.map((t) => tags[t]).filter((v): v is boolean => typeof v === "boolean");
      if (states.length > 0) return states.some(Boolean);
    }
    // Neither a condition nor a tag decided: the subchart is enabled, as in Helm.
    return true;
  });
  // Each subchart's own dependencies are decided by its section of the coalesced values.
  return {
    ...chart,
    dependencies: enabled.map((sub) => {
      const section = values[sub.metadata.name];
      return processDependencies(sub, isGoMap(section) ? section : newGoMap());
    }),
  };
}
