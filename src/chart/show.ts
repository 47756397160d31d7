/**
 * `helm show chart|values|readme|crds|all`: a loaded chart's Chart.yaml (re-marshalled as Helm
 * does), its values.yaml as written (or a JSONPath over the parsed values), its README (the first
 * of `README.md`/`README.txt`/`README` in any case at the chart's top), and the CRDs of the chart
 * and of every subchart, with Helm's `---` separators for `all`.
 */
import type { Chart, ChartFile } from "./chart.ts";
import { goString } from "./engine/value.ts";
import { executeJsonPath, JsonPathParseError, parseJsonPath } from "./jsonpath.ts";
import { metadataYaml } from "./metadata-yaml.ts";

/** What `helm show` prints. */
export type ShowFormat = "all" | "chart" | "values" | "readme" | "crds";

const README_NAMES = ["readme.md", "readme.txt", "readme"];

function findReadme(files: ChartFile[]): ChartFile | undefined {
  return files.find((f) => README_NAMES.includes(f.name.toLowerCase()));
}

/** The CRD files of a chart and, after them, of its subcharts (depth first), as Helm's CRDObjects. */
export function allCrdFiles(chart: Chart): ChartFile[] {
  const own = chart.files.filter((f) => isCrdFile(f.name));
  return [...own, ...chart.dependencies.flatMap(allCrdFiles)];
}

/** Helm takes any file under `crds/` (nested too) whose extension is .yaml, .yml or .json. */
function isCrdFile(name: string): boolean {
  return name.startsWith("crds/") && /\.(ya?ml|json)$/.test(name);
}

/** Check a JSONPath template before loading anything, with Helm's wrapping of parse errors. */
export function checkJsonPath(template: string): void {
  try {
    parseJsonPath(template);
  } catch (err) {
    if (err instanceof JsonPathParseError)
      throw new Error(`error parsing jsonpath ${template}: ${err.message}`);
    throw err;
  }
}

/** The text `helm show FORMAT` prints for `chart`. */
export function showChart(chart: Chart, format: ShowFormat, jsonPath = ""): string {
  let out = "";
  const all = format === "all";
  if (format === "chart" || all) out += `${metadataYaml(chart.metadata)}\n`;
  const valuesFile = chart.raw.find((f) => f.name === "values.yaml");
  if ((format === "values" || all) && valuesFile !== undefined) {
    if (all) out += "---\n";
    if (jsonPath !== "") {
      checkJsonPath(jsonPath);
      out += executeJsonPath(parseJsonPath(jsonPath), chart.values);
    } else out += `${goString(valuesFile.data)}\n`;
  }
  if (format === "readme" || all) {
    const readme = findReadme(chart.files);
    if (readme !== undefined) out += `${all ? "---\n" : ""}${goString(readme.data)}\n`;
  }
  if (format === "crds" || all) {
    for (const crd of allCrdFiles(chart)) {
      const text = goString(crd.data);
      out += `${text.startsWith("---") ? "" : "---\n"}${text}\n`;
    }
  }
  return out;
}
