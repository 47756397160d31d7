import { describe, expect, test } from "bun:test";
import { goGlobToRegExp, HelmIgnore, HelmIgnoreError } from "../../src/chart/helmignore.ts";
import { loadDir } from "../../src/chart/loader.ts";
import { HELMIGNORE_CASES, writeIgnoreTree } from "./helmignore-cases.ts";
import { prng } from "./values/strvals-helpers.ts";

function kept(dir: string): string {
  try {
    return loadDir(dir)
      .raw.map((f) => f.name)
      .sort()
      .join(" ");
  } catch (err) {
    return `ERR ${(err as Error).message}`;
  }
}

describe(".helmignore: table recorded from real Helm (helm package)", () => {
  for (const [patterns, expected] of HELMIGNORE_CASES) {
    test(JSON.stringify(patterns), () => {
      expect(kept(writeIgnoreTree(patterns))).toBe(expected);
    });
  }
});

describe(".helmignore: rules", () => {
  test("Helm's default rule hides dotfiles directly under templates/", () => {
    const r = new HelmIgnore("");
    expect(r.ignores("templates/.x", false)).toBe(true);
    expect(r.ignores("templates/a/.x", false)).toBe(false);
    expect(new HelmIgnore("", false).ignores("templates/.x", false)).toBe(false);
  });

  test("a negated rule ignores everything it does not match", () => {
    const r = new HelmIgnore("!keep.txt", false);
    expect(r.ignores("keep.txt", false)).toBe(false);
    expect(r.ignores("other.txt", false)).toBe(true);
  });

  test("directory-only rules", () => {
    const r = new HelmIgnore("build/", false);
    expect(r.ignores("build", true)).toBe(true);
    expect(r.ignores("build", false)).toBe(false);
  });

  test("Go glob syntax", () => {
    expect(goGlobToRegExp("a?c").test("abc")).toBe(true);
    expect(goGlobToRegExp("a*").test("a/b")).toBe(false);
    expect(goGlobToRegExp("[^a]").test("b")).toBe(true);
    expect(goGlobToRegExp("[!a]").test("!")).toBe(true);
    expect(goGlobToRegExp("\\*").test("*")).toBe(true);
    expect(goGlobToRegExp("[a\\]]").test("]")).toBe(true);
    for (const bad of ["[", "[]", "[a-", "a\\", "[-a]", "[^]"]) {
      expect(() => goGlobToRegExp(bad)).toThrow(HelmIgnoreError);
    }
  });

  test("fuzz: random pattern files parse or fail cleanly, and matching never throws", () => {
    const rand = prng(99);
    const alphabet = ["a", "/", "*", "?", "[", "]", "^", "!", "-", "\\", ".", " ", "#", "\n", "é", "b"];
    for (let i = 0; i < 20_000; i++) {
      let text = "";
      const n = Math.floor(rand() * 16);
      for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
      let rules: HelmIgnore;
      try {
        rules = new HelmIgnore(text);
      } catch (err) {
        if (!(err instanceof HelmIgnoreError)) throw err;
        continue;
      }
      for (const path of ["a", "a/b", "templates/.x", "[a]", "a b/c"]) rules.ignores(path, rand() < 0.5);
    }
  });
});
