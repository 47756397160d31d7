/**
 * Differential: for every chart in ../shared/charts, with default values and with each values file
 * in its ci/ folder, the `.Values` each rendered chart (and subchart) sees must match real Helm
 * v4.1.4's, as must Helm's warnings about values. Charts are loaded by our loader, values computed
 * by our pipeline (dependencies, coalescing, schema validation).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defaultValueSources, mergeValueOptions } from "../../../src/chart/values/options.ts";
import { helmValues, ourValues } from "../support.ts";

const CHARTS = join(import.meta.dir, "..", "..", "..", "..", "shared", "charts");

function cases(): [string, string, string[]][] {
  const out: [string, string, string[]][] = [];
  if (!existsSync(CHARTS)) return out;
  for (const chart of readdirSync(CHARTS).sort()) {
    const dir = join(CHARTS, chart);
    if (!existsSync(join(dir, "Chart.yaml"))) continue;
    out.push([chart, "default values", []]);
    const ci = join(dir, "ci");
    if (!existsSync(ci)) continue;
    for (const f of readdirSync(ci).sort())
      if (/\.ya?ml$/.test(f)) out.push([chart, `ci/${f}`, [join(ci, f)]]);
  }
  return out;
}

describe("values of real charts match real Helm", () => {
  for (const [chart, label, files] of cases()) {
    test(`${chart} (${label})`, async () => {
      const dir = join(CHARTS, chart);
      const theirs = helmValues(
        files.flatMap((f) => ["-f", f]),
        dir,
      );
      const user = await mergeValueOptions({ valueFiles: files }, await defaultValueSources());
      const ours = ourValues(dir, user);
      if ("err" in theirs || "err" in ours) {
        expect("err" in ours ? ours.err : "ok").toBe("err" in theirs ? theirs.err : "ok");
        return;
      }
      expect(Object.fromEntries(ours.ok)).toEqual(Object.fromEntries(theirs.ok));
      const valuesLog = (log: string[]) => log.filter((l) => !l.includes("this chart is deprecated")).sort();
      expect(valuesLog(ours.log)).toEqual(valuesLog(theirs.log));
    }, 60_000);
  }
});
