/** Reproducible renders: --random-seed makes every random function, certificates included, deterministic. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helmTs } from "../../support/binary.ts";
import { isolatedHelmEnv } from "../../support/oracle.ts";

const chart = join(import.meta.dir, "fixtures", "random-chart");
const env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-seed-")));

function render(extra: string[], extraEnv: Record<string, string> = {}): string {
  const r = helmTs(["template", "demo", chart, ...extra], { ...env, ...extraEnv });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

describe("--random-seed", () => {
  test("the same seed gives byte-identical output, keys and certificates included", () => {
    const a = render(["--random-seed", "s1"]);
    const b = render(["--random-seed", "s1"]);
    expect(a).toBe(b);
    expect(a).toContain("tls.crt:");
  }, 60_000);

  test("HELM_RANDOM_SEED does the same; another seed gives other values", () => {
    const a = render([], { HELM_RANDOM_SEED: "s2" });
    expect(render(["--random-seed", "s2"])).toBe(a);
    expect(render(["--random-seed", "s3"])).not.toBe(a);
  }, 60_000);

  test("without a seed, randomness differs run to run (as in Helm)", () => {
    expect(render([])).not.toBe(render([]));
  }, 60_000);
});
