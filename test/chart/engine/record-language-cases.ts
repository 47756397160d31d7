/**
 * Records what real Helm makes of the language cases: `bun test/chart/engine/record-language-cases.ts`
 * fills in `want` for cases that have none; with `--all` it re-records every case and lists the
 * ones whose result changed.
 */
import { writeFileSync } from "node:fs";
import { helmRenderAll } from "./helm-oracle.ts";
import { CASE_VALUES, CASES_FILE, loadCases } from "./language-cases.ts";

const all = process.argv.includes("--all");
const cases = loadCases();
const todo = cases.filter((c) => all || c.want === undefined);
const results = await helmRenderAll(
  todo.map((c) => ({ template: c.template, values: c.values })),
  CASE_VALUES,
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
writeFileSync(CASES_FILE, `${JSON.stringify(cases, null, 1)}\n`);
console.log(`recorded ${todo.length} case(s), ${changed} changed`);
