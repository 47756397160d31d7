/** The function case table (recorded from real Helm) against the engine with the full function map. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTION_CASES_FILE, renderFunctionCase } from "./function-cases.ts";
import { loadCases } from "./language-cases.ts";

/**
 * Differences from real Helm not fixed yet: template → reason (fixtures/function-gaps.json). Each
 * still has to differ, so a fix shows up here and its entry gets removed.
 */
const KNOWN_GAPS = new Map<string, string>(
  Object.entries(JSON.parse(readFileSync(join(import.meta.dir, "fixtures", "function-gaps.json"), "utf8"))),
);

describe("functions render as in real Helm", () => {
  for (const c of loadCases(FUNCTION_CASES_FILE)) {
    const name = c.template.length > 90 ? `${c.template.slice(0, 90)}…` : c.template;
    const gap = KNOWN_GAPS.get(c.template);
    if (gap !== undefined) {
      test(`${name} (known gap: ${gap})`, () => expect(renderFunctionCase(c)).not.toEqual(c.want!));
      continue;
    }
    test(name, () => expect(renderFunctionCase(c)).toEqual(c.want!));
  }
});
