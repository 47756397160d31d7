/**
 * Helm's `--set` grammar: `a.b=v,c={x,y},d[0].e=w`, with `\` escaping `,` `.` `=` `[`, lists in
 * braces, list indexes (capped at 65536), and type inference for `--set` (int64, bool, null) —
 * `--set-string` keeps strings, `--set-literal` takes the value verbatim, `--set-json` parses JSON.
 * Every input yields a value or one clear error.
 */
import { type GoMap, type GoValue, isGoMap, newGoMap } from "../engine/value.ts";

/** Helm refuses list indexes above this. */
export const MAX_INDEX = 65536;

export type ValueMode = "typed" | "string" | "literal" | "json" | "file";

/** Infer the type of a `--set` value as Helm does. */
export function typedValue(s: string): GoValue {
  const lower = s.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (s === "0") return 0n;
  if (s.length > 0 && s[0] !== "0" && /^[+-]?\d+$/.test(s)) {
    const n = BigInt(s);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  return s;
}

class Scanner {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  /** Read until one of `stops` (unescaped); returns the text and the stop char ("" at end). */
  until(stops: string): { text: string; stop: string } {
    let out = "";
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === "\\" && this.pos + 1 < this.s.length) {
        out += this.s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (stops.includes(c)) {
        this.pos++;
        return { text: out, stop: c };
      }
      out += c;
      this.pos++;
    }
    return { text: out, stop: "" };
  }
}

/**
 * Parse one `--set`-style argument into `base` (mutated and returned). `readFile` serves
 * `--set-file`.
 */
export function parseSet(
  arg: string,
  base: GoMap,
  mode: ValueMode = "typed",
  readFile?: (path: string) => string,
): GoMap {
  const sc = new Scanner(arg);
  while (!sc.done) {
    parseAssignment(sc, base, mode, readFile);
  }
  return base;
}

function convert(raw: string, mode: ValueMode, readFile?: (path: string) => string): GoValue {
  switch (mode) {
    case "typed":
      return typedValue(raw);
    case "string":
    case "literal":
      return raw;
    case "file":
      if (!readFile) throw new Error("--set-file is not available here");
      return readFile(raw);
    case "json":
      try {
        return fromJsonValue(JSON.parse(raw));
      } catch (err) {
        throw new Error(`failed parsing --set-json data ${JSON.stringify(raw)}: ${(err as Error).message}`);
      }
  }
}

function fromJsonValue(v: unknown): GoValue {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(fromJsonValue);
  const m = newGoMap();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = fromJsonValue(x);
  return m;
}

function parseAssignment(
  sc: Scanner,
  target: GoMap,
  mode: ValueMode,
  readFile?: (p: string) => string,
): void {
  const { text: key, stop } = sc.until(mode === "literal" ? "=[" : ".=[,");
  if (key === "" && stop === "") return;
  if (key === "") throw new Error(`key "${sc.s.slice(0, sc.pos)}" has no value`);
  switch (stop) {
    case "": {
      throw new Error(`key "${key}" has no value`);
    }
    case ",":
      throw new Error(`key "${key}" has no value (cannot end with ,)`);
    case ".": {
      const next = isGoMap(target[key]) ? (target[key] as GoMap) : newGoMap();
      target[key] = next;
      parseAssignment(sc, next, mode, readFile);
      return;
    }
    case "=": {
      target[key] = readValue(sc, mode, readFile);
      return;
    }
    case "[": {
      const list = Array.isArray(target[key]) ? (target[key] as GoValue[]) : [];
      target[key] = parseIndexed(sc, list, mode, readFile);
      return;
    }
  }
}

function readValue(sc: Scanner, mode: ValueMode, readFile?: (p: string) => string): GoValue {
  if (mode === "literal") {
    const rest = sc.s.slice(sc.pos);
    sc.pos = sc.s.length;
    return rest;
  }
  if (mode !== "json" && sc.s[sc.pos] === "{") {
    sc.pos++;
    const items: GoValue[] = [];
    for (;;) {
      const { text, stop } = sc.until(",}");
      if (stop === "") throw new Error(`list must terminate with '}'`);
      if (text !== "" || stop === ",") items.push(convert(text, mode, readFile));
      if (stop === "}") break;
    }
    const after = sc.until(",");
    if (after.text !== "") throw new Error(`unexpected text after list: ${after.text}`);
    return items;
  }
  if (mode === "json") {
    // JSON values may contain commas: take the longest prefix that parses.
    const rest = sc.s.slice(sc.pos);
    for (let end = rest.length; end > 0; end--) {
      if (end < rest.length && rest[end] !== ",") continue;
      try {
        const v = convert(rest.slice(0, end), "json");
        sc.pos += end + (end < rest.length ? 1 : 0);
        return v;
      } catch {
        // try a shorter prefix
      }
    }
    return convert(rest, "json");
  }
  const { text } = sc.until(",");
  return convert(text, mode, readFile);
}

function parseIndexed(
  sc: Scanner,
  list: GoValue[],
  mode: ValueMode,
  readFile?: (p: string) => string,
): GoValue[] {
  const { text, stop } = sc.until("]");
  if (stop !== "]") throw new Error("error parsing index: missing ]");
  if (!/^\d+$/.test(text))
    throw new Error(`error parsing index: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const index = Number(text);
  if (index > MAX_INDEX)
    throw new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  while (list.length <= index) list.push(null);
  const c = sc.s[sc.pos];
  sc.pos++;
  if (c === "=") {
    list[index] = readValue(sc, mode, readFile);
  } else if (c === ".") {
    const m = isGoMap(list[index]) ? (list[index] as GoMap) : newGoMap();
    list[index] = m;
    parseAssignment(sc, m, mode, readFile);
  } else if (c === "[") {
    const inner = Array.isArray(list[index]) ? (list[index] as GoValue[]) : [];
    list[index] = parseIndexed(sc, inner, mode, readFile);
  } else {
    throw new Error(`key "${sc.s.slice(0, sc.pos - 1)}" has no value`);
  }
  return list;
}

/** Deep-merge `src` over `dst` (maps merge; anything else replaces), as Helm merges values files. */
export function mergeMaps(dst: GoMap, src: GoMap): GoMap {
  for (const k of Object.keys(src)) {
    const s = src[k]!;
    const d = dst[k];
    dst[k] = isGoMap(s) && isGoMap(d) ? mergeMaps(d, s) : s;
  }
  return dst;
}
