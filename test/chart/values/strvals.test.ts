import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type GoMap, newGoMap } from "../../../src/chart/engine/value.ts";
import {
  applySetJson,
  MAX_INDEX,
  mergeMaps,
  parseSet,
  StrvalsError,
  typedValue,
} from "../../../src/chart/values/strvals.ts";
import { tempDir, typedDump } from "../support.ts";
import { STRVALS_CASES } from "./strvals-cases.ts";
import { ours, prng } from "./strvals-helpers.ts";

const file = join(tempDir(), "hello.txt");
writeFileSync(file, "hello\n");

describe("strvals: table recorded from real Helm", () => {
  for (const [flag, arg, expected] of STRVALS_CASES) {
    test(`${flag} ${arg}`, () => {
      expect(ours(flag, arg.replaceAll("$FILE", file), file)).toBe(expected);
    });
  }
});

describe("strvals: details", () => {
  test("--set infers int64 (bigint), bools, null; floats stay strings", () => {
    const v = parseSet("a=1,b=true,c=null,d=007,e=1.5,f=0,g=-12");
    expect(v).toEqual(
      Object.assign(newGoMap(), { a: 1n, b: true, c: null, d: "007", e: "1.5", f: 0n, g: -12n }) as GoMap,
    );
  });

  test("the largest index is accepted, one more is refused", () => {
    const v = parseSet(`a[${MAX_INDEX}]=1`);
    expect((v.a as unknown[]).length).toBe(MAX_INDEX + 1);
    expect(() => parseSet(`a[${MAX_INDEX + 1}]=1`)).toThrow(
      "index of 65537 is greater than maximum supported index of 65536",
    );
  });

  test("parses into an existing map", () => {
    const base = parseSet("a.b=1");
    parseSet("a.c=2", base);
    expect(typedDump(base)).toBe('{"a":{"b":int64:1,"c":int64:2,},}');
  });

  test("keys that look like prototype members are plain keys", () => {
    const v = parseSet("__proto__.polluted=1,constructor=2");
    expect(Object.keys(v).sort()).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("typedValue follows Helm's rules", () => {
    expect(typedValue("TRUE")).toBe(true);
    expect(typedValue("9223372036854775807")).toBe(9223372036854775807n);
    expect(typedValue("9223372036854775808")).toBe("9223372036854775808");
    expect(typedValue("+0")).toBe(0n);
    expect(typedValue("01")).toBe("01");
  });

  test("deep list nesting is bounded, not a stack overflow", () => {
    expect(() => parseSet(`a${"[0]".repeat(200_000)}=1`)).toThrow(StrvalsError);
    expect(() => parseSet(`a${"[0]".repeat(2_000)}=1`)).not.toThrow();
  });

  test("mergeMaps merges maps and replaces everything else", () => {
    const a = parseSet("a.b=1,a.c=2,l={1,2}");
    mergeMaps(a, parseSet("a.c=3,l={9}"));
    expect(typedDump(a)).toBe('{"a":{"b":int64:1,"c":int64:3,},"l":[int64:9,],}');
  });
});

/** Strings over the grammar's interesting characters. */
function randomArg(rand: () => number): string {
  const alphabet = [
    "a",
    "b",
    "0",
    "1",
    "=",
    ",",
    ".",
    "[",
    "]",
    "{",
    "}",
    "\\",
    " ",
    "-",
    "x",
    "9",
    '"',
    ":",
    "é",
  ];
  let s = "";
  const n = Math.floor(rand() * 24);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

describe("strvals: fuzz", () => {
  test("random arguments give a value or a StrvalsError, quickly", () => {
    const rand = prng(12345);
    const started = Date.now();
    for (let i = 0; i < 20_000; i++) {
      const arg = randomArg(rand);
      for (const mode of ["typed", "string", "literal", "json", "file"] as const) {
        try {
          if (mode === "json") applySetJson(arg, newGoMap());
          else parseSet(arg, newGoMap(), mode, () => "content");
        } catch (err) {
          if (!(err instanceof StrvalsError)) throw new Error(`${mode} ${JSON.stringify(arg)}: ${err}`);
        }
      }
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
