/**
 * A fast reader for the YAML that repository indexes are made of: block mappings and sequences,
 * plain scalars (also folded over several lines, as go-yaml writes long descriptions), quoted
 * scalars, block scalars (`|`, `>`), `[]`, `{}` and one-line flow lists of scalars, comments.
 * That is everything `helm repo index`, ChartMuseum and the common generators write, and it reads
 * a 50,000-version index many times faster than a general YAML parser.
 *
 * Anything else — anchors, aliases, tags, flow maps, complex keys, several documents, tabs in
 * indentation, odd indentation, nesting deeper than 64 — makes it give up (`undefined`), and the
 * caller falls back to the general, alias-bomb-guarded YAML reader, which also words the syntax
 * errors. Scalars resolve with YAML 1.1's rules as go-yaml resolves them. Repeated keys are
 * refused as Helm's strict decoding refuses them.
 */
import { resolvePlainScalar } from "../chart/engine/yaml.ts";

/** A decoded YAML value: strings, numbers, booleans, null, arrays and null-prototype objects. */
export type PlainValue = null | boolean | number | string | PlainValue[] | PlainMap;
/** A decoded mapping (null prototype, so `__proto__` is an ordinary key). */
export interface PlainMap {
  [key: string]: PlainValue;
}

/** Replaces each version entry (`entries.NAME[i]`) as soon as it is read, so the raw tree is never whole. */
export type EntryHook = (value: PlainValue) => PlainValue;

/** A repeated mapping key: Helm's (go-yaml strict) error. */
export class DuplicateKeyError extends Error {
  override name = "DuplicateKeyError";
}

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported("unsupported");

const MAX_DEPTH = 64;

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

function isBlankOrComment(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === SPACE) continue;
    if (c === 13 && i === line.length - 1) return true;
    if (c === 9) continue;
    return c === HASH;
  }
  return true;
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === SPACE) i++;
  if (line.charCodeAt(i) === 9) throw UNSUPPORTED;
  return i;
}

/** Remove a trailing ` # comment` from a plain scalar and trailing spaces. */
function stripComment(s: string): string {
  let end = s.length;
  const hash = s.indexOf(" #");
  if (hash >= 0) end = hash;
  const tab = s.indexOf("\t#");
  if (tab >= 0 && tab < end) end = tab;
  while (end > 0 && (s.charCodeAt(end - 1) === SPACE || s.charCodeAt(end - 1) === 9)) end--;
  return end === s.length ? s : s.slice(0, end);
}

function badPlainStart(s: string): boolean {
  const c = s[0];
  if (c === undefined) return false;
  if ("[]{},#&*!|>'\"%@`".includes(c)) return true;
  if ((c === "-" || c === "?" || c === ":") && (s.length === 1 || s[1] === " " || s[1] === "\t")) return true;
  return false;
}

/** `: ` or a trailing `:` inside a plain scalar would make it a mapping: not ours to judge. */
function hasMappingIndicator(s: string): boolean {
  const i = s.indexOf(":");
  if (i < 0) return false;
  for (let j = i; j < s.length; j++) {
    if (s.charCodeAt(j) === COLON) {
      const n = s.charCodeAt(j + 1);
      if (Number.isNaN(n) || n === SPACE || n === 9) return true;
    }
  }
  return false;
}

/** Plain scalars that cannot be anything but strings skip YAML 1.1 resolution (most of an index). */
function plainNode(s: string): PlainValue {
  const c = s.charCodeAt(0);
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (letter && (s.length > 5 || !"yYnNtTfFoO".includes(s[0]!))) return s;
  const n = resolvePlainScalar(s);
  switch (n.kind) {
    case "null":
      return null;
    case "str":
    case "bool":
      return n.value;
    case "int":
      return Number(n.value);
    case "float":
      if (!Number.isFinite(n.value)) throw UNSUPPORTED;
      return n.value;
    default:
      throw UNSUPPORTED;
  }
}

/** Keys seen before, known to be plain strings. */
const plainKeys = new Set<string>();

const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};

class Reader {
  /** Start offset of the current line in `text`. */
  private pos = 0;
  /** The current line (without its line break), or undefined at the end. */
  private cur: string | undefined;
  /** 0-based number of the current line. */
  private i = 0;
  private depth = 0;
  /** Keys from the root down to the mapping being read (for the entry hook). */
  private readonly path: string[] = [];

  constructor(
    private readonly text: string,
    private readonly hook?: EntryHook,
  ) {
    this.cur = this.readLine();
  }

  /** Lines are cut one at a time, so a 25 MB index never exists as an array of lines. */
  private readLine(): string | undefined {
    const text = this.text;
    if (
      this.pos > text.length ||
      (this.pos === text.length && this.pos > 0 && text.charCodeAt(this.pos - 1) === 10)
    ) {
      return undefined;
    }
    let end = text.indexOf("\n", this.pos);
    if (end < 0) end = text.length;
    let stop = end;
    if (stop > this.pos && text.charCodeAt(stop - 1) === 13) stop--;
    const line = text.slice(this.pos, stop);
    this.next = end + 1;
    return line;
  }

  private next = 0;

  private advance(): void {
    this.pos = this.next;
    this.i += 1;
    this.cur = this.readLine();
  }

  private skipBlank(): void {
    while (this.cur !== undefined && isBlankOrComment(this.cur)) this.advance();
  }

  document(): PlainValue {
    this.skipBlank();
    if (this.cur?.startsWith("---")) {
      const rest = this.cur.slice(3);
      if (rest.trim() !== "" && !rest.trim().startsWith("#")) throw UNSUPPORTED;
      this.advance();
      this.skipBlank();
    }
    if (this.cur === undefined) return null;
    const first = this.cur!;
    if (first.startsWith("%") || first.startsWith("...")) throw UNSUPPORTED;
    const node = this.block(indentOf(first));
    this.skipBlank();
    if (this.cur !== undefined) throw UNSUPPORTED;
    return node;
  }

  /** The block node whose first line is the current one, at `indent`. */
  private block(indent: number): PlainValue {
    if (++this.depth > MAX_DEPTH) throw UNSUPPORTED;
    const line = this.cur!;
    const c = line.charCodeAt(indent);
    const node =
      c === DASH && (indent + 1 === line.length || line.charCodeAt(indent + 1) === SPACE)
        ? this.sequence(indent)
        : this.mapping(indent, line.slice(indent));
    this.depth--;
    return node;
  }

  private sequence(indent: number): PlainValue {
    const items: PlainValue[] = [];
    const hook =
      this.hook !== undefined && this.path.length === 2 && this.path[0] === "entries" && this.depth === 3
        ? this.hook
        : undefined;
    const push = (v: PlainValue) => items.push(hook ? hook(v) : v);
    while (true) {
      this.skipBlank();
      if (this.cur === undefined) break;
      const line = this.cur!;
      const ind = indentOf(line);
      if (ind < indent) break;
      if (ind > indent) throw UNSUPPORTED;
      if (line.charCodeAt(ind) !== DASH) break;
      if (ind + 1 < line.length && line.charCodeAt(ind + 1) !== SPACE) break;
      let off = ind + 1;
      while (off < line.length && line.charCodeAt(off) === SPACE) off++;
      const rest = line.slice(off);
      if (rest === "" || rest.charCodeAt(0) === HASH) {
        this.advance();
        push(this.nestedValue(indent, true));
        continue;
      }
      if (rest.charCodeAt(0) === DASH && (rest.length === 1 || rest.charCodeAt(1) === SPACE)) {
        throw UNSUPPORTED;
      }
      if (this.isKeyLine(rest)) {
        if (++this.depth > MAX_DEPTH) throw UNSUPPORTED;
        push(this.mapping(off, rest));
        this.depth--;
        continue;
      }
      push(this.inlineValue(rest, indent));
    }
    return items;
  }

  /** Does this content start with `key:` (plain or quoted key)? */
  private isKeyLine(s: string): boolean {
    const c = s[0];
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, 1);
      return end > 0 && s[end + 1] === ":" && (end + 2 === s.length || s[end + 2] === " ");
    }
    if (badPlainStart(s)) return false;
    const k = s.indexOf(":");
    if (k < 0) return false;
    return k + 1 === s.length || s.charCodeAt(k + 1) === SPACE || s.charCodeAt(k + 1) === 9;
  }

  /** Split `key: rest` into the key and the text after the colon. */
  private splitKey(s: string): [string, string] {
    const c = s[0];
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, 1);
      const raw = s.slice(1, end);
      if (c === '"' && raw.includes("\\")) throw UNSUPPORTED;
      if (c === "'" && raw.includes("'")) throw UNSUPPORTED;
      return [raw, s.slice(end + 2)];
    }
    const k = s.indexOf(":");
    let end = k;
    while (end > 0 && s.charCodeAt(end - 1) === SPACE) end--;
    const key = s.slice(0, end);
    if (!plainKeys.has(key)) {
      if (key.includes(" #")) throw UNSUPPORTED;
      if (typeof plainNode(key) !== "string") throw UNSUPPORTED;
      if (plainKeys.size < 10_000) plainKeys.add(key);
    }
    return [key, s.slice(k + 1)];
  }

  /** A block mapping at `indent`; `firstContent` is the current line from the key on. */
  private mapping(indent: number, firstContent: string): PlainValue {
    const entries: PlainMap = Object.create(null);
    let content: string | undefined = firstContent;
    while (true) {
      if (content === undefined) {
        this.skipBlank();
        if (this.cur === undefined) break;
        const line = this.cur!;
        const ind = indentOf(line);
        if (ind < indent) break;
        if (ind > indent) throw UNSUPPORTED;
        content = line.slice(ind);
        if (content.charCodeAt(0) === DASH && (content.length === 1 || content.charCodeAt(1) === SPACE))
          break;
      }
      if (!this.isKeyLine(content)) throw UNSUPPORTED;
      const [key, after] = this.splitKey(content);
      content = undefined;
      const rest = after.trimStart();
      let value: PlainValue;
      let valueLine: number;
      if (rest === "" || rest.charCodeAt(0) === HASH) {
        this.advance();
        this.skipBlank();
        valueLine = this.i + 1;
        this.path.push(key);
        value = this.nestedValue(indent, false);
        this.path.pop();
      } else {
        valueLine = this.i + 1;
        value = this.inlineValue(rest, indent);
      }
      if (Object.hasOwn(entries, key)) {
        throw new DuplicateKeyError(
          `error converting YAML to JSON: yaml: unmarshal errors:\n  line ${valueLine}: key ${JSON.stringify(key)} already set in map`,
        );
      }
      entries[key] = value;
    }
    return entries;
  }

  /** The value below a `key:` or `-` line (already consumed): a deeper block, a same-indent list, or null. */
  private nestedValue(parentIndent: number, inSequence: boolean): PlainValue {
    this.skipBlank();
    if (this.cur === undefined) return null;
    const line = this.cur!;
    const ind = indentOf(line);
    if (ind > parentIndent) return this.block(ind);
    if (
      !inSequence &&
      ind === parentIndent &&
      line.charCodeAt(ind) === DASH &&
      (ind + 1 === line.length || line.charCodeAt(ind + 1) === SPACE)
    ) {
      return this.block(ind);
    }
    return null;
  }

  /** A value that starts on the current line after `key: ` or `- `; consumes its lines. */
  private inlineValue(text: string, parentIndent: number): PlainValue {
    const c = text[0]!;
    if (c === '"') return this.doubleQuoted(text);
    if (c === "'") return this.singleQuoted(text);
    if (c === "|" || c === ">") return this.blockScalar(text, parentIndent);
    if (c === "[" || c === "{") {
      this.advance();
      return flowValue(stripComment(text));
    }
    if (badPlainStart(text)) throw UNSUPPORTED;
    let value = stripComment(text);
    if (hasMappingIndicator(value)) throw UNSUPPORTED;
    const commented = value.length !== text.length && text.slice(value.length).trimStart().startsWith("#");
    this.advance();
    if (commented) return plainNode(value);
    // Continuation lines (more indented than the parent) fold into one plain scalar.
    let pendingBreaks = 0;
    while (this.cur !== undefined) {
      const line = this.cur!;
      const trimmed = line.trim();
      if (trimmed === "") {
        pendingBreaks++;
        this.advance();
        continue;
      }
      const ind = indentOf(line);
      if (ind <= parentIndent || trimmed.charCodeAt(0) === HASH) break;
      const part = stripComment(trimmed);
      if (hasMappingIndicator(part)) throw UNSUPPORTED;
      value += pendingBreaks === 0 ? ` ${part}` : "\n".repeat(pendingBreaks) + part;
      pendingBreaks = 0;
      this.advance();
      if (part.length !== trimmed.length) break;
    }
    // Blank lines after the scalar were only separators: step back to the last content line.
    return plainNode(value);
  }

  /** Lines of a quoted scalar from the current line until the closing quote. */
  private quotedLines(text: string, quote: string): { body: string; after: string } {
    const parts: string[] = [];
    let line = text.slice(1);
    while (true) {
      let j = 0;
      while (j < line.length) {
        const ch = line[j];
        if (quote === '"' && ch === "\\") {
          j += 2;
          continue;
        }
        if (ch === quote) {
          if (quote === "'" && line[j + 1] === "'") {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      if (j < line.length) {
        parts.push(line.slice(0, j));
        this.advance();
        return { body: foldQuoted(parts, quote), after: line.slice(j + 1) };
      }
      parts.push(line);
      this.advance();
      if (this.cur === undefined) throw UNSUPPORTED;
      line = this.cur!;
      if (line.startsWith("---") || line.startsWith("...")) throw UNSUPPORTED;
    }
  }

  private doubleQuoted(text: string): PlainValue {
    const { body, after } = this.quotedLines(text, '"');
    checkAfterQuote(after);
    return body;
  }

  private singleQuoted(text: string): PlainValue {
    const { body, after } = this.quotedLines(text, "'");
    checkAfterQuote(after);
    return body;
  }

  private blockScalar(text: string, parentIndent: number): PlainValue {
    const header = stripComment(text);
    const m = /^([|>])([1-9])?([-+])?$/.exec(header) ?? /^([|>])([-+])([1-9])$/.exec(header);
    if (!m) throw UNSUPPORTED;
    const folded = m[1] === ">";
    const digit = [m[2], m[3]].find((x) => x !== undefined && /^[1-9]$/.test(x));
    const chomp = m[2] === "-" || m[3] === "-" ? "strip" : m[2] === "+" || m[3] === "+" ? "keep" : "clip";
    this.advance();
    let contentIndent = digit ? parentIndent + Number(digit) : -1;
    const body: string[] = [];
    while (this.cur !== undefined) {
      const line = this.cur!;
      if (line.trim() === "") {
        body.push("");
        this.advance();
        continue;
      }
      let ind = 0;
      while (ind < line.length && line.charCodeAt(ind) === SPACE) ind++;
      if (contentIndent < 0) {
        if (ind <= parentIndent) break;
        contentIndent = ind;
      }
      if (ind < contentIndent) break;
      body.push(line.slice(contentIndent));
      this.advance();
    }
    // Trailing blank lines belong to the scalar only for chomping; give back none of them.
    let end = body.length;
    while (end > 0 && body[end - 1]!.trim() === "") end--;
    const trailing = body.length - end;
    const content = body.slice(0, end);
    let value = folded ? foldBlock(content) : content.join("\n");
    if (content.length > 0) {
      if (chomp === "clip") value += "\n";
      else if (chomp === "keep") value += "\n".repeat(1 + trailing);
    } else if (chomp === "keep") value = "\n".repeat(trailing);
    return value;
  }
}

function checkAfterQuote(after: string): void {
  const rest = after.trim();
  if (rest !== "" && !rest.startsWith("#")) throw UNSUPPORTED;
  if (rest.startsWith("#") && !/^\s/.test(after)) throw UNSUPPORTED;
}

/** Fold the lines of a quoted scalar: a line break is a space, blank lines are newlines. */
function foldQuoted(parts: string[], quote: string): string {
  const unquote = (s: string) => (quote === '"' ? unescapeDouble(s) : s.replaceAll("''", "'"));
  if (parts.length === 1) return unquote(parts[0]!);
  let out = "";
  let breaks = 0;
  for (let k = 0; k < parts.length; k++) {
    let p = parts[k]!;
    if (k > 0) p = p.replace(/^[ \t]+/, "");
    if (k < parts.length - 1) {
      // An escaped line break joins without a space (double quotes only).
      if (quote === '"' && /(^|[^\\])(\\\\)*\\$/.test(p)) {
        const kept = unquote(p.slice(0, -1));
        out += (k === 0 ? "" : separator(breaks)) + kept;
        breaks = -1;
        continue;
      }
      p = p.replace(/[ \t]+$/, "");
    }
    if (k > 0 && k < parts.length - 1 && p === "") {
      breaks = breaks < 0 ? breaks : breaks + 1;
      continue;
    }
    out += (k === 0 ? "" : separator(breaks)) + unquote(p);
    breaks = 0;
  }
  return out;
}

function separator(breaks: number): string {
  if (breaks < 0) return "";
  return breaks === 0 ? " " : "\n".repeat(breaks);
}

function unescapeDouble(s: string): string {
  if (!s.includes("\\")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const e = s[++i];
    if (e === undefined) throw UNSUPPORTED;
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (width === 0) throw UNSUPPORTED;
    const hex = s.slice(i + 1, i + 1 + width);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw UNSUPPORTED;
    const cp = Number.parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw UNSUPPORTED;
    out += String.fromCodePoint(cp);
    i += width;
  }
  return out;
}

/** Folded block scalar content: lines joined by spaces, except around blank or more-indented lines. */
function foldBlock(lines: string[]): string {
  let out = "";
  let prevMoreIndented = false;
  let breaks = 0;
  let started = false;
  for (const line of lines) {
    if (line === "") {
      breaks++;
      continue;
    }
    const moreIndented = line.startsWith(" ") || line.startsWith("\t");
    if (started) {
      if (breaks === 0) out += moreIndented || prevMoreIndented ? "\n" : " ";
      else out += "\n".repeat(moreIndented || prevMoreIndented ? breaks + 1 : breaks);
    } else if (breaks > 0) out += "\n".repeat(breaks);
    out += line;
    started = true;
    breaks = 0;
    prevMoreIndented = moreIndented;
  }
  return out;
}

/** `[]`, `{}` and one-line flow lists of plain or simply quoted scalars. */
function flowValue(s: string): PlainValue {
  if (s === "[]") return [];
  if (s === "{}") return Object.create(null) as PlainMap;
  if (!s.startsWith("[") || !s.endsWith("]")) throw UNSUPPORTED;
  const inner = s.slice(1, -1);
  if (/[[\]{}#\\]/.test(inner)) throw UNSUPPORTED;
  const items: PlainValue[] = [];
  const parts = inner.split(",");
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!.trim();
    if (p === "") {
      if (k === parts.length - 1 && k > 0) break;
      throw UNSUPPORTED;
    }
    if (p.startsWith('"') || p.startsWith("'")) {
      const q = p[0]!;
      if (!p.endsWith(q) || p.length < 2) throw UNSUPPORTED;
      const body = p.slice(1, -1);
      if (body.includes(q)) throw UNSUPPORTED;
      items.push(body);
      continue;
    }
    if (badPlainStart(p) || p.includes(": ") || p.endsWith(":")) throw UNSUPPORTED;
    items.push(plainNode(p));
  }
  return items;
}

/**
 * Read index YAML with the fast subset reader. `undefined` means "not in the subset": use the
 * general reader. Throws {@link DuplicateKeyError} for a repeated key.
 */
export function readIndexYaml(text: string, hook?: EntryHook): PlainValue | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return new Reader(body, hook).document();
  } catch (err) {
    if (err instanceof Unsupported || err instanceof RangeError) return undefined;
    throw err;
  }
}
