/**
 * Records what real Helm makes of a case table: `bun test/chart/engine/record-cases.ts language|functions`
 * fills in `want` for cases that have none; with `--all` it re-records every case and lists the
 * ones whose result changed.
 */
import { writeFileSync } from "node:fs";
import { FUNCTION_CASES_FILE, FUNCTION_VALUES } from "./function-cases.ts";
import { helmRenderBatch } from "./helm-oracle.ts";
import { CASE_VALUES, CASES_FILE, loadCases } from "./language-cases.ts";

const tables: Record<string, { file: string; values: string }> = {
  language: { file: CASES_FILE, values: CASE_VALUES },
  functions: { file: FUNCTION_CASES_FILE, values: FUNCTION_VALUES },
};
const table = tables[process.argv[2] ?? ""];
if (table === undefined) {
  console.error(`usage: record-cases.ts ${Object.keys(tables).join("|")} [--all]`);
  process.exit(2);
}
const all = process.argv.includes("--all");
const cases = loadCases(table.file);
const todo = cases.filter((c) => all || c.want === undefined);
const results = await helmRenderBatch(
  todo.map((c) => ({ template: c.template, values: c.values })),
  table.values,
);
let changed = 0;
todo.forEach((c, i) => {
  const r = results[i]!;
  if (c.want !== undefined && JSON.stringify(c.want) !== JSON.stringify(r)) {
    changed++;
    console.log(
      `changed: ${JSON.stringify(c.template)}\n  was ${JSON.stringify(c.want)}\n  now ${JSON.stringify(r)}`,
    );
  }
  c.want = r;
});
writeFileSync(table.file, `${JSON.stringify(cases, null, 1)}\n`);
console.log(`recorded ${todo.length} case(s), ${changed} changed`);
