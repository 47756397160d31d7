/** Printing results as Helm does: uitable tables, Go's JSON (HTML-safe escapes) and go-yaml's YAML. */
import { goQuote } from "../chart/engine/fmt.ts";
import { toYaml } from "../chart/engine/funcs/serialize.ts";
import { type GoValue, newGoMap } from "../chart/engine/value.ts";

/** Output formats of `-o/--output`. */
export type OutputFormat = "table" | "json" | "yaml";

/** Parse `-o` as Helm does (error wording of its flag parser). */
export function parseOutputFormat(value: string): OutputFormat {
  if (value === "table" || value === "json" || value === "yaml") return value;
  throw new Error(`invalid argument "${value}" for "-o, --output" flag: invalid format type`);
}

/** Go's json.Marshal of plain data, fields in the order given (structs keep declaration order). */
export function goJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** go-yaml's YAML of a list of flat string records (keys sorted, as Helm's JSON→YAML trip does). */
export function goYamlRecords(records: Record<string, string>[]): string {
  if (records.length === 0) return "[]\n";
  const list: GoValue[] = records.map((r) => {
    const m = newGoMap();
    for (const [k, v] of Object.entries(r)) m[k] = v;
    return m;
  });
  return `${toYaml(list)}\n`;
}

/** Go's slog text handler quotes a value only when it must (empty, spaces, `"`, `=`, unprintable). */
function slogValue(v: string): string {
  if (v !== "" && !/[\s"=\p{C}]/u.test(v)) return v;
  return goQuote(v);
}

/** One `level=WARN msg=… key=value` line as Helm 4 logs it. */
export function slogLine(level: string, message: string, attrs: [string, string][] = []): string {
  return `level=${level} msg=${slogValue(message)}${attrs.map(([k, v]) => ` ${k}=${slogValue(v)}`).join("")}\n`;
}
