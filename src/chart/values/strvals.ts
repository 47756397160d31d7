/**
 * Helm's `--set` grammar (`a.b=v,c={x,y},d[0].e=w`) for the whole `--set` family, with Helm's
 * results and error texts (checked against Helm v4.1.4):
 * - `.` nests maps (at most 30 levels of names), `[n]` indexes lists (n ≤ 65536, holes are null),
 *   `{x,y}` is a list, `,` separates assignments, `\` escapes the next character;
 * - `--set` infers types: `true`/`false`/`null` (any case), int64 integers without a leading zero
 *   (as bigint), everything else a string; `--set-string` keeps strings; `--set-file` reads the
 *   named file; `--set-json` takes a JSON value (numbers float64); `--set-literal` takes the rest
 *   of the argument verbatim, no escapes;
 * - an empty key is silently dropped; a key assigned through an existing value of another shape
 *   fails with Go's "interface conversion" panic text, as Helm's recover() reports it.
 * Every input gives a value or a {@link StrvalsError}; deep list nesting is bounded.
 */
import { type GoMap, type GoValue, isGoMap, newGoMap } from "../engine/value.ts";

/** Helm's `MaxIndex`: the largest list index `--set` accepts. */
export const MAX_INDEX = 65536;
/** Helm's `MaxNestedNameLevel`: the deepest `a.b.c` name chain. */
export const MAX_NESTED_NAME_LEVEL = 30;
/** Our own bound on total nesting (lists nest without Helm's name limit). */
const MAX_DEPTH = 10_000;

/** How values of a `--set`-style argument are read. */
export type ValueMode = "typed" | "string" | "json" | "file" | "literal";

/** A `--set`-family argument that cannot be parsed; the message is Helm's (without the flag prefix). */
export class StrvalsError extends Error {
  override name = "StrvalsError";
}

/** Reads a `--set-file` path. */
export type FileReader = (path: string) => string;

const EOF = Symbol("eof");
type Status = "ok" | typeof EOF;

class Scanner {
  private readonly runes: string[];
  pos = 0;

  constructor(text: string) {
    this.runes = Array.from(text);
  }

  next(): string | undefined {
    return this.runes[this.pos++];
  }

  unread(): void {
    this.pos--;
  }

  peek(): string | undefined {
    return this.runes[this.pos];
  }

  rest(): string {
    const s = this.runes.slice(this.pos).join("");
    this.pos = this.runes.length;
    return s;
  }

  /** Unconsumed text, without consuming it. */
  remaining(): string {
    return this.runes.slice(this.pos).join("");
  }

  /** Read until one of `stops` (consumed, returned as `last`) or the end; `\` escapes when `escapes`. */
  until(stops: string, escapes: boolean): { text: string; last: string | undefined } {
    let text = "";
    for (;;) {
      const r = this.next();
      if (r === undefined) return { text, last: undefined };
      if (escapes && r === "\\") {
        const e = this.next();
        if (e === undefined) return { text, last: undefined };
        text += e;
        continue;
      }
      if (stops.includes(r)) return { text, last: r };
      text += r;
    }
  }
}

/** Go's name for a value's dynamic type, as an `interface conversion` panic prints it. */
function goTypeName(v: GoValue): string {
  if (v === null) return "nil";
  if (Array.isArray(v)) return "[]interface {}";
  if (isGoMap(v)) return "map[string]interface {}";
  switch (typeof v) {
    case "bigint":
      return "int64";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "string":
      return "string";
  }
  return "interface {}";
}

function conversionError(v: GoValue, want: string): StrvalsError {
  return new StrvalsError(
    `unable to parse key: interface conversion: interface {} is ${goTypeName(v)}, not ${want}`,
  );
}

/** Go's %q of a rune: `'x'`, with Go's escapes for quotes and unprintable characters. */
function goQuoteRune(ch: string): string {
  const c = ch.codePointAt(0)!;
  const named: Record<string, string> = {
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    "'": "\\'",
  };
  if (named[ch] !== undefined) return `'${named[ch]}'`;
  if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) || c === 0x20) return `'${ch}'`;
  if (c < 0x80) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  if (c < 0x10000) return `'\\u${c.toString(16).padStart(4, "0")}'`;
  return `'\\U${c.toString(16).padStart(8, "0")}'`;
}

/** `--set` type inference. */
export function typedValue(s: string): GoValue {
  const lower = s.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (s === "0") return 0n;
  if (s !== "" && s[0] !== "0" && /^[+-]?[0-9]+$/.test(s)) {
    const v = BigInt(s);
    if (v >= -(2n ** 63n) && v < 2n ** 63n) return v;
  }
  return s;
}

/** Go's strconv.Atoi for an index, with its error texts. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) {
    throw new StrvalsError(`error parsing index: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  }
  const v = BigInt(s);
  if (v < -(2n ** 63n) || v >= 2n ** 63n) {
    throw new StrvalsError(
      `error parsing index: strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`,
    );
  }
  // Anything past MAX_INDEX is refused before use, so precision loss here is harmless.
  return Number(v);
}

function checkIndex(i: number): void {
  if (i < 0) throw new StrvalsError(`negative ${i} index not allowed`);
  if (i > MAX_INDEX) {
    throw new StrvalsError(`index of ${i} is greater than maximum supported index of ${MAX_INDEX}`);
  }
}

function setIndex(list: GoValue[], i: number, v: GoValue): GoValue[] {
  checkIndex(i);
  while (list.length <= i) list.push(null);
  list[i] = v;
  return list;
}

/** An empty key is never set (Helm drops it). */
function setKey(data: GoMap, key: string, v: GoValue): void {
  if (key !== "") data[key] = v;
}

/** Convert plain JSON into Go values: null-prototype maps, float64 numbers. */
function fromJson(v: unknown, depth = 0): GoValue {
  if (depth > MAX_DEPTH) throw new StrvalsError("value nesting is too deep");
  if (typeof v === "number" && !Number.isFinite(v)) throw new StrvalsError("json: number out of range");
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((x) => fromJson(x, depth + 1));
  const m = newGoMap();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = fromJson(x, depth + 1);
  return m;
}

/** Length of the JSON value at the start of `s` (after leading blanks), or -1 when malformed. */
function jsonValueLength(s: string): number {
  let i = 0;
  while (i < s.length && " \t\r\n".includes(s[i]!)) i++;
  const start = i;
  const stack: string[] = [];
  const scalarEnd = (j: number) => {
    while (j < s.length && !" \t\r\n,]}:".includes(s[j]!)) j++;
    return j;
  };
  do {
    const c = s[i];
    if (c === undefined) return -1;
    if (c === "{" || c === "[") {
      stack.push(c === "{" ? "}" : "]");
      i++;
    } else if (c === "}" || c === "]") {
      if (stack.pop() !== c) return -1;
      i++;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
      if (i >= s.length) return -1;
      i++;
    } else if (" \t\r\n,:".includes(c)) {
      if (stack.length === 0) return -1;
      i++;
    } else {
      i = scalarEnd(i);
    }
  } while (stack.length > 0);
  return i > start ? i : -1;
}

class Parser {
  private readonly sc: Scanner;

  constructor(
    text: string,
    private readonly mode: ValueMode,
    private readonly readFile?: FileReader,
  ) {
    this.sc = new Scanner(text);
  }

  parseInto(data: GoMap): void {
    while (this.key(data, 0, 0) !== EOF) {
      // One assignment per round.
    }
  }

  private convert(text: string): GoValue {
    switch (this.mode) {
      case "typed":
        return typedValue(text);
      case "file": {
        if (!this.readFile) throw new StrvalsError("no file reader for --set-file");
        try {
          return this.readFile(text);
        } catch (err) {
          throw new StrvalsError((err as Error).message);
        }
      }
      default:
        return text;
    }
  }

  private get escapes(): boolean {
    return this.mode !== "literal";
  }

  /** Skip blanks; true (consuming a `,`) when nothing but a separator or the end follows. */
  private emptyValue(): boolean {
    for (;;) {
      const r = this.sc.next();
      if (r === undefined) return true;
      if (r === ",") return true;
      if (!/\s/u.test(r)) {
        this.sc.unread();
        return false;
      }
    }
  }

  /** A JSON value from the input (Go's json.Decoder), then blanks and one optional comma. */
  private jsonValue(): GoValue {
    const rest = this.sc.remaining();
    const len = jsonValueLength(rest);
    if (len < 0) throw new StrvalsError("invalid JSON value");
    let v: unknown;
    try {
      v = JSON.parse(rest.slice(0, len));
    } catch {
      throw new StrvalsError("invalid JSON value");
    }
    this.sc.pos += Array.from(rest.slice(0, len)).length;
    this.emptyValue();
    return fromJson(v);
  }

  /**
   * The value after `=`. `atEnd` is set when the input ended right after the `=` with no value
   * (Helm then stops parsing the argument after storing `""`, unless inside a list item).
   */
  private value(): { v: GoValue; atEnd: boolean } {
    if (this.mode === "json") {
      if (this.emptyValue()) return { v: null, atEnd: false };
      return { v: this.jsonValue(), atEnd: false };
    }
    if (this.mode === "literal") return { v: this.sc.rest(), atEnd: false };
    const first = this.sc.next();
    if (first === undefined) return { v: "", atEnd: true };
    if (first === "{") return { v: this.listValue(), atEnd: false };
    this.sc.unread();
    return { v: this.convert(this.sc.until(",", true).text), atEnd: false };
  }

  /** `{a,b}` after its `{`; a following `,` is consumed. */
  private listValue(): GoValue[] {
    const out: GoValue[] = [];
    for (;;) {
      const { text, last } = this.sc.until(",}", true);
      if (last === undefined) throw new StrvalsError("list must terminate with '}'");
      out.push(this.convert(text));
      if (last === "}") break;
    }
    const after = this.sc.next();
    if (after !== undefined && after !== ",") this.sc.unread();
    return out;
  }

  /** `[n]` after its `[`; `EOF` when the input ends first. */
  private index(): number | typeof EOF {
    const { text, last } = this.sc.until("]", this.escapes);
    if (last === undefined) return EOF;
    return atoi(text);
  }

  private key(data: GoMap, nameLevel: number, depth: number): Status {
    if (depth > MAX_DEPTH) throw new StrvalsError("value nesting is too deep");
    const { text: k, last } = this.sc.until(this.mode === "literal" ? "=[." : "=[,.", this.escapes);
    switch (last) {
      case undefined:
        if (k === "") return EOF;
        throw new StrvalsError(`key ${JSON.stringify(k)} has no value`);
      case "[": {
        const i = this.index();
        if (i === EOF) return EOF;
        let list: GoValue[] = [];
        if (Object.hasOwn(data, k)) {
          const existing = data[k]!;
          if (!Array.isArray(existing)) throw conversionError(existing, "[]interface {}");
          list = existing;
        }
        const { list: out, status } = this.listItem(list, i, nameLevel, depth + 1);
        setKey(data, k, out);
        return status;
      }
      case "=": {
        const { v, atEnd } = this.value();
        setKey(data, k, v);
        return atEnd ? EOF : "ok";
      }
      case ",":
        throw new StrvalsError(`key ${JSON.stringify(k)} has no value (cannot end with ,)`);
      default: {
        const level = nameLevel + 1;
        if (level > MAX_NESTED_NAME_LEVEL) {
          throw new StrvalsError(
            `value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`,
          );
        }
        let inner = newGoMap();
        if (Object.hasOwn(data, k)) {
          const existing = data[k]!;
          if (!isGoMap(existing)) throw conversionError(existing, "map[string]interface {}");
          inner = existing;
        }
        const status = this.key(inner, level, depth + 1);
        const empty = Object.keys(inner).length === 0;
        if (status !== EOF && empty) throw new StrvalsError(`key map ${JSON.stringify(k)} has no value`);
        if (!empty) setKey(data, k, inner);
        return status;
      }
    }
  }

  private listItem(
    list: GoValue[],
    i: number,
    nameLevel: number,
    depth: number,
  ): { list: GoValue[]; status: Status } {
    if (depth > MAX_DEPTH) throw new StrvalsError("value nesting is too deep");
    checkIndex(i);
    // Whatever stands between `]` and the next `[`, `.` or `=` must be nothing.
    const { text: junk, last: r } = this.sc.until("[.=", this.escapes);
    if (junk !== "") {
      throw new StrvalsError(
        `unexpected data at end of array index: [${Array.from(junk).map(goQuoteRune).join(" ")}]`,
      );
    }
    switch (r) {
      case undefined:
        return { list, status: EOF };
      case "=":
        return { list: setIndex(list, i, this.value().v), status: "ok" };
      case "[": {
        const j = this.index();
        if (j === EOF) return { list, status: EOF };
        let inner: GoValue[] = [];
        if (i < list.length && list[i] !== null) {
          const existing = list[i]!;
          if (!Array.isArray(existing)) throw conversionError(existing, "[]interface {}");
          inner = existing;
        }
        const { list: out, status } = this.listItem(inner, j, nameLevel, depth + 1);
        // Input that ends inside a nested item leaves this list as it was.
        if (status === EOF) return { list, status };
        return { list: setIndex(list, i, out), status };
      }
      case ".": {
        const existing = i < list.length ? list[i]! : null;
        const inner = isGoMap(existing) ? existing : newGoMap();
        const status = this.key(inner, nameLevel, depth + 1);
        if (status === EOF) return { list, status };
        return { list: setIndex(list, i, inner), status };
      }
      default:
        throw new StrvalsError("unexpected end of array index");
    }
  }
}

/**
 * Parse one `--set`-style argument into `base` (mutated and returned), as Helm's strvals does.
 * `readFile` serves `--set-file`. Throws {@link StrvalsError}.
 */
export function parseSet(
  arg: string,
  base: GoMap = newGoMap(),
  mode: ValueMode = "typed",
  readFile?: FileReader,
): GoMap {
  new Parser(arg, mode, readFile).parseInto(base);
  return base;
}

/**
 * One `--set-json` argument as Helm applies it: a whole JSON object (`{"a":1}`) is merged in;
 * otherwise `key=json,…` pairs are parsed. Errors are Helm's: the argument echoed back.
 */
export function applySetJson(arg: string, base: GoMap): GoMap {
  const trimmed = arg.trim();
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new StrvalsError(`failed parsing --set-json data JSON: ${arg}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new StrvalsError(`failed parsing --set-json data JSON: ${arg}`);
    }
    return mergeMaps(base, fromJson(parsed) as GoMap);
  }
  try {
    return parseSet(arg, base, "json");
  } catch {
    throw new StrvalsError(`failed parsing --set-json data ${arg}`);
  }
}

/**
 * Deep-merge `src` into `dst` as Helm merges `-f` files: maps merge recursively, anything else
 * (lists included) replaces. Returns `dst`.
 */
export function mergeMaps(dst: GoMap, src: GoMap): GoMap {
  for (const k of Object.keys(src)) {
    const s = src[k]!;
    const d = dst[k];
    if (isGoMap(s) && d !== undefined && isGoMap(d)) dst[k] = mergeMaps(d, s);
    else dst[k] = s;
  }
  return dst;
}
