/** The language case table (recorded from real Helm) against the engine. */
import { describe, expect, test } from "bun:test";
import { loadCases, renderCase } from "./language-cases.ts";

/**
 * Cases that differ for reasons outside the language engine. Each still has to differ, so that a
 * fix elsewhere shows up here and the entry gets removed.
 */
const KNOWN_GAPS: ReadonlyMap<string, string> = new Map([
  ["{{ .Capabilities.APIVersions.Has 1 }}", "VersionSet.Has declares no Go signature (render/builtins.ts)"],
]);

describe("templates render as in real Helm", () => {
  for (const c of loadCases()) {
    const name = c.template.length > 70 ? `${c.template.slice(0, 70)}…` : c.template;
    const gap = KNOWN_GAPS.get(c.template);
    if (gap !== undefined) {
      test(`${name} (known gap: ${gap})`, () => expect(renderCase(c)).not.toEqual(c.want!));
      continue;
    }
    test(name, () => expect(renderCase(c)).toEqual(c.want!));
  }
});
