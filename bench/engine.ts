/**
 * Render-only throughput of the template engine, in process: each Bitnami chart of ../shared/charts
 * (SOURCES.tsv) parsed and executed 200 times, against real Helm's time per render. Helm's render
 * time is `helm template` (median of 5 runs) less its process start-up (median of 5 `helm version`
 * runs): load + render, so the comparison favours Helm slightly. Goal: ≤ 0.5× Helm per render.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchChart } from "../test/chart/engine/engine.bench.ts";
import { isolatedHelmEnv, oraclePaths } from "../test/support/oracle.ts";
import { measure } from "./measure.ts";

const RUNS = 200;

export function benchEngine(): void {
  const charts = join(import.meta.dir, "..", "..", "shared", "charts");
  const bitnami = readFileSync(join(charts, "SOURCES.tsv"), "utf8")
    .split("\n")
    .map((l) => l.split("\t"))
    .filter((f) => f[1] === "bitnami/charts")
    .map((f) => f[0]!);
  const env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-bench-engine-")));
  const helm = oraclePaths().helm;
  const startup = measure("helm version", [helm, "version"], { runs: 5, warmup: 1, env });
  console.log(
    `\nengine: ${RUNS} in-process renders per chart vs helm template less start-up (${startup.medianMs.toFixed(0)} ms)`,
  );
  const ratios: number[] = [];
  for (const name of bitnami) {
    const ours = benchChart(name, RUNS);
    const oursMs = (ours.parseMs + ours.execMs) / RUNS;
    const h = measure("helm", [helm, "template", "r", join(charts, name)], { runs: 5, warmup: 1, env });
    const helmMs = Math.max(h.medianMs - startup.medianMs, 1);
    ratios.push(oursMs / helmMs);
    console.log(
      `  ${name.padEnd(12)} ours ${oursMs.toFixed(1).padStart(6)} ms/render  helm ${helmMs.toFixed(0).padStart(5)} ms/render  ratio ${(oursMs / helmMs).toFixed(2)}  helm RSS ${h.peakRssMiB.toFixed(0)} MiB`,
    );
  }
  const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(
    `  geometric mean ratio ${geo.toFixed(2)}x (goal ≤ 0.5x); our peak RSS ${rss.toFixed(0)} MiB (whole run)`,
  );
}

if (import.meta.main) benchEngine();
