/**
 * The function case table: Sprig's and Helm's template functions with normal and edge inputs and
 * their errors, as real Helm v4.1.4 rendered them, recorded by
 * `bun test/chart/engine/record-cases.ts functions` into fixtures/function-cases.json. Each case runs
 * with the full function map and FUNCTION_VALUES (the language values plus numbers as values files
 * give them: YAML ints and floats arrive as float64).
 */
import { join } from "node:path";
import { buildFuncMap } from "../../../src/chart/engine/funcs/index.ts";
import type { HelmResult } from "./helm-oracle.ts";
import { CASE_VALUES, type LanguageCase, renderCase } from "./language-cases.ts";

export const FUNCTION_VALUES = `${CASE_VALUES}million: 1000000
sci: 1e6
onef: 1.0
octal: 0777
hex: 0x1F
huge: 12345678901234567890
small: 0.000001
ver: 1.2.3
sentence: "The quick brown fox"
multi: |
  line one
  line two
`;

export const FUNCTION_CASES_FILE = join(import.meta.dir, "fixtures", "function-cases.json");

/** Render a function case with the engine and the full function map. */
export function renderFunctionCase(c: LanguageCase): HelmResult {
  return renderCase(c, buildFuncMap(), FUNCTION_VALUES);
}
