/** Sprig's loose conversions (the `cast` library's rules): values to int64, float64, string, lists. */
import { formatValue } from "../fmt.ts";
import { GoStruct, type GoValue, isGoMap, toInt64 } from "../value.ts";

/** cast.ToInt64: numbers truncate, strings parse (base prefixes allowed), bools are 0/1, the rest 0. */
export function asInt(v: GoValue): bigint {
  if (typeof v === "bigint") return v;
  // Go's float64 → int64 conversion gives the minimum int64 for NaN and out-of-range values (amd64).
  if (typeof v === "number") return Math.abs(v) < 2 ** 63 ? BigInt(Math.trunc(v)) : -(2n ** 63n);
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "string") {
    const s = v;
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$/.exec(s.replace(/_/g, ""));
    if (!m) return 0n;
    let digits = m[2]!;
    if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
    else if (/^0[oO]/.test(digits)) digits = `0o${digits.slice(2)}`;
    const n = BigInt(digits);
    return toInt64(m[1] === "-" ? -n : n);
  }
  return 0n;
}

/** cast.ToFloat64. */
export function asFloat(v: GoValue): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return parseGoFloat(v) ?? 0;
  return 0;
}

/** Go's strconv.ParseFloat (decimal forms, underscores between digits, inf/nan), or undefined. */
export function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Sprig's strval: strings as they are, bytes as text, everything else with %v. */
export function asString(v: GoValue): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (v === null) return "<nil>";
  if (v instanceof GoStruct && v.goMethods.has("String")) return formatValue(v);
  return formatValue(v);
}

/** Go's panic for reflection on a nil interface, as Sprig's list functions hit it. */
export const NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference";

/**
 * A list from any list-like value; otherwise Sprig's error for the function (`Cannot find first
 * on type string` by default, or the message `notList` builds from the type name).
 */
export function asList(v: GoValue, fn: string, notList?: (type: string) => string): GoValue[] {
  if (Array.isArray(v)) return v;
  if (v === null) throw new Error(NIL_DEREFERENCE);
  const type = typeName(v);
  throw new Error(notList ? notList(type) : `Cannot find ${fn} on type ${type}`);
}

function typeName(v: GoValue): string {
  if (typeof v === "string") return "string";
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (isGoMap(v)) return "map";
  return "unknown";
}

/** Sprig's `empty`: Go zero values are empty. */
export function isEmpty(v: GoValue): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case "boolean":
      return !v;
    case "string":
      return v.length === 0;
    case "number":
      return v === 0;
    case "bigint":
      return v === 0n;
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof GoStruct) return false;
  return Object.keys(v).length === 0;
}
