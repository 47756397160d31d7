/**
 * Render-only throughput and memory of the template engine against real Helm, for each Bitnami
 * chart of ../shared/charts (SOURCES.tsv). Goal (issue 4): ≤ 0.5× Helm's time per render, peak
 * memory ≤ Helm's.
 *
 * Ours: 200 renders in a fresh `bun` process per chart (test/chart/engine/engine.bench.ts: each
 * render parses every template and executes every renderable one, as Helm does once per command);
 * the mean per render includes the cold first renders. Memory: the process's resident set before
 * the first render and its peak over the 200.
 *
 * Helm's time per render cannot be timed inside Helm, and `helm template` of one chart is mostly
 * process start-up, chart loading and values work, which vary by tens of milliseconds between runs.
 * So Helm renders the chart K times in one command: an umbrella chart holding K renamed copies of
 * it as subcharts (each copy renders exactly as the chart alone, under its own name). The cost of
 * one render is the difference between the umbrella with K copies and the one with a single copy,
 * divided by K−1: start-up and fixed costs cancel out. The two are run alternately (so load from
 * other work hits both alike), several times, and their medians taken. This still counts Helm's
 * per-chart loading and values work with its rendering, so it slightly favours Helm.
 * Helm's memory: the peak RSS of `helm template` of the chart itself.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChartBench } from "../test/chart/engine/engine.bench.ts";
import { isolatedHelmEnv, oraclePaths } from "../test/support/oracle.ts";
import { runOnce } from "./measure.ts";

const RUNS = 200;
/** Copies of the chart in the large umbrella. */
const COPIES = 6;
/** Alternating runs of the small and the large umbrella. */
const HELM_ROUNDS = 7;

const root = join(import.meta.dir, "..");
const charts = join(root, "..", "shared", "charts");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** An umbrella chart with `copies` copies of `chart` under charts/ (renamed c1…cN). */
function umbrella(dir: string, chart: string, copies: number): string {
  const u = join(dir, `umbrella-${copies}`);
  mkdirSync(join(u, "charts"), { recursive: true });
  writeFileSync(join(u, "Chart.yaml"), "apiVersion: v2\nname: umbrella\nversion: 0.1.0\n");
  for (let i = 1; i <= copies; i++) {
    const copy = join(u, "charts", `c${i}`);
    cpSync(join(charts, chart), copy, { recursive: true });
    const meta = join(copy, "Chart.yaml");
    writeFileSync(meta, readFileSync(meta, "utf8").replace(/^name:.*$/m, `name: c${i}`));
  }
  return u;
}

interface HelmFigures {
  msPerRender: number;
  peakRssMiB: number;
}

function helmFigures(helm: string, chart: string, env: Record<string, string>): HelmFigures {
  const dir = mkdtempSync(join(tmpdir(), "helmts-bench-engine-"));
  try {
    const one = umbrella(dir, chart, 1);
    const many = umbrella(dir, chart, COPIES);
    const t1: number[] = [];
    const tk: number[] = [];
    runOnce([helm, "template", "r", many], env); // warm the page cache
    for (let i = 0; i < HELM_ROUNDS; i++) {
      t1.push(runOnce([helm, "template", "r", one], env).wallMs);
      tk.push(runOnce([helm, "template", "r", many], env).wallMs);
    }
    let rss = 0;
    for (let i = 0; i < 3; i++) {
      rss = Math.max(rss, runOnce([helm, "template", "r", join(charts, chart)], env).maxRssBytes);
    }
    return { msPerRender: (median(tk) - median(t1)) / (COPIES - 1), peakRssMiB: rss / (1024 * 1024) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Our figures for one chart, from a fresh process (its own JIT warm-up and heap). */
function ourFigures(chart: string): ChartBench {
  const r = Bun.spawnSync(
    [
      process.execPath,
      join(root, "test", "chart", "engine", "engine.bench.ts"),
      chart,
      String(RUNS),
      "--json",
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (r.exitCode !== 0) throw new Error(`engine bench of ${chart} failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString()) as ChartBench;
}

export function benchEngine(): void {
  const bitnami = readFileSync(join(charts, "SOURCES.tsv"), "utf8")
    .split("\n")
    .map((l) => l.split("\t"))
    .filter((f) => f[1] === "bitnami/charts")
    .map((f) => f[0]!);
  const env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-bench-engine-home-")));
  const helm = oraclePaths().helm;
  console.log(
    `\nengine: ${RUNS} in-process renders per chart vs Helm's marginal cost of one render (umbrella of ${COPIES} copies vs 1, median of ${HELM_ROUNDS})`,
  );
  const ratios: number[] = [];
  const memRatios: number[] = [];
  for (const name of bitnami) {
    const ours = ourFigures(name);
    const oursMs = (ours.parseMs + ours.execMs) / ours.runs;
    const h = helmFigures(helm, name, env);
    const ratio = oursMs / h.msPerRender;
    ratios.push(ratio);
    memRatios.push(ours.rssPeakMiB / h.peakRssMiB);
    console.log(
      `  ${name.padEnd(11)} ours ${oursMs.toFixed(1).padStart(6)} ms/render (parse ${(ours.parseMs / ours.runs).toFixed(1)}, first ${ours.firstMs.toFixed(0)})  helm ${h.msPerRender.toFixed(1).padStart(6)} ms/render  ratio ${ratio.toFixed(2)}  RSS ours ${ours.rssBeforeMiB.toFixed(0)}→${ours.rssPeakMiB.toFixed(0)} MiB, helm ${h.peakRssMiB.toFixed(0)} MiB`,
    );
  }
  const geo = (xs: number[]) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);
  console.log(
    `  geometric mean: time ${geo(ratios).toFixed(2)}x (goal ≤ 0.5x), peak memory ${geo(memRatios).toFixed(2)}x (goal ≤ 1x)`,
  );
}

if (import.meta.main) benchEngine();
