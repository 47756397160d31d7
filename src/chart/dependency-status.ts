/**
 * `helm dependency list`: the dependencies a chart declares (Chart.yaml, or requirements.yaml for
 * apiVersion v1) with the state of each in `charts/`, in Helm's table, then warnings for what
 * `charts/` holds that is not a declared dependency. The STATUS values are Helm's: `ok` (a
 * matching archive), `unpacked` (a matching directory), `missing`, `wrong version`, `misnamed`
 * (an archive whose chart has another name), `corrupt` (an archive that does not load),
 * `invalid version`, `too many matches` (several `name-<semver>.tgz`) and `bad pattern`.
 */

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Chart, Dependency } from "./chart.ts";
import { goQuote } from "./engine/fmt.ts";
import { Constraint, parseSemver } from "./engine/funcs/semver.ts";
import { type LoadOptions, loadChart } from "./loader.ts";
import { formatTable } from "./uitable.ts";

/** Masterminds' StrictNewVersion: exactly MAJOR.MINOR.PATCH, optional pre-release and build. */
function isStrictSemver(v: string): boolean {
  const m =
    /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.exec(
      v,
    );
  if (!m) return false;
  return (m[4] ?? "").split(".").every((id) => !/^0[0-9]+$/.test(id));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A Go filepath.Match pattern as a RegExp; null for a malformed pattern (Go's ErrBadPattern). */
export function globRegExp(pattern: string): RegExp | null {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      if (i + 1 >= pattern.length) return null;
      re += escapeRegExp(pattern[++i]!);
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      if (body === "" || /(^-|-$)/.test(body)) return null;
      re += `[${negate ? "^/" : ""}${body.replace(/[\]\\^]/g, "\\$&")}]`;
      i = end;
    } else re += escapeRegExp(c);
  }
  try {
    return new RegExp(`^${re}$`, "u");
  } catch {
    return null;
  }
}

/** Go's filepath.Glob over one directory: matching names, sorted, as paths under `dir`. */
function globIn(dir: string, pattern: string): string[] | null {
  const re = globRegExp(pattern);
  if (re === null) return null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => re.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** "" when the version satisfies the dependency, else the status Helm shows. */
function versionStatus(dep: Dependency, version: string): string {
  if (version === dep.version) return "";
  let constraint: Constraint;
  try {
    constraint = new Constraint(dep.version);
  } catch {
    return "invalid version";
  }
  let parsed: ReturnType<typeof parseSemver>;
  try {
    parsed = parseSemver(version);
  } catch {
    return "invalid version";
  }
  return constraint.check(parsed) ? "" : "wrong version";
}

function archiveStatus(archive: string, dep: Dependency): string {
  try {
    statSync(archive);
  } catch {
    return "";
  }
  let chart: Chart;
  try {
    chart = loadChart(archive);
  } catch {
    return "corrupt";
  }
  if (chart.metadata.name !== dep.name) return "misnamed";
  return versionStatus(dep, chart.metadata.version) || "ok";
}

/** The STATUS of one declared dependency of `parent`, loaded from `chartPath`. */
export function dependencyStatus(chartPath: string, dep: Dependency, parent: Chart): string {
  const archives = globIn(join(chartPath, "charts"), `${dep.name}-*.tgz`);
  if (archives === null) return "bad pattern";
  if (archives.length > 1) {
    const found = archives.filter((a) => {
      const base = a.slice(a.lastIndexOf("/") + 1).replace(/\.tgz$/, "");
      return isStrictSemver(base.startsWith(`${dep.name}-`) ? base.slice(dep.name.length + 1) : base);
    });
    if (found.length === 1) {
      const status = archiveStatus(found[0]!, dep);
      if (status !== "") return status;
    } else if (found.length > 1) return "too many matches";
  } else if (archives.length === 1) {
    const status = archiveStatus(archives[0]!, dep);
    if (status !== "") return status;
  }
  const loaded = parent.dependencies.filter((c) => c.metadata.name === dep.name).at(-1);
  if (loaded === undefined) return "missing";
  return versionStatus(dep, loaded.metadata.version) || "unpacked";
}

/** uitable's text without the final newline. */
function uitable(rows: string[][], maxColWidth: number): string {
  return formatTable(rows, maxColWidth).slice(0, -1);
}

/** Warnings for what `charts/` holds that is not a declared dependency (or not a chart). */
function missingWarnings(chartPath: string, deps: Dependency[], opts: LoadOptions): string {
  let out = "";
  for (const path of globIn(join(chartPath, "charts"), "*") ?? []) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      out += `Warning: ${(err as Error).message}\n`;
      continue;
    }
    if (!isDir && !path.endsWith(".tgz")) continue;
    let name: string;
    try {
      name = loadChart(path, opts).metadata.name;
    } catch {
      out += `WARNING: ${goQuote(path)} is not a chart.\n`;
      continue;
    }
    if (!deps.some((d) => d.name === name)) out += `WARNING: ${goQuote(path)} is not in Chart.yaml.\n`;
  }
  return out;
}

/** The whole output of `helm dependency list CHART`. */
export function listDependencies(chartPath: string, maxColWidth: number, opts: LoadOptions = {}): string {
  const chart = loadChart(chartPath, opts);
  const deps = chart.metadata.dependencies;
  if (deps === null) return `WARNING: no dependencies at ${join(chartPath, "charts")}\n`;
  const rows = [["NAME", "VERSION", "REPOSITORY", "STATUS"]];
  for (const d of deps) rows.push([d.name, d.version, d.repository, dependencyStatus(chartPath, d, chart)]);
  return `${uitable(rows, maxColWidth)}\n\n${missingWarnings(chartPath, deps, opts)}`;
}
