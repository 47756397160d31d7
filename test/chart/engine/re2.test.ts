/** Go regexps on JS: what the differential cases cannot show (state between calls, bounds). */
import { describe, expect, test } from "bun:test";
import {
  compileGoRegexp,
  goFindAll,
  goMatch,
  goRegExp,
  RegexpSyntaxError,
} from "../../../src/chart/engine/re2.ts";

describe("Go regexps", () => {
  test("a compiled pattern is reused without carrying a search position between calls", () => {
    const g = compileGoRegexp("b+");
    expect(goFindAll(g, "abbb", -1).map((m) => m[0])).toEqual(["bbb"]);
    expect(compileGoRegexp("b+")).toBe(g);
    expect(goMatch(g, "b")).toBe(true);
    expect(goMatch(g, "b")).toBe(true);
  });

  test("a standalone RegExp tests strings repeatedly", () => {
    const re = goRegExp("^ara[a-z]+$");
    expect([re.test("arax"), re.test("arax"), re.test("xara")]).toEqual([true, true, false]);
  });

  test("groups nested past Go's bound fail with Go's message, not a stack overflow", () => {
    const deep = `${"(".repeat(1500)}a${")".repeat(1500)}`;
    expect(() => compileGoRegexp(deep)).toThrow(RegexpSyntaxError);
    expect(() => compileGoRegexp(deep)).toThrow(
      /^error parsing regexp: expression nests too deeply: `\(\(\(/,
    );
  });

  test("JS-only syntax is not accepted", () => {
    for (const p of ["(?<=a)b", "a(?!b)", "\\k<n>", "(a)\\1", "\\Z", "\\cA", "\\u0041"])
      expect(() => compileGoRegexp(p)).toThrow(RegexpSyntaxError);
  });
});
