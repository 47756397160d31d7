/** Short fuzz runs of the lexer, parser and executor: only clean template errors, within the time bound. */
import { describe, expect, test } from "bun:test";
import { FUZZ_TARGETS, fuzz } from "./fuzz.ts";

describe("template engine fuzzing", () => {
  for (const target of FUZZ_TARGETS) {
    test(`${target}: random and mutated templates fail only with template errors`, () => {
      const report = fuzz(target, 15_000);
      expect(report.inputs).toBeGreaterThan(100);
      expect(report.failures).toEqual([]);
    }, 60_000);
  }
});
