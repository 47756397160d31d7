import { expect, test } from "bun:test";
import { Constraint, parseSemver } from "../../../src/chart/engine/funcs/semver.ts";

// Each verdict recorded from real Helm v4.1.4 (`semverCompare` in a template).
const CASES: [string, string, boolean][] = [
  ["10", "10.5.7", true],
  [">1", "1.5.0", false],
  [">1", "2.0.0", true],
  ["<2.0.0 || >3", "3.5.0", false],
  ["!=1.2.x", "1.2.5", false],
  ["!=1.2.x", "1.3.0", true],
  ["=1.2", "1.2.9", true],
  ["<=1.2", "1.2.9", true],
  [">=1.2", "1.2.0", true],
  ["~1", "1.9.0", true],
  [">=1.16-0", "v1.35.0", true],
  ["<1.2", "1.1.9", true],
  [">=1.16", "1.20.0-gke.1", false],
  [">=1.16-0", "1.20.0-gke.1", true],
  ["^1.2.3", "2.0.0", false],
  ["~1.2", "1.3.0", false],
  ["1.0 - 2.0", "2.0.5", true],
];

test("Masterminds constraints decide as real Helm does", () => {
  for (const [c, v, want] of CASES)
    expect([c, v, new Constraint(c).check(parseSemver(v))]).toEqual([c, v, want]);
});

test("bad constraints and versions are clean errors", () => {
  expect(() => new Constraint("~>=1")).toThrow("improper constraint: ~>=1");
  expect(() => parseSemver("one.two")).toThrow("invalid semantic version");
});
