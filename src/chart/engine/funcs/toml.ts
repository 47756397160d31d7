/**
 * Helm's toToml and fromToml. toToml lays values out as Go's BurntSushi/toml encoder does: in each
 * table the plain keys first, sorted, then the sub-tables and arrays of tables, sorted, each body
 * indented two spaces per level, a blank line before each top-level table; nil values are left
 * out. fromToml reads with smol-toml: integers arrive as template ints, date-times as time.Time.
 */
import { parse as parseTomlText, TomlDate } from "smol-toml";
import { formatFloatG } from "../fmt.ts";
import { formatTime, GoTime, UTC } from "../gotime.ts";
import { type GoMap, type GoValue, isGoMap, newGoMap, sortedKeys } from "../value.ts";

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** TOML basic string, with the escapes the Go encoder writes. */
function quoteToml(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function quoteKey(k: string): string {
  return BARE_KEY.test(k) ? k : quoteToml(k);
}

function isArrayOfTables(v: GoValue): v is GoMap[] {
  return Array.isArray(v) && v.length > 0 && v.every(isGoMap);
}

function tomlFloat(f: number): string {
  if (Number.isNaN(f)) return "nan";
  if (!Number.isFinite(f)) return f > 0 ? "inf" : "-inf";
  const s = formatFloatG(f);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** One value in TOML's inline syntax. */
function element(v: GoValue): string {
  if (v === null) throw new Error("toml: cannot encode a nil value");
  switch (typeof v) {
    case "string":
      return quoteToml(v);
    case "bigint":
      return v.toString();
    case "number":
      return tomlFloat(v);
    case "boolean":
      return String(v);
  }
  if (v instanceof GoTime) return formatTime(v, "2006-01-02T15:04:05.999999999Z07:00");
  if (v instanceof Uint8Array) return element(Array.from(v, (b) => BigInt(b)));
  if (Array.isArray(v)) {
    if (v.some((x) => x === null)) throw new Error("toml: cannot encode array with nil element");
    return `[${v.map(element).join(", ")}]`;
  }
  if (isGoMap(v)) {
    const keys = sortedKeys(v).filter((k) => v[k] !== null);
    return `{${keys.map((k) => `${quoteKey(k)} = ${element(v[k]!)}`).join(", ")}}`;
  }
  throw new Error(`toml: cannot encode a value of type ${v.goType}`);
}

class TomlWriter {
  out = "";

  /** A line break, but none before anything was written. */
  private newline(): void {
    if (this.out.length > 0) this.out += "\n";
  }

  private indent(key: readonly string[]): string {
    return "  ".repeat(Math.max(0, key.length - 1));
  }

  table(key: readonly string[], m: GoMap): void {
    const keys = sortedKeys(m).filter((k) => m[k] !== null);
    const nested = (v: GoValue) => isGoMap(v) || isArrayOfTables(v);
    for (const k of keys) {
      if (nested(m[k]!)) continue;
      this.out += `${this.indent([...key, k])}${quoteKey(k)} = ${element(m[k]!)}`;
      this.newline();
    }
    for (const k of keys) {
      const v = m[k]!;
      if (!nested(v)) continue;
      const path = [...key, k];
      const indent = this.indent(path);
      const name = path.map(quoteKey).join(".");
      if (isGoMap(v)) {
        if (path.length === 1) this.newline();
        this.out += `${indent}[${name}]`;
        this.newline();
        this.table(path, v);
        continue;
      }
      for (const item of v as GoMap[]) {
        this.newline();
        this.out += `${indent}[[${name}]]`;
        this.newline();
        this.table(path, item);
      }
    }
  }
}

/** Helm's toToml: the TOML document of a map (or the inline form of another value), or the encoder's error text. */
export function toToml(v: GoValue): string {
  try {
    if (isArrayOfTables(v)) throw new Error("toml: top-level values must be Go maps or structs");
    if (!isGoMap(v)) return element(v);
    const w = new TomlWriter();
    w.table([], v);
    return w.out;
  } catch (err) {
    return (err as Error).message;
  }
}

function fromTomlValue(v: unknown): GoValue {
  if (typeof v === "bigint" || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return v;
  if (v instanceof TomlDate) return GoTime.fromDate(v, UTC);
  if (Array.isArray(v)) return v.map(fromTomlValue);
  const m = newGoMap();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = fromTomlValue(x);
  return m;
}

/** Helm's fromToml: a map, or a map holding the parse error under `Error`. */
export function fromToml(text: string): GoValue {
  try {
    // Integers as template ints (Go: int64); floats stay numbers.
    return fromTomlValue(parseTomlText(text, { integersAsBigInt: true }));
  } catch (err) {
    const m = newGoMap();
    m.Error = `toml: ${(err as Error).message.split("\n")[0]!}`;
    return m;
  }
}
