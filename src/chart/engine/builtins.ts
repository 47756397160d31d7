/**
 * text/template's predefined functions: not, len, index, slice, print*, html, js, urlquery and the
 * comparisons, with Go's rules and messages. (`and`/`or` short-circuit and live in the executor.)
 */

import { isTrue } from "./exec.ts";
import { formatValue, goTypeOf, sprint, sprintf, sprintln } from "./fmt.ts";
import { func, type TemplateFunc } from "./funcs/types.ts";
import { type GoValue, isGoMap } from "./value.ts";

type Kind = "bool" | "int" | "float" | "string" | "invalid" | "other";

function basicKind(v: GoValue): Kind {
  if (v === null) return "invalid";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
  }
  return "other";
}

function incompatible(a: GoValue, b: GoValue): Error {
  return new Error(`incompatible types for comparison: ${goTypeOf(a)} and ${goTypeOf(b)}`);
}

function sameNonBasic(a: GoValue, b: GoValue): boolean {
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || isGoMap(a) || a instanceof Uint8Array) {
    throw new Error(`non-comparable type ${formatValue(a)}: ${goTypeOf(a)}`);
  }
  return a === b;
}

function eq(a: GoValue, ...rest: GoValue[]): boolean {
  if (rest.length === 0) throw new Error("missing argument for comparison");
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let truth: boolean;
    if (k1 !== k2) {
      if (a !== null && b !== null) throw incompatible(a, b);
      truth = false;
    } else if (k1 === "other" || k1 === "invalid") {
      truth = sameNonBasic(a, b);
    } else {
      truth = a === b;
    }
    if (truth) return true;
  }
  return false;
}

function lessThan(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (
    k1 === "bool" ||
    k1 === "other" ||
    k1 === "invalid" ||
    k2 === "bool" ||
    k2 === "other" ||
    k2 === "invalid"
  ) {
    throw new Error("invalid type for comparison");
  }
  if (k1 !== k2) throw incompatible(a, b);
  return (a as string | number | bigint) < (b as string | number | bigint);
}

function lengthOf(v: GoValue): bigint {
  if (v === null) throw new Error("len of nil pointer");
  if (typeof v === "string") return BigInt(Buffer.byteLength(v));
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (isGoMap(v)) return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${goTypeOf(v)}`);
}

function indexInt(i: GoValue, len: number, what: string): number {
  if (typeof i !== "bigint") throw new Error(`cannot index ${what} with type ${goTypeOf(i)}`);
  if (i < 0n || i >= BigInt(len)) throw new Error(`index out of range: ${i}`);
  return Number(i);
}

function index(item: GoValue, ...indices: GoValue[]): GoValue {
  let v = item;
  for (const i of indices) {
    if (v === null) throw new Error("index of nil pointer");
    if (isGoMap(v)) {
      if (typeof i !== "string") throw new Error(`value has type ${goTypeOf(i)}; should be string`);
      v = Object.hasOwn(v, i) ? v[i]! : null;
    } else if (Array.isArray(v)) {
      v = v[indexInt(i, v.length, "slice")]!;
    } else if (typeof v === "string") {
      const bytes = Buffer.from(v, "utf8");
      v = BigInt(bytes[indexInt(i, bytes.length, "string")]!);
    } else if (v instanceof Uint8Array) {
      v = BigInt(v[indexInt(i, v.length, "slice")]!);
    } else {
      throw new Error(`can't index item of type ${goTypeOf(v)}`);
    }
  }
  return v;
}

function sliceOf(item: GoValue, ...indices: GoValue[]): GoValue {
  if (item === null) throw new Error("slice of untyped nil");
  if (indices.length > 3) throw new Error(`too many slice indexes: ${indices.length}`);
  const isString = typeof item === "string";
  if (!isString && !Array.isArray(item)) throw new Error(`can't slice item of type ${goTypeOf(item)}`);
  if (isString && indices.length === 3) throw new Error("cannot 3-index slice a string");
  const bytes = isString ? Buffer.from(item as string, "utf8") : undefined;
  const len = bytes ? bytes.length : (item as GoValue[]).length;
  const idx = indices.map((i) => {
    if (typeof i !== "bigint") throw new Error(`cannot index slice/array with type ${goTypeOf(i)}`);
    if (i < 0n || i > BigInt(len)) throw new Error(`index out of range: ${i}`);
    return Number(i);
  });
  const [lo = 0, hi = len] = idx;
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`);
  return bytes ? bytes.subarray(lo, hi).toString("utf8") : (item as GoValue[]).slice(lo, hi);
}

/** Go's template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === "\0"
      ? "\uFFFD"
      : c === '"'
        ? "&#34;"
        : c === "'"
          ? "&#39;"
          : c === "&"
            ? "&amp;"
            : c === "<"
              ? "&lt;"
              : "&gt;",
  );
}

/** Go's template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === "<") out += "\\u003C";
    else if (ch === ">") out += "\\u003E";
    else if (ch === "&") out += "\\u0026";
    else if (ch === "=") out += "\\u003D";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, "+")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function evalArgsString(args: GoValue[]): string {
  return args.length === 1 && typeof args[0] === "string" ? args[0] : sprint(...args);
}

/** The predefined functions, by name. `and`/`or` are listed so the parser knows them. */
export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ["and", func([], () => null, "interface {}")],
  ["or", func([], () => null, "interface {}")],
  ["not", func(["interface {}"], (v) => !isTrue(v))],
  ["len", func(["interface {}"], lengthOf)],
  ["index", func(["interface {}"], index, "interface {}")],
  ["slice", func(["interface {}"], sliceOf, "interface {}")],
  ["print", func([], sprint, "interface {}")],
  ["printf", func(["string"], (f, ...a) => sprintf(f as string, ...a), "interface {}")],
  ["println", func([], sprintln, "interface {}")],
  ["html", func([], (...a) => htmlEscape(evalArgsString(a)), "interface {}")],
  ["js", func([], (...a) => jsEscape(evalArgsString(a)), "interface {}")],
  ["urlquery", func([], (...a) => queryEscape(evalArgsString(a)), "interface {}")],
  ["eq", func(["interface {}"], eq, "interface {}")],
  ["ne", func(["interface {}", "interface {}"], (a, b) => !eq(a, b))],
  ["lt", func(["interface {}", "interface {}"], lessThan)],
  ["le", func(["interface {}", "interface {}"], (a, b) => lessThan(a, b) || eq(a, b))],
  ["gt", func(["interface {}", "interface {}"], (a, b) => !lessThan(a, b) && !eq(a, b))],
  ["ge", func(["interface {}", "interface {}"], (a, b) => !lessThan(a, b))],
  [
    "call",
    func(
      ["interface {}"],
      (f) => {
        throw new Error(`non-function ${formatValue(f)} of type ${goTypeOf(f)}`);
      },
      "interface {}",
    ),
  ],
]);
