/**
 * Loading a chart from a directory or a .tgz archive into the chart model, with Helm's
 * validation messages. Directories honour `.helmignore`; symlinks may not leave the chart.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { readChartArchive } from "./archive.ts";
import type { Chart, ChartFile, ChartMetadata, Dependency } from "./chart.ts";
import { parseYamlValue } from "./engine/funcs/serialize.ts";
import { type GoMap, isGoMap, newGoMap } from "./engine/value.ts";
import { HelmIgnore } from "./helmignore.ts";

/** Masterminds/semver's accepted version syntax (leading `v` and short forms allowed). */
const SEMVER =
  /^v?(0|[1-9]\d*)(\.(0|[1-9]\d*))?(\.(0|[1-9]\d*))?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** Load a chart from a path: a directory or a .tgz archive. */
export function loadChart(path: string): Chart {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`path "${path}" not found`);
  }
  if (st.isDirectory()) {
    try {
      statSync(join(path, "Chart.yaml"));
    } catch {
      throw new Error(
        `unable to detect chart at ${join(path, "Chart.yaml")}: open ${join(path, "Chart.yaml")}: no such file or directory`,
      );
    }
    return loadFiles(readChartDir(path), path);
  }
  return loadFiles(readChartArchive(readFileSync(path), path), path);
}

/** Files of a chart directory, minus what `.helmignore` excludes. */
export function readChartDir(root: string): ChartFile[] {
  const realRoot = realpathSync(root);
  let ignore = new HelmIgnore("");
  try {
    ignore = new HelmIgnore(readFileSync(join(root, ".helmignore"), "utf8"));
  } catch {
    // No .helmignore: nothing ignored.
  }
  const files: ChartFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const abs = join(dir, entry);
      const rel = relative(root, abs).split(sep).join("/");
      let st = lstatSync(abs);
      if (st.isSymbolicLink()) {
        const target = realpathSync(abs);
        if (target !== realRoot && !target.startsWith(realRoot + sep)) {
          throw new Error(`chart ${root}: symlink "${rel}" points outside the chart`);
        }
        st = statSync(abs);
      }
      if (st.isDirectory()) {
        if (!ignore.ignores(rel, true)) walk(abs);
      } else if (st.isFile()) {
        if (!ignore.ignores(rel, false)) files.push({ name: rel, data: new Uint8Array(readFileSync(abs)) });
      }
    }
  };
  walk(root);
  return files;
}

function text(f: ChartFile): string {
  return Buffer.from(f.data).toString("utf8");
}

function yamlMap(f: ChartFile, what: string): GoMap {
  let v: ReturnType<typeof parseYamlValue>;
  try {
    v = parseYamlValue(text(f));
  } catch (err) {
    throw new Error(
      `cannot load ${what}: cannot unmarshal yaml document: ${(err as Error).message.split("\n")[0]}`,
    );
  }
  if (v === null) return newGoMap();
  if (!isGoMap(v)) throw new Error(`cannot load ${what}: the file must hold a YAML mapping`);
  return v;
}

function toMetadata(m: GoMap): ChartMetadata {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) out[k] = typeof v === "number" ? String(v) : v;
  return out as unknown as ChartMetadata;
}

/** Helm's metadata validation, with its messages. */
export function validateMetadata(md: ChartMetadata): void {
  if (!md.name) throw new Error("validation: chart.metadata.name is required");
  if (md.name.includes("/") || md.name.includes("\\") || md.name === "." || md.name === "..") {
    throw new Error(`validation: chart.metadata.name "${md.name}" is invalid`);
  }
  if (!md.version) throw new Error("validation: chart.metadata.version is required");
  if (!SEMVER.test(String(md.version)))
    throw new Error(`validation: chart.metadata.version "${md.version}" is invalid`);
  if (md.type && md.type !== "application" && md.type !== "library") {
    throw new Error("validation: chart.metadata.type must be application or library");
  }
  for (const d of md.dependencies ?? []) {
    if (!d || typeof d !== "object" || !d.name) throw new Error("validation: dependencies must have a name");
  }
}

/** Build a chart from its files (paths relative to the chart root). */
export function loadFiles(files: ChartFile[], source: string): Chart {
  const chartYaml = files.find((f) => f.name === "Chart.yaml");
  if (!chartYaml) throw new Error(`validation: chart.metadata is required (no Chart.yaml in ${source})`);
  const metadata = toMetadata(yamlMap(chartYaml, "Chart.yaml"));
  const chart: Chart = {
    metadata,
    lock: null,
    templates: [],
    values: newGoMap(),
    schema: null,
    files: [],
    dependencies: [],
  };
  const subchartFiles = new Map<string, ChartFile[]>();
  for (const f of files) {
    if (f.name === "Chart.yaml") continue;
    if (f.name === "values.yaml") chart.values = yamlMap(f, "values.yaml");
    else if (f.name === "values.schema.json") chart.schema = f.data;
    else if (f.name === "Chart.lock" || f.name === "requirements.lock") chart.lock = yamlMap(f, f.name);
    else if (f.name === "requirements.yaml") {
      const req = yamlMap(f, "requirements.yaml");
      if (Array.isArray(req.dependencies))
        metadata.dependencies = req.dependencies as unknown as Dependency[];
      chart.files.push(f);
    } else if (f.name.startsWith("templates/")) chart.templates.push(f);
    else if (f.name.startsWith("charts/")) {
      const rest = f.name.slice("charts/".length);
      const slash = rest.indexOf("/");
      if (slash < 0) {
        if (/\.t(ar\.)?gz$/.test(rest)) {
          chart.dependencies.push(
            loadFiles(readChartArchive(f.data, `${source}/${f.name}`), `${source}/${f.name}`),
          );
        } else chart.files.push(f);
        continue;
      }
      const dir = rest.slice(0, slash);
      const list = subchartFiles.get(dir) ?? [];
      list.push({ name: rest.slice(slash + 1), data: f.data });
      subchartFiles.set(dir, list);
    } else chart.files.push(f);
  }
  for (const [dir, subFiles] of [...subchartFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!subFiles.some((f) => f.name === "Chart.yaml")) continue;
    chart.dependencies.push(loadFiles(subFiles, `${source}/charts/${dir}`));
  }
  validateMetadata(metadata);
  return chart;
}
