/** Shared by the strvals tests: our parser's answer in the table's notation, and a PRNG. */
import { newGoMap } from "../../../src/chart/engine/value.ts";
import { applySetJson, parseSet, StrvalsError, type ValueMode } from "../../../src/chart/values/strvals.ts";
import { typedDump } from "../support.ts";

const MODES: Record<string, ValueMode> = {
  "--set": "typed",
  "--set-string": "string",
  "--set-file": "file",
  "--set-literal": "literal",
  "--set-json": "json",
};

/** What our parser makes of one flag argument, in the table's notation. */
export function ours(flag: string, arg: string, file = ""): string {
  const base = newGoMap();
  try {
    if (flag === "--set-json") applySetJson(arg, base);
    else {
      parseSet(arg, base, MODES[flag], (p) => {
        if (p === file) return "hello\n";
        throw new Error(`open ${p}: no such file or directory`);
      });
    }
  } catch (err) {
    if (!(err instanceof StrvalsError)) throw err;
    return flag === "--set-json" ? `ERR ${err.message}` : `ERR failed parsing ${flag} data: ${err.message}`;
  }
  return typedDump(base);
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
