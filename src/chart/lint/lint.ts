/**
 * `helm lint` as a service: lint each chart path (directory or `.tgz`, which is unpacked into a
 * temporary directory first) with every rule group, and report the findings in Helm's words.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { readChartArchive } from "../archive.ts";
import type { GoMap } from "../engine/value.ts";
import { loadFiles } from "../loader.ts";
import type { Capabilities } from "../render/builtins.ts";
import type { ValuesLog } from "../values/coalesce.ts";
import { lintChartfile } from "./chartfile.ts";
import { lintCrds } from "./crds.ts";
import { lintDependencies } from "./dependencies.ts";
import { formatLintMessage, Linter, type LintMessage, Severity } from "./support.ts";
import { lintTemplates } from "./templates.ts";
import { lintValues } from "./values.ts";

export interface LintOptions {
  userValues: GoMap;
  namespace: string;
  capabilities: Capabilities;
  /** Warnings fail the chart too. */
  strict: boolean;
  /** Print only charts with warnings or errors, and no INFO lines. */
  quiet: boolean;
  /** Also lint every chart found under each path's `charts/`. */
  withSubcharts: boolean;
  skipSchemaValidation: boolean;
  /** Where compiled schema validators are kept between runs. */
  schemaCacheDir?: string;
  /** Where Helm's log lines (values warnings, lint-mode `required`/`fail`) go. */
  log: ValuesLog;
}

/** What `helm lint` prints: the report for stdout, and the summary as an error when a chart failed. */
export interface LintReport {
  output: string;
  /** `N chart(s) linted, M chart(s) failed` when M > 0, else null. */
  failure: string | null;
}

/** Run every rule group on a chart directory. */
export function lintChartDir(dir: string, opts: LintOptions): Linter {
  const linter = new Linter(resolve(dir));
  lintChartfile(linter);
  lintValues(linter, opts.userValues, opts.skipSchemaValidation, opts.log);
  lintTemplates(linter, opts);
  lintDependencies(linter);
  lintCrds(linter);
  return linter;
}

/** Lint one path: the findings, or the one error that kept it from being linted. */
function lintPath(path: string, opts: LintOptions): { messages: LintMessage[] } | { error: string } {
  if (path.endsWith(".tgz") || path.endsWith(".tar.gz")) return lintArchive(path, opts);
  const chartYaml = join(path, "Chart.yaml");
  try {
    statSync(chartYaml);
  } catch (err) {
    return { error: `unable to check Chart.yaml file in chart: stat ${chartYaml}: ${statReason(err)}` };
  }
  return { messages: lintChartDir(path, opts).messages };
}

function statReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOTDIR") return "not a directory";
  if (code === "EACCES") return "permission denied";
  return "no such file or directory";
}

/** Unpack an archive into a fresh temporary directory (removed afterwards) and lint it there. */
function lintArchive(path: string, opts: LintOptions): { messages: LintMessage[] } | { error: string } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return { error: `unable to open tarball: open ${path}: ${statReason(err)}` };
  }
  const temp = mkdtempSync(join(tmpdir(), "helm-lint"));
  try {
    let chartDir: string;
    try {
      const files = readChartArchive(bytes);
      chartDir = join(temp, loadFiles(files).metadata.name);
      for (const f of files) {
        const dest = join(chartDir, f.name);
        mkdirSync(dirname(dest), { recursive: true });
        writeFileSync(dest, f.data);
      }
    } catch (err) {
      return { error: `unable to extract tarball: ${(err as Error).message}` };
    }
    return lintPath(chartDir, opts);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Every chart directory and archive below `path/charts`, in the order a lexical walk finds them. */
function subchartPaths(path: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = join(dir, entry);
      if (entry === "Chart.yaml") out.push(dir);
      else if (p.endsWith(".tgz") || p.endsWith(".tar.gz")) out.push(p);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        // A dangling link: nothing below it.
      }
      if (isDir) walk(p);
    }
  };
  walk(join(path, "charts"));
  return out;
}

/** Lint the given paths (`.` when none) and build Helm's report. */
export function lintCharts(paths: string[], opts: LintOptions): LintReport {
  const all = paths.length > 0 ? [...paths] : ["."];
  if (opts.withSubcharts) for (const p of [...all]) all.push(...subchartPaths(p));
  const tolerance = opts.strict ? Severity.Warning : Severity.Error;
  let output = "";
  let failed = 0;
  let withProblems = 0;
  for (const path of all) {
    const result = lintPath(path, opts);
    const messages = "messages" in result ? result.messages : [];
    const errors =
      "error" in result ? [result.error] : messages.filter((m) => m.severity >= tolerance && !m.advisory);
    const hasProblems = messages.some((m) => m.severity > Severity.Info) || errors.length > 0;
    if (hasProblems) withProblems++;
    if (opts.quiet && !hasProblems) continue;
    output += `==> Linting ${path}\n`;
    if ("error" in result) output += `Error ${result.error}\n`;
    for (const m of messages)
      if (!opts.quiet || m.severity > Severity.Info) output += `${formatLintMessage(m)}\n`;
    if (errors.length > 0) failed++;
    output += "\n";
  }
  const summary = `${all.length} chart(s) linted, ${failed} chart(s) failed`;
  if (failed > 0) return { output, failure: summary };
  if (!opts.quiet || withProblems > 0) output += `${summary}\n`;
  return { output, failure: null };
}
