/**
 * `helm template` of every chart in ../shared/charts: build/helm vs real Helm, same run, median of
 * several runs each. Reports the geometric mean of the time ratios and the worst chart.
 * Goal (issue 5): ≤ 0.6× Helm's wall time overall and no chart slower than Helm.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isolatedHelmEnv, oraclePaths } from "../test/support/oracle.ts";
import { measure } from "./measure.ts";

export function benchTemplate(): void {
  const root = join(import.meta.dir, "..");
  const charts = join(root, "..", "shared", "charts");
  const env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-bench-tpl-")));
  const ours = join(root, "build", "helm");
  const helm = oraclePaths().helm;
  const rows: {
    chart: string;
    ratio: number;
    oursMs: number;
    helmMs: number;
    oursMiB: number;
    helmMiB: number;
  }[] = [];
  console.log("\ntemplate: each chart in ../shared/charts (median of 5 runs, 1 warm-up)");
  for (const chart of readdirSync(charts).sort()) {
    if (!existsSync(join(charts, chart, "Chart.yaml"))) continue;
    const args = ["template", "r", join(charts, chart)];
    const o = measure("helm-ts", [ours, ...args], { runs: 5, warmup: 1, env });
    const h = measure("helm", [helm, ...args], { runs: 5, warmup: 1, env });
    rows.push({
      chart,
      ratio: o.medianMs / h.medianMs,
      oursMs: o.medianMs,
      helmMs: h.medianMs,
      oursMiB: o.peakRssMiB,
      helmMiB: h.peakRssMiB,
    });
    console.log(
      `  ${chart.padEnd(28)} ours ${o.medianMs.toFixed(0).padStart(6)} ms  helm ${h.medianMs.toFixed(0).padStart(6)} ms  ratio ${(o.medianMs / h.medianMs).toFixed(2)}  RSS ${o.peakRssMiB.toFixed(0)}/${h.peakRssMiB.toFixed(0)} MiB`,
    );
  }
  const geo = Math.exp(rows.reduce((s, r) => s + Math.log(r.ratio), 0) / rows.length);
  const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  console.log(
    `  geometric mean ratio ${geo.toFixed(2)}x (goal ≤ 0.6x); worst ${worst.chart} ${worst.ratio.toFixed(2)}x (goal ≤ 1.0x)`,
  );
}
