/**
 * values.yaml rules (Helm's `ValuesWithOverrides`): the file exists (INFO when not), parses, and —
 * merged under the user's values, top level only — satisfies values.schema.json when there is one.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type GoMap, newGoMap } from "../engine/value.ts";
import { parseValues } from "../engine/yaml.ts";
import { decodeChartYaml, decodeRequirements } from "../metadata.ts";
import { coalesceTablesInto, copyValues, type ValuesLog } from "../values/coalesce.ts";
import { validateAgainstSchema } from "../values/schema.ts";
import { misspelledKeys, parseSchema } from "../values/schema-help.ts";
import { type Linter, Severity } from "./support.ts";

const FILE = "values.yaml";

/** Run the values.yaml rules with the user's values. */
export function lintValues(
  linter: Linter,
  userValues: GoMap,
  skipSchemaValidation: boolean,
  log: ValuesLog,
): void {
  const path = join(linter.chartDir, FILE);
  let exists = true;
  try {
    statSync(path);
  } catch {
    exists = false;
  }
  if (!linter.check(Severity.Info, FILE, exists ? null : "file does not exist")) return;
  const { problem, validated } = valuesProblem(linter.chartDir, userValues, skipSchemaValidation, log);
  linter.check(Severity.Error, FILE, problem);
  if (problem !== null || validated === undefined) return;
  // Beyond Helm: a misspelt key passes validation silently and its setting is lost.
  let schema: ReturnType<typeof parseSchema>;
  try {
    schema = parseSchema(validated.schema);
  } catch {
    return;
  }
  const others = new Set(["global", ...dependencyKeys(linter.chartDir)]);
  for (const { path, suggestion } of misspelledKeys(schema, validated.values)) {
    if (others.has(path)) continue;
    linter.advise(FILE, `key "${path}" is not declared in values.schema.json; did you mean "${suggestion}"?`);
  }
}

/** Names and aliases of the chart's dependencies: their values sit under these top-level keys. */
function dependencyKeys(chartDir: string): string[] {
  const keys: string[] = [];
  for (const [file, decode] of [
    ["Chart.yaml", (t: string) => decodeChartYaml(t).dependencies],
    ["requirements.yaml", decodeRequirements],
  ] as const) {
    try {
      for (const d of decode(readFileSync(join(chartDir, file), "utf8")) ?? []) {
        if (d?.name) keys.push(d.name);
        if (d?.alias) keys.push(d.alias);
      }
    } catch {
      // No such file, or one the other rules report.
    }
  }
  return keys;
}

interface ValuesCheck {
  problem: string | null;
  /** The schema and the merged values it accepted. */
  validated?: { schema: Uint8Array; values: GoMap };
}

function valuesProblem(
  chartDir: string,
  userValues: GoMap,
  skipSchemaValidation: boolean,
  log: ValuesLog,
): ValuesCheck {
  let values: GoMap;
  try {
    values = parseValues(readFileSync(join(chartDir, FILE), "utf8").replace(/^\uFEFF/, ""));
  } catch (err) {
    // Lint reads values.yaml as a single YAML document, without the loader's wrapping.
    const message = (err as Error).message
      .replace(/^cannot unmarshal yaml document: /, "")
      .replace("Go value of type map[string]interface {}", "Go value of type common.Values");
    return { problem: `unable to parse YAML: ${message}` };
  }
  // Merged before the schema is looked at: Helm logs its merge warnings either way.
  const merged = coalesceTablesInto(coalesceTablesInto(newGoMap(), copyValues(userValues), log), values, log);
  let schema: Uint8Array;
  try {
    schema = readFileSync(join(chartDir, "values.schema.json"));
  } catch {
    return { problem: null };
  }
  if (schema.length === 0 || skipSchemaValidation) return { problem: null };
  const problem = validateAgainstSchema(schema, merged);
  return { problem, validated: { schema, values: merged } };
}
