/**
 * Engine-only benchmark: render a real chart (and its subcharts) N times in process, each render
 * parsing every template and executing every renderable one.
 * Run: `bun test/chart/engine/engine.bench.ts redis 200 [--json]`.
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

/** What `runs` full renders of a chart cost, in process. */
export interface ChartBench {
  runs: number;
  /** Total parse and execution time of all renders (ms). */
  parseMs: number;
  execMs: number;
  /** The first render alone (parse + execute, cold JIT), ms. */
  firstMs: number;
  /** Output size of one render. */
  chars: number;
  /** Resident set size before the first render and the highest seen after any render (MiB). */
  rssBeforeMiB: number;
  rssPeakMiB: number;
}

const MIB = 1024 * 1024;

/**
 * Render a chart `runs` times as Helm does once: a new template set, every template of the chart
 * and its subcharts parsed, every renderable one executed. Parse and execution are timed apart.
 */
export function benchChart(name: string, runs: number): ChartBench {
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
  const renderable = jobs.filter((j) => !/\/_[^/]*$/.test(j.path));
  const funcs = buildFuncMap();
  const r: ChartBench = {
    runs,
    parseMs: 0,
    execMs: 0,
    firstMs: 0,
    chars: 0,
    rssBeforeMiB: process.memoryUsage.rss() / MIB,
    rssPeakMiB: 0,
  };
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const set = new TemplateSet().addFuncs(funcs);
    for (const j of jobs) set.parse(j.path, j.source);
    const t1 = performance.now();
    let chars = 0;
    for (const j of renderable) chars += set.execute(j.path, j.data).length;
    const t2 = performance.now();
    r.parseMs += t1 - t0;
    r.execMs += t2 - t1;
    if (i === 0) r.firstMs = t2 - t0;
    r.chars = chars;
    r.rssPeakMiB = Math.max(r.rssPeakMiB, process.memoryUsage.rss() / MIB);
  }
  return r;
}

if (import.meta.main) {
  const name = process.argv[2] ?? "redis";
  const runs = Number(process.argv[3] ?? 200);
  const r = benchChart(name, runs);
  if (process.argv.includes("--json")) console.log(JSON.stringify(r));
  else {
    console.log(
      `${name}: ${runs} renders: parse ${(r.parseMs / runs).toFixed(2)} ms + execute ${(r.execMs / runs).toFixed(2)} ms per render (first ${r.firstMs.toFixed(0)} ms), ${r.chars} chars, RSS ${r.rssBeforeMiB.toFixed(0)} → peak ${r.rssPeakMiB.toFixed(0)} MiB`,
    );
  }
}
