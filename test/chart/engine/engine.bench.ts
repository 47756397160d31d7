/**
 * Engine-only benchmark: parse every template of a real chart (and its subcharts) once, then
 * execute every renderable template N times. Run: `bun test/chart/engine/engine.bench.ts redis 200`.
 */
import { join } from "node:path";
import type { Chart } from "../../../src/chart/chart.ts";
import { buildFuncMap } from "../../../src/chart/engine/funcs/index.ts";
import { TemplateSet } from "../../../src/chart/engine/index.ts";
import { type GoMap, isGoMap, newGoMap } from "../../../src/chart/engine/value.ts";
import { loadChart } from "../../../src/chart/loader.ts";
import { capabilities, releaseObject, templateObject } from "../../../src/chart/render/builtins.ts";
import { filesObject } from "../../../src/chart/render/files.ts";
import { computeValues } from "../../../src/chart/values/compute.ts";

interface Job {
  path: string;
  source: string;
  data: GoMap;
}

function jobsOf(chart: Chart, values: GoMap, prefix: string, common: GoMap, out: Job[]): void {
  const files = filesObject(chart.files);
  for (const t of chart.templates) {
    const data = newGoMap();
    Object.assign(data, common);
    data.Values = values;
    data.Files = files;
    const md = newGoMap();
    md.Name = chart.metadata.name;
    md.Version = chart.metadata.version;
    md.AppVersion = chart.metadata.appVersion ?? "";
    md.Annotations = (chart.metadata.annotations as GoMap | undefined) ?? newGoMap();
    md.IsRoot = prefix.indexOf("/") < 0;
    data.Chart = md;
    data.Template = templateObject(`${prefix}/${t.name}`, `${prefix}/templates`);
    out.push({ path: `${prefix}/${t.name}`, source: Buffer.from(t.data).toString("utf8"), data });
  }
  for (const sub of chart.dependencies) {
    const section = values[sub.metadata.name];
    jobsOf(
      sub,
      isGoMap(section) ? section : newGoMap(),
      `${prefix}/charts/${sub.metadata.name}`,
      common,
      out,
    );
  }
}

/** Parse time (ms) and execution time (ms) of `runs` full renders. */
export function benchChart(name: string, runs: number): { parseMs: number; execMs: number; chars: number } {
  const input = loadChart(join(import.meta.dir, "..", "..", "..", "..", "shared", "charts", name));
  const { chart, values } = computeValues(input, newGoMap(), { skipSchemaValidation: true });
  const common = newGoMap();
  common.Release = releaseObject({
    name: "r",
    namespace: "ns",
    revision: 1,
    isInstall: true,
    isUpgrade: false,
  });
  common.Capabilities = capabilities({
    helm: {
      version: "v4.1.4",
      gitCommit: "",
      gitTreeState: "",
      goVersion: "go1.25",
      kubeClientVersion: "v1.35",
    },
  });
  const jobs: Job[] = [];
  jobsOf(chart, values, chart.metadata.name, common, jobs);
  jobs.sort((a, b) => b.path.split("/").length - a.path.split("/").length);
  const funcs = buildFuncMap();
  let t0 = performance.now();
  let set = new TemplateSet();
  for (let i = 0; i < runs; i++) {
    set = new TemplateSet().addFuncs(funcs);
    for (const j of jobs) set.parse(j.path, j.source);
  }
  const parseMs = performance.now() - t0;
  const renderable = jobs.filter((j) => !/\/_[^/]*$/.test(j.path));
  let chars = 0;
  t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    chars = 0;
    for (const j of renderable) chars += set.execute(j.path, j.data).length;
  }
  return { parseMs, execMs: performance.now() - t0, chars };
}

if (import.meta.main) {
  const name = process.argv[2] ?? "redis";
  const runs = Number(process.argv[3] ?? 200);
  const r = benchChart(name, runs);
  console.log(
    `${name}: ${runs}× parse ${r.parseMs.toFixed(0)} ms, ${runs}× execute ${r.execMs.toFixed(0)} ms (${r.chars} chars/render)`,
  );
}
