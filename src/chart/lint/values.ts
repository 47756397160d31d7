/**
 * values.yaml rules (Helm's `ValuesWithOverrides`): the file exists (INFO when not), parses, and —
 * merged under the user's values, top level only — satisfies values.schema.json when there is one.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type GoMap, newGoMap } from "../engine/value.ts";
import { parseValues } from "../engine/yaml.ts";
import { coalesceTablesInto, copyValues, type ValuesLog } from "../values/coalesce.ts";
import { validateAgainstSchema } from "../values/schema.ts";
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
  linter.check(Severity.Error, FILE, valuesProblem(linter.chartDir, userValues, skipSchemaValidation, log));
}

function valuesProblem(
  chartDir: string,
  userValues: GoMap,
  skipSchemaValidation: boolean,
  log: ValuesLog,
): string | null {
  let values: GoMap;
  try {
    values = parseValues(readFileSync(join(chartDir, FILE), "utf8").replace(/^\uFEFF/, ""));
  } catch (err) {
    // Lint reads values.yaml as a single YAML document, without the loader's wrapping.
    const message = (err as Error).message
      .replace(/^cannot unmarshal yaml document: /, "")
      .replace("Go value of type map[string]interface {}", "Go value of type common.Values");
    return `unable to parse YAML: ${message}`;
  }
  // Merged before the schema is looked at: Helm logs its merge warnings either way.
  const merged = coalesceTablesInto(coalesceTablesInto(newGoMap(), copyValues(userValues), log), values, log);
  let schema: Uint8Array;
  try {
    schema = readFileSync(join(chartDir, "values.schema.json"));
  } catch {
    return null;
  }
  if (schema.length === 0 || skipSchemaValidation) return null;
  return validateAgainstSchema(schema, merged);
}
