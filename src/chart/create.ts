/**
 * `helm create NAME`: write a new chart directory from helm-ts's scaffold, or from a starter chart
 * (a name under `$HELM_DATA_HOME/starters`, or an absolute path) whose templates and values.yaml
 * get the new name in place of `<CHARTNAME>`, with Helm's fresh Chart.yaml, as Helm does. Errors
 * and the "already exists. Overwriting." warnings are Helm's.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { Chart, ChartMetadata } from "./chart.ts";
import { emptyMetadata } from "./chart.ts";
import { goQuote } from "./engine/fmt.ts";
import { loadChart } from "./loader.ts";
import { metadataYaml } from "./metadata-yaml.ts";
import { chartArchive, goErrnoText } from "./package.ts";
import { SCAFFOLD } from "./scaffold/files.ts";

export interface CreateOptions {
  /** The NAME argument: a path whose last element is the chart's name. */
  name: string;
  /** `-p/--starter`: a starter name or an absolute path. */
  starter?: string;
  /** `$HELM_DATA_HOME/starters`. */
  starterDir: string;
  /** Where Helm's warnings go (Helm writes them to stdout). */
  warn: (line: string) => void;
}

const CHART_NAME = /^[a-zA-Z0-9._-]+$/;

/** Go's filepath.Base. */
function goBase(p: string): string {
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return p === "" ? "." : "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Go's filepath.Dir (cleaned, `.` when there is no directory part). */
function goDir(p: string): string {
  const i = p.lastIndexOf("/");
  if (i < 0) return ".";
  const d = p.slice(0, i);
  return d === "" ? "/" : join(d);
}

function replaceName(text: string, name: string): string {
  return text.replaceAll("<CHARTNAME>", name);
}

function existsAs(path: string): "dir" | "file" | null {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

/** Write one file below `root`, refusing any path that would leave it. */
function writeInside(root: string, rel: string, data: string | Uint8Array): string {
  const path = resolve(root, rel);
  if (!path.startsWith(resolve(root) + sep)) throw new Error(`refusing to write ${rel} outside ${root}`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  writeFileSync(path, data, { mode: 0o644 });
  return path;
}

function createFromScaffold(opts: CreateOptions, chartName: string): void {
  if (!CHART_NAME.test(chartName)) {
    throw new Error(`chart name must match the regular expression ${goQuote(CHART_NAME.source)}`);
  }
  const parent = resolve(goDir(opts.name));
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(parent);
  } catch (err) {
    throw new Error(`stat ${parent}: ${goErrnoText(err)}`);
  }
  if (!st.isDirectory()) throw new Error(`no such directory ${parent}`);
  const chartDir = join(parent, chartName);
  if (existsAs(chartDir) === "file")
    throw new Error(`file ${chartDir} already exists and is not a directory`);
  for (const f of SCAFFOLD) {
    const path = join(chartDir, f.path);
    if (existsAs(path) !== null) opts.warn(`WARNING: File ${goQuote(path)} already exists. Overwriting.\n`);
    writeInside(chartDir, f.path, replaceName(f.text, chartName));
  }
  mkdirSync(join(chartDir, "charts"), { recursive: true, mode: 0o755 });
}

/** The Chart.yaml Helm gives a chart made from a starter. */
function starterMetadata(name: string): ChartMetadata {
  return {
    ...emptyMetadata(),
    apiVersion: "v2",
    name,
    description: "A Helm chart for Kubernetes",
    type: "application",
    version: "0.1.0",
    appVersion: "0.1.0",
  };
}

function createFromStarter(opts: CreateOptions, starter: string, chartName: string): void {
  const source = isAbsolute(starter) ? starter : join(opts.starterDir, starter);
  let chart: Chart;
  try {
    chart = loadChart(source);
  } catch (err) {
    throw new Error(`could not load ${source}: ${(err as Error).message}`);
  }
  chart.metadata = starterMetadata(chartName);
  if (chartName !== goBase(chartName) || chartName === "." || chartName === "..") {
    throw new Error(`chart name ${JSON.stringify(chartName)} is invalid`);
  }
  const outDir = join(goDir(opts.name), chartName);
  if (existsAs(outDir) === "file") throw new Error(`file ${outDir} already exists and is not a directory`);
  try {
    mkdirSync(outDir, { recursive: true, mode: 0o755 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`mkdir ${e.path ?? outDir}: ${goErrnoText(err)}`);
  }
  writeInside(outDir, "Chart.yaml", metadataYaml(chart.metadata));
  const values = chart.raw.find((f) => f.name === "values.yaml");
  if (values)
    writeInside(outDir, "values.yaml", replaceName(new TextDecoder().decode(values.data), chartName));
  if (chart.schema !== null) writeInside(outDir, "values.schema.json", chart.schema);
  for (const t of chart.templates) {
    writeInside(outDir, t.name, replaceName(new TextDecoder().decode(t.data), chartName));
  }
  for (const f of chart.files) writeInside(outDir, f.name, f.data);
  for (const sub of chart.dependencies) {
    writeInside(outDir, `charts/${sub.metadata.name}-${sub.metadata.version}.tgz`, chartArchive(sub));
  }
}

/** `helm create`: returns nothing; errors carry Helm's messages. */
export function createChart(opts: CreateOptions): void {
  const chartName = goBase(opts.name);
  if (opts.starter) createFromStarter(opts, opts.starter, chartName);
  else createFromScaffold(opts, chartName);
}
