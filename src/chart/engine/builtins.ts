/**
 * text/template's predefined functions with Go's rules and messages: and, or, not, len, index,
 * slice, print, printf, println, html, js, urlquery, eq, ne, lt, le, gt, ge, call. Most take Go's
 * reflect.Value, so they see `undefined` (no value) apart from `null` (a nil interface), as Go's do.
 * (`and`, `or` and `call` are evaluated by the executor; their entries here declare them.)
 */
import type { Val } from "./exec.ts";
import { isTrue } from "./exec.ts";
import { formatValue, goTypeOf, sprint, sprintf, sprintln } from "./fmt.ts";
import { func, type TemplateFunc } from "./funcs/types.ts";
import { isPrintRune } from "./quote.ts";
import {
  elemTypeOf,
  type GoMap,
  GoStruct,
  type GoValue,
  goBytes,
  goString,
  isGoMap,
  mapMethodsOf,
  typedList,
  withMethods,
} from "./value.ts";

const RV = "reflect.Value" as const;
const ANY = "interface {}" as const;

/** Go's reflect.Value of a string is its bytes. */
function bytesOf(s: string): Uint8Array {
  return goBytes(s);
}

function stringByteLength(s: string): number {
  return /[\udc80-\udcff]/.test(s) ? goBytes(s).length : Buffer.byteLength(s);
}

function typeName(v: GoValue): string {
  return goTypeOf(v);
}

// --- len, index, slice ------------------------------------------------------------------------

function length(v: Val): bigint {
  if (v === undefined) throw new Error("reflect: call of reflect.Value.Type on zero Value");
  if (v === null) throw new Error("len of nil pointer");
  if (typeof v === "string") return BigInt(stringByteLength(v));
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (isGoMap(v)) return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${typeName(v)}`);
}

/** An index into something of length `cap` (Go's indexArg): an integer in [0, cap]. */
function indexArg(i: Val, cap: number): number {
  if (i === undefined || i === null) throw new Error("cannot index slice/array with nil");
  if (typeof i !== "bigint") throw new Error(`cannot index slice/array with type ${typeName(i)}`);
  if (i < 0n || i > BigInt(cap)) throw new Error(`index out of range: ${i}`);
  return Number(i);
}

function index(item: Val, ...indexes: Val[]): GoValue {
  if (item === undefined || item === null) throw new Error("index of untyped nil");
  let v: GoValue = item;
  for (const ix of indexes) {
    if (v === null) throw new Error("index of nil pointer");
    if (typeof v === "string") {
      const bytes = bytesOf(v);
      const x = indexArg(ix, bytes.length);
      if (x === bytes.length) throw new Error("reflect: string index out of range");
      v = BigInt(bytes[x]!);
    } else if (Array.isArray(v)) {
      const x = indexArg(ix, v.length);
      if (x === v.length) throw new Error("reflect: slice index out of range");
      v = v[x]!;
    } else if (v instanceof Uint8Array) {
      const x = indexArg(ix, v.length);
      if (x === v.length) throw new Error("reflect: slice index out of range");
      v = BigInt(v[x]!);
    } else if (isGoMap(v)) {
      if (ix === undefined || ix === null) throw new Error("value is nil; should be of type string");
      if (typeof ix !== "string") throw new Error(`value has type ${typeName(ix)}; should be string`);
      const m: GoMap = v;
      v = Object.hasOwn(m, ix) ? m[ix]! : (mapMethodsOf(m)?.elemZero ?? null);
    } else {
      throw new Error(`can't index item of type ${typeName(v)}`);
    }
  }
  return v;
}

function slice(item: Val, ...indexes: Val[]): GoValue {
  if (item === undefined || item === null) throw new Error("slice of untyped nil");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof item === "string") {
    if (indexes.length === 3) throw new Error("cannot 3-index slice a string");
    len = bytesOf(item).length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    len = item.length;
  } else {
    throw new Error(`can't slice item of type ${typeName(item)}`);
  }
  const idx = [0, len, len];
  for (let i = 0; i < indexes.length; i++) idx[i] = indexArg(indexes[i], len);
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!)
    throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === "string") return goString(bytesOf(item).subarray(idx[0], idx[1]));
  if (item instanceof Uint8Array) return item.slice(idx[0], idx[1]);
  // Slicing keeps the slice's type.
  const out = item.slice(idx[0], idx[1]);
  const elem = elemTypeOf(item);
  if (elem !== "interface {}") typedList(out, elem);
  const info = mapMethodsOf(item);
  return info ? withMethods(out, info) : out;
}

// --- comparisons ------------------------------------------------------------------------------

type Kind = "bool" | "int" | "float" | "string" | "invalid";

function basicKind(v: GoValue | undefined): Kind {
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
  return "invalid";
}

/** A value after Go's indirectInterface: nil and no value are both "no value". */
function deref(v: Val): GoValue | undefined {
  return v === null ? undefined : v;
}

function isComparableType(v: GoValue): boolean {
  return !(Array.isArray(v) || isGoMap(v) || v instanceof Uint8Array);
}

function incompatible(a: GoValue, b: GoValue): Error {
  return new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
}

function eq(arg1: Val, ...rest: Val[]): boolean {
  const a = deref(arg1);
  if (rest.length === 0) throw new Error("missing argument for comparison");
  const k1 = basicKind(a);
  for (const arg of rest) {
    const b = deref(arg);
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (a !== undefined && b !== undefined) throw incompatible(a, b);
    } else if (k1 !== "invalid") {
      truth = a === b;
    } else if (a === undefined || b === undefined) {
      truth = a === b;
    } else {
      if (typeName(a) !== typeName(b)) {
        throw new Error(sprintf("non-comparable types %s: %v, %s: %v", a, typeName(a), typeName(b), b));
      }
      if (!isComparableType(b)) throw new Error(sprintf("non-comparable type %s: %v", b, typeName(b)));
      truth = a === b;
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1: Val, arg2: Val): boolean {
  const a = deref(arg1);
  const b = deref(arg2);
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === "invalid" || k2 === "invalid") throw new Error("invalid type for comparison");
  if (k1 !== k2) throw incompatible(a!, b!);
  if (k1 === "bool") throw new Error("invalid type for comparison");
  if (k1 === "string") return compareBytes(a as string, b as string) < 0;
  return (a as number | bigint) < (b as number | bigint);
}

function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(goBytes(a), goBytes(b));
}

function le(a: Val, b: Val): boolean {
  return lt(a, b) || eq(a, b);
}

// --- printing and escaping --------------------------------------------------------------------

/** What html/js/urlquery print for their arguments (Go's evalArgs: nil is `<no value>`). */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(...args.map((a): GoValue => (a === null ? "<no value>" : printableArg(a))));
}

function printableArg(v: GoValue): GoValue {
  if (v instanceof GoStruct && !v.goMethods.has("String") && v.goType.startsWith("*")) {
    return formatValue(v, false, 1);
  }
  return v;
}

/** Go's template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case "\0":
        return "\uFFFD";
      case '"':
        return "&#34;";
      case "'":
        return "&#39;";
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      default:
        return "&gt;";
    }
  });
}

const JS_SPECIAL: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "<": "\\u003C",
  ">": "\\u003E",
  "&": "\\u0026",
  "=": "\\u003D",
};

/** Go's template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const special = JS_SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    const c = ch.codePointAt(0)!;
    if (c < 0x20) out += `\\u00${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (c < 0x80 || isPrintRune(c)) out += ch;
    // A byte of invalid UTF-8 decodes as U+FFFD, which is printable: Go copies the byte.
    else if (c >= 0xdc80 && c <= 0xdcff) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of goBytes(s)) {
    if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f ||
      b === 0x7e
    ) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) {
      out += "+";
    } else {
      out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

function unreachable(): GoValue {
  throw new Error("evaluated by the executor");
}

/** The predefined functions, by name. */
export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ["and", func([RV], unreachable, RV)],
  ["or", func([RV], unreachable, RV)],
  ["call", func([RV], unreachable, RV)],
  ["not", func([RV], (v: Val) => !isTrue(v))],
  ["len", func([RV], length)],
  ["index", func([RV], index, RV)],
  ["slice", func([RV], slice, RV)],
  ["print", func([], sprint, ANY)],
  ["printf", func(["string"], (f, ...a) => sprintf(f as string, ...a), ANY)],
  ["println", func([], sprintln, ANY)],
  ["html", func([], (...a) => htmlEscape(evalArgs(a)), ANY)],
  ["js", func([], (...a) => jsEscape(evalArgs(a)), ANY)],
  ["urlquery", func([], (...a) => queryEscape(evalArgs(a)), ANY)],
  ["eq", func([RV], eq, RV)],
  ["ne", func([RV, RV], (a: Val, b: Val) => !eq(a, b))],
  ["lt", func([RV, RV], lt)],
  ["le", func([RV, RV], le)],
  ["gt", func([RV, RV], (a: Val, b: Val) => !le(a, b))],
  ["ge", func([RV, RV], (a: Val, b: Val) => !lt(a, b))],
]);
