/**
 * Differential: `build/helm template` against real Helm v4.1.4 for every chart in
 * ../shared/charts, with default values and with each values file in the chart's ci/ folder.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helmTs, ROOT, runExe } from "../../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";
import { compareWithRandomSlots } from "../../support/random-slots.ts";

const CHARTS = join(ROOT, "..", "shared", "charts");
const env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-charts-")));

function cases(): [string, string, string[]][] {
  const out: [string, string, string[]][] = [];
  for (const chart of readdirSync(CHARTS).sort()) {
    const dir = join(CHARTS, chart);
    if (!existsSync(join(dir, "Chart.yaml"))) continue;
    out.push([chart, "default values", []]);
    const ci = join(dir, "ci");
    if (!existsSync(ci)) continue;
    for (const f of readdirSync(ci).sort()) {
      if (/\.ya?ml$/.test(f)) out.push([chart, `ci/${f}`, ["-f", join(ci, f)]]);
    }
  }
  return out;
}

describe("helm template matches real Helm on real charts", () => {
  const helm = oraclePaths().helm;
  for (const [chart, label, extra] of cases()) {
    test(`${chart} (${label})`, () => {
      const args = ["template", "r", join(CHARTS, chart), "--namespace", "ns1", ...extra];
      const a = runExe(helm, args, env);
      const b = runExe(helm, args, env);
      const ours = helmTs(args, env);
      expect(ours.stderr.split("\n")[0]).toBe(a.stderr.split("\n")[0]);
      expect(ours.status).toBe(a.status);
      expect(compareWithRandomSlots(ours.stdout, a.stdout, b.stdout)).toEqual([]);
    }, 120_000);
  }
});
