/**
 * Differential: our `--set` family parser against real Helm v4.1.4 — the recorded table is re-checked,
 * then random arguments over the grammar's characters are compared one by one.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { helmValues, tempDir } from "../support.ts";
import { STRVALS_CASES } from "./strvals-cases.ts";
import { ours, prng } from "./strvals-helpers.ts";

function helm(flag: string, arg: string): string {
  const r = helmValues([flag, arg]);
  return "ok" in r ? r.ok.get("")! : `ERR ${r.err}`;
}

describe("strvals table still matches real Helm", () => {
  const file = join(tempDir(), "hello.txt");
  writeFileSync(file, "hello\n");
  test("every recorded case", () => {
    const wrong: string[] = [];
    for (const [flag, arg, expected] of STRVALS_CASES) {
      const got = helm(flag, arg.replaceAll("$FILE", file));
      if (got !== expected) wrong.push(`${flag} ${arg}: helm says ${got}, table says ${expected}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});

describe("strvals random differential", () => {
  test("random --set / --set-string / --set-literal / --set-json arguments", () => {
    const rand = prng(Number(process.env.STRVALS_SEED ?? 7));
    const alphabet = ["a", "b", "0", "1", "=", ",", ".", "[", "]", "{", "}", "\\", " ", "x", "-", '"'];
    const flags = ["--set", "--set-string", "--set-literal", "--set-json"];
    const wrong: string[] = [];
    for (let i = 0; i < 60; i++) {
      let arg = "";
      const n = 1 + Math.floor(rand() * 14);
      for (let j = 0; j < n; j++) arg += alphabet[Math.floor(rand() * alphabet.length)];
      const flag = flags[i % flags.length]!;
      // Helm's CLI reads a leading "-" as a flag; real users can't pass those either.
      if (arg.startsWith("-")) arg = `a${arg}`;
      const theirs = helm(flag, arg);
      const mine = ours(flag, arg);
      if (theirs !== mine) wrong.push(`${flag} ${JSON.stringify(arg)}: helm ${theirs} / ours ${mine}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
