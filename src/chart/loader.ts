/**
 * Loading a chart — from a directory, a `.tgz` file or archive bytes — into the chart model, the
 * way Helm v4 does: Chart.yaml first (apiVersion defaults to v1), then Chart.lock, values.yaml,
 * values.schema.json, requirements.yaml/.lock, `templates/`, `charts/` (subchart directories and
 * archives, nested to any depth; names starting with `.` or `_` skipped; `.prov` files kept as
 * files), and everything else as `.Files`. A UTF-8 byte-order mark is dropped from every file.
 * Errors carry Helm's wording (`cannot load values.yaml: …`, `error unpacking subchart x in y: …`,
 * `validation: …`).
 *
 * Directories: `.helmignore` applies (plus Helm's default `templates/.?*`), files over 5 MiB are
 * refused as in Helm, and symbolic links are followed only while they stay inside the chart
 * directory (Helm follows them anywhere; here a link out of the chart is an error). Irregular files
 * (FIFOs, devices, sockets) are refused.
 */
import {
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
} from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { type ArchiveLimits, isGzip, MAX_DECOMPRESSED_FILE_SIZE, readChartArchive } from "./archive.ts";
import { API_VERSION_V1, type Chart, type ChartFile } from "./chart.ts";
import { newGoMap } from "./engine/value.ts";
import { parseValues } from "./engine/yaml.ts";
import { HelmIgnore } from "./helmignore.ts";
import {
  decodeChartYaml,
  decodeLock,
  decodeRequirements,
  type MetadataInput,
  readChartApiVersion,
  validateMetadata,
} from "./metadata.ts";

/** A chart that cannot be loaded; the message is Helm's where Helm has one. */
export class ChartLoadError extends Error {
  override name = "ChartLoadError";
}

export interface LoadOptions {
  /** Archive size limits (Helm's 100 MiB / 5 MiB by default). */
  limits?: ArchiveLimits;
  /** Told of every symbolic link followed in a chart directory (Helm logs each at INFO level). */
  onSymlink?: (path: string, resolved: string) => void;
}

/** Unix seconds of a nanosecond time, rounded half up as Go's `Time.Round(time.Second)`. */
export function roundToSecond(ns: bigint): number {
  let q = ns / 1_000_000_000n;
  let r = ns % 1_000_000_000n;
  if (r < 0n) {
    q -= 1n;
    r += 1_000_000_000n;
  }
  return Number(r >= 500_000_000n ? q + 1n : q);
}

const BOM = [0xef, 0xbb, 0xbf];

function stripBom(data: Uint8Array): Uint8Array {
  return data.length >= 3 && data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2]
    ? data.subarray(3)
    : data;
}

function text(data: Uint8Array): string {
  return new TextDecoder("utf-8").decode(data);
}

function wrap(prefix: string, err: unknown): ChartLoadError {
  return new ChartLoadError(`${prefix}: ${(err as Error).message}`);
}

/** Helm's `loader.Load`: a chart directory or a chart archive file. */
export function loadChart(path: string, opts: LoadOptions = {}): Chart {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new ChartLoadError(`stat ${path}: no such file or directory`);
  }
  if (st.isDirectory()) return loadDir(path, opts);
  const bytes = readFileSync(path);
  if (!isGzip(bytes)) {
    if (/\.ya?ml$/.test(path)) {
      throw new ChartLoadError(
        `file '${resolve(path)}' seems to be a YAML file, but expected a gzipped archive`,
      );
    }
    // Go's http.DetectContentType: text when the first 512 bytes hold no binary control bytes.
    const head = bytes.subarray(0, 512);
    const binary = head.some(
      (b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b,
    );
    const type = binary ? "application/octet-stream" : "text/plain; charset=utf-8";
    throw new ChartLoadError(
      `file '${resolve(path)}' does not appear to be a gzipped archive; got '${type}'`,
    );
  }
  return loadArchive(bytes, opts);
}

/** Load a chart from `.tgz` bytes. */
export function loadArchive(bytes: Uint8Array, opts: LoadOptions = {}): Chart {
  const files = readChartArchive(bytes, opts.limits);
  checkApiVersion(files);
  return loadFiles(files, opts);
}

/** Load a chart directory (honouring `.helmignore`). */
export function loadDir(dir: string, opts: LoadOptions = {}): Chart {
  const files = readChartDir(dir, opts.onSymlink);
  checkApiVersion(files);
  return loadFiles(files, opts);
}

/** Helm v4 picks a loader by apiVersion; only v1 and v2 charts exist outside an experimental gate. */
function checkApiVersion(files: ChartFile[]): void {
  const chartYaml = files.find((f) => f.name === "Chart.yaml");
  if (!chartYaml) return;
  let apiVersion: string;
  try {
    apiVersion = readChartApiVersion(text(chartYaml.data));
  } catch (err) {
    throw wrap("cannot load Chart.yaml", err);
  }
  if (apiVersion === "v3") throw new ChartLoadError("invalid chart apiVersion");
  if (apiVersion !== "" && apiVersion !== "v1" && apiVersion !== "v2") {
    throw new ChartLoadError("unsupported chart version");
  }
}

/**
 * The files of a chart directory, as Helm's LoadDir collects them: sorted walk, `.helmignore`
 * applied to files and directories, symlinks followed inside the chart only. Each file carries the
 * modification time of what it resolves to.
 */
export function readChartDir(dir: string, onSymlink?: LoadOptions["onSymlink"]): ChartFile[] {
  const top = resolve(dir);
  const realTop = realpathSync(top);
  let rules: HelmIgnore;
  const ignoreFile = join(top, ".helmignore");
  let ignoreText = "";
  try {
    if (statSync(ignoreFile).isFile()) ignoreText = readFileSync(ignoreFile, "utf8");
  } catch {
    // No .helmignore.
  }
  try {
    rules = new HelmIgnore(ignoreText);
  } catch (err) {
    throw new ChartLoadError((err as Error).message);
  }
  const files: ChartFile[] = [];
  const inside = (real: string) => real === realTop || real.startsWith(realTop + sep);

  const walk = (abs: string, rel: string, activeDirs: Set<string>) => {
    for (const entry of readdirSync(abs).sort()) {
      const path = join(abs, entry);
      const name = rel === "" ? entry : `${rel}/${entry}`;
      let st = lstatSync(path);
      let real = path;
      if (st.isSymbolicLink()) {
        try {
          real = realpathSync(path);
          st = statSync(real);
        } catch (err) {
          throw new ChartLoadError(`error evaluating symlink ${path}: ${(err as Error).message}`);
        }
        if (!inside(real)) {
          throw new ChartLoadError(
            `chart file ${JSON.stringify(name)} is a symbolic link to ${real}, outside the chart directory`,
          );
        }
        onSymlink?.(path, real);
      }
      if (st.isDirectory()) {
        if (rules.ignores(name, true)) continue;
        const realDir = realpathSync(real);
        if (activeDirs.has(realDir))
          throw new ChartLoadError(`chart directory ${JSON.stringify(name)} is a symbolic link loop`);
        activeDirs.add(realDir);
        walk(real, name, activeDirs);
        activeDirs.delete(realDir);
        continue;
      }
      if (rules.ignores(name, false)) continue;
      if (!st.isFile()) {
        throw new ChartLoadError(`cannot load irregular file ${path} as it has file mode type bits set`);
      }
      if (st.size > MAX_DECOMPRESSED_FILE_SIZE) {
        throw new ChartLoadError(
          `chart file ${JSON.stringify(name)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`,
        );
      }
      const mtimeNs = statSync(real, { bigint: true }).mtimeNs;
      files.push({ name, data: stripBom(readRegularFile(real)), modTime: roundToSecond(mtimeNs) });
    }
  };
  walk(top, "", new Set([realTop]));
  return files;
}

/** Read a file, re-checking after open that it is still a small regular file. */
function readRegularFile(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_DECOMPRESSED_FILE_SIZE) {
      throw new ChartLoadError(`cannot load irregular file ${path} as it has file mode type bits set`);
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Is `name` relative to the chart directory `dir` (no `..`)? Exposed for callers that resolve paths. */
export function isInsideChart(dir: string, name: string): boolean {
  const rel = relative(resolve(dir), resolve(dir, name));
  return rel !== ".." && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep);
}

/** Build a chart from its files (Helm's LoadFiles): names are chart-relative with `/`. */
export function loadFiles(input: ChartFile[], opts: LoadOptions = {}): Chart {
  const files = input.map((f) => ({ ...f, data: stripBom(f.data) }));
  const chart: Chart = {
    metadata: undefined as unknown as Chart["metadata"],
    lock: null,
    templates: [],
    values: newGoMap(),
    schema: null,
    files: [],
    raw: [],
    dependencies: [],
    parent: null,
  };
  let md: MetadataInput | null = null;
  for (const f of files) {
    chart.raw.push(f);
    if (f.name === "Chart.yaml") {
      try {
        md = decodeChartYaml(text(f.data));
      } catch (err) {
        throw wrap("cannot load Chart.yaml", err);
      }
      if (md.apiVersion === "") md.apiVersion = API_VERSION_V1;
    }
  }
  const subcharts = new Map<string, ChartFile[]>();
  for (const f of files) {
    const name = f.name;
    if (name === "Chart.yaml") continue;
    if (name === "Chart.lock") {
      try {
        chart.lock = decodeLock(text(f.data));
      } catch (err) {
        throw wrap("cannot load Chart.lock", err);
      }
    } else if (name === "values.yaml") {
      try {
        chart.values = parseValues(text(f.data));
      } catch (err) {
        throw wrap("cannot load values.yaml", err);
      }
    } else if (name === "values.schema.json") {
      chart.schema = f.data;
    } else if (name === "requirements.yaml") {
      let deps: ReturnType<typeof decodeRequirements>;
      try {
        deps = decodeRequirements(text(f.data));
      } catch (err) {
        throw wrap("cannot load requirements.yaml", err);
      }
      if (md !== null && deps !== undefined) md.dependencies = deps;
      if (md?.apiVersion === API_VERSION_V1) chart.files.push(f);
    } else if (name === "requirements.lock") {
      try {
        chart.lock = decodeLock(text(f.data));
      } catch (err) {
        throw wrap("cannot load requirements.lock", err);
      }
      if (md?.apiVersion === API_VERSION_V1) chart.files.push(f);
    } else if (name.startsWith("templates/")) {
      chart.templates.push(f);
    } else if (name.startsWith("charts/")) {
      if (name.endsWith(".prov")) {
        chart.files.push(f);
        continue;
      }
      const rest = name.slice("charts/".length);
      if (rest.startsWith(".") || rest.startsWith("_")) continue;
      const sub = rest.split("/", 1)[0]!;
      const list = subcharts.get(sub) ?? [];
      list.push({ ...f, name: rest });
      subcharts.set(sub, list);
    } else {
      chart.files.push(f);
    }
  }
  if (md === null) throw new ChartLoadError("Chart.yaml file is missing");
  try {
    chart.metadata = validateMetadata(md);
  } catch (err) {
    throw new ChartLoadError((err as Error).message);
  }
  for (const [sub, subFiles] of [...subcharts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let sc: Chart;
    try {
      if (sub.endsWith(".tgz")) {
        const file = subFiles[0]!;
        if (file.name !== sub) {
          throw new ChartLoadError(`error unpacking tar in ${md.name}: expected ${sub}, got ${file.name}`);
        }
        sc = loadFiles(readChartArchive(file.data, opts.limits), opts);
      } else {
        const inner = subFiles
          .filter((f) => f.name.includes("/"))
          .map((f) => ({ ...f, name: f.name.slice(f.name.indexOf("/") + 1) }));
        sc = loadFiles(inner, opts);
      }
    } catch (err) {
      if (err instanceof ChartLoadError && err.message.startsWith("error unpacking tar in ")) throw err;
      throw wrap(`error unpacking subchart ${sub} in ${md.name}`, err);
    }
    sc.parent = chart;
    chart.dependencies.push(sc);
  }
  return chart;
}
