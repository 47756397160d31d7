/**
 * `helm package`: load a chart directory, apply `--version`/`--app-version`, check that declared
 * dependencies are in `charts/`, and write `NAME-VERSION.tgz` laid out as Helm lays it out:
 * Chart.yaml (re-marshalled; a v1 chart's without dependencies), Chart.lock (v2, re-marshalled),
 * values.yaml, values.schema.json, templates, other files, then every subchart expanded under
 * `charts/<name>/` (archived subcharts included) — each entry mode 0644, dated with its source
 * file's modification time (the lock with its `generated` time), so the same input gives the same
 * archive. Symbolic links inside the chart are stored as the files they point to.
 *
 * The archive is written only inside the destination directory, through a temp file renamed into
 * place, so a failed run never leaves half an archive.
 */
import { statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { API_VERSION_V1, API_VERSION_V2, type Chart } from "./chart.ts";
import { missingDependencies } from "./dependencies.ts";
import { ChartLoadError, loadDir } from "./loader.ts";
import { isValidSemver } from "./metadata.ts";
import { lockYaml, metadataYaml, parseGoTime } from "./metadata-yaml.ts";
import { gzipForHelm, type TarFile, writeTar } from "./tar-writer.ts";

export interface PackageOptions {
  /** The chart directory. */
  chartPath: string;
  /** `--version`: replaces the chart's version. */
  version?: string;
  /** `--app-version`: replaces the chart's appVersion. */
  appVersion?: string;
  /** `-d/--destination`; `.` means the working directory (and an absolute path in the output). */
  destination: string;
  /** Writes the archive (atomically); given by the caller so this module stays free of repo code. */
  writeFile: (path: string, data: Uint8Array) => void;
  /** Told of symbolic links followed while reading the chart. */
  onSymlink?: (path: string, resolved: string) => void;
  /** Current time in Unix seconds, for entries without one (a lock with no `generated`). */
  now?: () => number;
}

/** Go's wording of a failed stat/open (`no such file or directory`, …). */
export function goErrnoText(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file or directory";
    case "ENOTDIR":
      return "not a directory";
    case "EACCES":
      return "permission denied";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return (err as Error).message;
  }
}

/** Load the chart directory as Helm's package does (its message for a missing Chart.yaml). */
function loadChartDir(dir: string, onSymlink: PackageOptions["onSymlink"]): Chart {
  const chartYaml = join(dir, "Chart.yaml");
  try {
    statSync(chartYaml);
  } catch (err) {
    throw new ChartLoadError(
      `unable to detect chart at ${chartYaml}: open ${chartYaml}: ${goErrnoText(err)}`,
    );
  }
  return loadDir(dir, { onSymlink });
}

/** The tar entries of a chart (and, recursively, its subcharts) under `prefix`. */
export function chartArchiveEntries(chart: Chart, prefix: string, now: number): TarFile[] {
  const md = chart.metadata;
  if (md.name !== basename(md.name) || md.name === "." || md.name === "..") {
    throw new Error(`chart name ${JSON.stringify(md.name)} is invalid`);
  }
  const base = prefix === "" ? md.name : `${prefix}/${md.name}`;
  const raw = (name: string) => chart.raw.find((f) => f.name === name);
  const entries: TarFile[] = [
    {
      name: `${base}/Chart.yaml`,
      data: new TextEncoder().encode(metadataYaml(md, md.apiVersion !== API_VERSION_V1)),
      modTime: raw("Chart.yaml")?.modTime ?? now,
    },
  ];
  if (md.apiVersion === API_VERSION_V2 && chart.lock !== null) {
    entries.push({
      name: `${base}/Chart.lock`,
      data: new TextEncoder().encode(lockYaml(chart.lock)),
      modTime: parseGoTime(chart.lock.generated)?.unixSeconds ?? now,
    });
  }
  const values = raw("values.yaml");
  if (values)
    entries.push({ name: `${base}/values.yaml`, data: values.data, modTime: values.modTime ?? now });
  if (chart.schema !== null) {
    try {
      JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(chart.schema));
    } catch {
      throw new Error("invalid JSON in values.schema.json");
    }
    const schema = raw("values.schema.json");
    entries.push({ name: `${base}/values.schema.json`, data: chart.schema, modTime: schema?.modTime ?? now });
  }
  for (const f of [...chart.templates, ...chart.files]) {
    entries.push({ name: `${base}/${f.name}`, data: f.data, modTime: f.modTime ?? now });
  }
  for (const sub of chart.dependencies) entries.push(...chartArchiveEntries(sub, `${base}/charts`, now));
  return entries;
}

/** The `.tgz` bytes of a loaded chart. */
export function chartArchive(chart: Chart, now = Math.round(Date.now() / 1000)): Uint8Array {
  return gzipForHelm(writeTar(chartArchiveEntries(chart, "", now)));
}

/** Package one chart directory; returns the archive path as Helm prints it. */
export function packageChart(opts: PackageOptions): string {
  const chart = loadChartDir(resolve(opts.chartPath), opts.onSymlink);
  const md = chart.metadata;
  if (opts.version) md.version = opts.version;
  if (!isValidSemver(md.version)) throw new Error("invalid semantic version");
  if (opts.appVersion) md.appVersion = opts.appVersion;
  if ((md.dependencies ?? []).length > 0) {
    const missing = missingDependencies(chart);
    if (missing.length > 0) {
      throw new Error(`found in Chart.yaml, but missing in charts/ directory: ${missing.join(", ")}`);
    }
  }
  const dest = opts.destination === "." ? process.cwd() : opts.destination;
  const fileName = `${md.name}-${md.version}.tgz`;
  const target = join(dest, fileName);
  // Name and version are validated above; this guards the join itself.
  if (resolve(dirname(target)) !== resolve(dest) || basename(target) !== fileName) {
    throw new Error(`failed to save: refusing to write ${JSON.stringify(fileName)} outside ${dest}`);
  }
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw new Error(`failed to save: is not a directory: ${dir}`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    if (code !== "ENOENT") throw new Error(`failed to save: stat ${dir}: stat ${dir}: ${goErrnoText(err)}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = chartArchive(chart, opts.now?.());
  } catch (err) {
    throw new Error(`failed to save: ${(err as Error).message}`);
  }
  opts.writeFile(target, bytes);
  return target;
}
