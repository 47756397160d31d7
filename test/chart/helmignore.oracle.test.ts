/** Differential: the recorded .helmignore table still matches real Helm v4.1.4's `helm package`. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readChartArchive } from "../../src/chart/archive.ts";
import { HELMIGNORE_CASES, writeIgnoreTree } from "./helmignore-cases.ts";
import { runHelm } from "./support.ts";

describe(".helmignore table against real Helm", () => {
  test("every recorded case", () => {
    const wrong: string[] = [];
    for (const [patterns, expected] of HELMIGNORE_CASES) {
      const dir = writeIgnoreTree(patterns);
      const out = dirname(dir);
      const r = runHelm(["package", dir, "-d", out]);
      const got =
        r.status !== 0
          ? `ERR ${(r.stderr.split("\n").find((l) => l.startsWith("Error: ")) ?? r.stderr).replace(/^Error: /, "")}`
          : readChartArchive(readFileSync(join(out, "ch-0.1.0.tgz")))
              .map((f) => f.name)
              .sort()
              .join(" ");
      if (got !== expected) wrong.push(`${JSON.stringify(patterns)}: helm ${got} / table ${expected}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
