/**
 * Differential: dependency processing and coalescing against real Helm v4.1.4 on random
 * three-level charts (values, conditions, tags, aliases, import-values, user values), comparing the
 * `.Values` every rendered chart sees and Helm's log lines.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { defaultValueSources, mergeValueOptions } from "../../../src/chart/values/options.ts";
import { helmValues, ourValues, tempDir } from "../support.ts";
import { writeRandomChart } from "./random-charts.ts";
import { prng } from "./strvals-helpers.ts";

const CASES = Number(process.env.COALESCE_CASES ?? 60);
const SEED = Number(process.env.COALESCE_SEED ?? 1);

describe("coalescing on random charts matches real Helm", () => {
  test(`${CASES} random charts (seed ${SEED})`, async () => {
    const rand = prng(SEED);
    const sources = await defaultValueSources();
    const wrong: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const dir = join(tempDir(), "chart");
      const userFile = writeRandomChart(rand, dir);
      const theirs = helmValues(["-f", userFile], dir);
      const user = await mergeValueOptions({ valueFiles: [userFile] }, sources);
      const ours = ourValues(dir, user);
      const describe = (r: typeof ours) =>
        "err" in r
          ? `ERR ${r.err}`
          : [
              ...[...r.ok].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k || "."}: ${v}`),
              ...[...r.log].sort(),
            ].join("\n");
      const a = describe(theirs);
      const b = describe(ours);
      if (a !== b) wrong.push(`case ${i} in ${dir}\n--- helm\n${a}\n--- ours\n${b}`);
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
