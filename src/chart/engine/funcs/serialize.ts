/**
 * Helm's serialisation functions: toYaml/fromYaml (sigs.k8s.io/yaml: values go through JSON, then
 * go-yaml v2 emits them), toJson/fromJson (Go's encoding/json), toToml. The YAML emitter follows
 * go-yaml's choices: sorted keys, 2-space indent, `- ` items at the key's indent, double quotes for
 * strings that would read as another type, single quotes for syntax characters, literal blocks for
 * multi-line strings, plain strings folded past column 80.
 */
import { parseAllDocuments } from "yaml";
import { formatFloatG } from "../fmt.ts";
import { type GoMap, GoStruct, type GoValue, isGoMap, newGoMap, sortedKeys } from "../value.ts";
import { parseYaml, parseYamlFast, plainToGo } from "../yaml.ts";
import { goJsonSyntaxError } from "./json-syntax.ts";

// ---------- Go encoding/json ----------

/** Go's JSON number format for float64: 'f' in [1e-6, 1e21), else 'e' with a minimal exponent. */
export function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatFloatG(f)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return f
      .toExponential()
      .replace(/e([+-])(\d)$/, "e$10$2")
      .replace(/e([+-])0(\d)$/, "e$1$2")
      .replace("e+", "e+");
  }
  return String(f).includes("e") ? f.toFixed(20).replace(/\.?0+$/, "") : String(f);
}

/** Characters Go's encoder escapes (control, quote, backslash, HTML, line/paragraph separators). */
const JSON_ESCAPED = /["\\<>&\u0000-\u001f\u2028\u2029]/;

function jsonString(s: string): string {
  if (!JSON_ESCAPED.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "<") out += "\\u003c";
    else if (ch === ">") out += "\\u003e";
    else if (ch === "&") out += "\\u0026";
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's json.Marshal of a template value (maps sorted, HTML characters escaped). */
export function toJson(v: GoValue | undefined): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "boolean":
      return String(v);
    case "string":
      return jsonString(v);
    case "number":
      return goJsonFloat(v);
    case "bigint":
      return v.toString();
  }
  if (v instanceof Uint8Array) return jsonString(Buffer.from(v).toString("base64"));
  if (Array.isArray(v)) return `[${v.map(toJson).join(",")}]`;
  if (v instanceof GoStruct) {
    const marshalled = v.goJSON();
    if (marshalled !== undefined) return toJson(marshalled);
    const fields = Object.entries(v).filter(([k]) => /^[A-Z]/.test(k));
    return `{${fields.map(([k, f]) => `${jsonString(k)}:${toJson(f as GoValue)}`).join(",")}}`;
  }
  return `{${sortedKeys(v)
    .map((k) => `${jsonString(k)}:${toJson(v[k])}`)
    .join(",")}}`;
}

// ---------- parsing (Helm's YAML/JSON readers) ----------

/**
 * Parse YAML as Helm's fromYaml does (sigs.k8s.io/yaml: go-yaml v2 scalars, first document only,
 * numbers float64 after the JSON round trip): the fast reader for plain documents, the careful
 * one (anchors, merge keys, tags, go-yaml's error texts) for the rest. Errors read as Helm's.
 */
export function parseYamlValue(text: string): GoValue {
  const fast = parseYamlFast(text);
  if (fast !== undefined) return plainToGo(fast);
  try {
    return parseYaml(text);
  } catch (err) {
    throw new Error(`error converting YAML to JSON: ${(err as Error).message}`);
  }
}

/** The JSON type Go's decoder names in "cannot unmarshal X into …". */
function jsonKind(v: GoValue): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number" || typeof v === "bigint") return "number";
  return "object";
}

function unmarshalError(v: GoValue, into: string): Error {
  return new Error(
    `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type ${into}`,
  );
}

/** fromYaml: a map, or a map with an `Error` key when the text is not a YAML mapping. */
export function fromYaml(text: string): GoValue {
  try {
    const v = parseYamlValue(text);
    if (v === null) return newGoMap();
    if (!isGoMap(v)) throw unmarshalError(v, "map[string]interface {}");
    return v;
  } catch (err) {
    const m = newGoMap();
    m.Error = (err as Error).message.split("\n")[0]!;
    return m;
  }
}

/** fromYamlArray: a list, or a one-element list holding the error text. */
export function fromYamlArray(text: string): GoValue {
  try {
    const v = parseYamlValue(text);
    if (v === null) return [];
    if (!Array.isArray(v)) throw unmarshalError(v, "[]interface {}");
    return v;
  } catch (err) {
    return [(err as Error).message.split("\n")[0]!];
  }
}

/** Go's json.Unmarshal into interface {}: its syntax errors, numbers as float64; null is null. */
function decodeJson(text: string): GoValue {
  const syntax = goJsonSyntaxError(text);
  if (syntax !== null) throw new Error(syntax);
  return plainToGo(JSON.parse(text));
}

/** mustFromJson: the map a JSON object decodes to (JSON null leaves it empty); throws Go's error otherwise. */
export function mustFromJson(text: string): GoValue {
  const v = decodeJson(text);
  if (v === null) return newGoMap();
  if (!isGoMap(v))
    throw new Error(`json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`);
  return v;
}

/** fromJson: a map, or a map with an `Error` key. */
export function fromJson(text: string): GoValue {
  try {
    return mustFromJson(text);
  } catch (err) {
    const m = newGoMap();
    m.Error = (err as Error).message;
    return m;
  }
}

/** fromJsonArray: a list, or a one-element list holding the error text. */
export function fromJsonArray(text: string): GoValue {
  try {
    const v = decodeJson(text);
    if (v === null) return [];
    if (!Array.isArray(v))
      throw new Error(`json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`);
    return v;
  } catch (err) {
    return [(err as Error).message];
  }
}

/** All documents of a multi-document YAML text (used by manifests and `--values`). */
export function parseYamlDocuments(text: string): GoValue[] {
  return parseAllDocuments(text, { version: "1.1" }).map((d) => {
    if (d.errors.length > 0) throw d.errors[0];
    return plainToGo(d.toJS({ mapAsMap: true, maxAliasCount: 1000 }));
  });
}

// ---------- go-yaml v2 style emitter ----------

const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const YAML11_SPECIAL = /^(~|null|Null|NULL|<<|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
/** go-yaml only tries ParseFloat on plain scalars shaped like this. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP =
  /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

/** strconv.ParseInt(s, 0, 64) / ParseUint succeed? (base prefixes, leading-0 octal, 64-bit range) */
function goParsesInt(s: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  let digits = m[2]!;
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const n = BigInt(digits) * (m[1] === "-" ? -1n : 1n);
  return n >= -(2n ** 63n) && n < 2n ** 64n;
}

/** Would go-yaml (v2) read this plain scalar as something other than a string? */
function resolvesToNonString(s: string): boolean {
  if (s === "" || YAML11_BOOL.test(s) || YAML11_SPECIAL.test(s)) return true;
  const c = s[0]!;
  if (c === ".") return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (!/[-+0-9]/.test(c)) return false;
  if (TIMESTAMP.test(s)) return true;
  const plain = s.replace(/_/g, "");
  if (goParsesInt(plain)) return true;
  if (YAML_STYLE_FLOAT.test(plain)) return true;
  return /^-?0b[01]+$/.test(plain);
}

function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

type Style = "plain" | "single" | "double" | "literal";

/** libyaml's scalar analysis: which styles can carry the string. */
function scalarStyle(s: string, isKey: boolean): Style {
  if (s.includes("\n") && !isKey) {
    for (const ch of s) if (!isPrintable(ch.codePointAt(0)!)) return "double";
    return "literal";
  }
  if (resolvesToNonString(s)) return "double";
  let plain = true;
  let single = true;
  const chars = [...s];
  if (chars.length === 0) return "double";
  const first = chars[0]!;
  const last = chars[chars.length - 1]!;
  if (first === " " || last === " ") plain = false;
  if ("-?:,[]{}#&*!|>'\"%@`".includes(first)) {
    if (first === "-" || first === "?" || first === ":") {
      if (chars.length === 1 || chars[1] === " ") plain = false;
    } else plain = false;
  }
  if (s.startsWith("---") || s.startsWith("...")) plain = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const c = ch.codePointAt(0)!;
    if (!isPrintable(c) || c === 0x0a) {
      plain = false;
      single = false;
    }
    if ("[]{},".includes(ch) && isKey) plain = false;
    if (ch === ":" && (i === chars.length - 1 || chars[i + 1] === " ")) plain = false;
    if (ch === "#" && i > 0 && chars[i - 1] === " ") plain = false;
    if (ch === " " && chars[i + 1] === " ") {
      // Consecutive spaces are kept by single and double quotes only when not at a break.
    }
    if (c === 0x85 || c === 0x2028 || c === 0x2029) plain = false;
  }
  if (plain) return "plain";
  if (single) return "single";
  return "double";
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\0":
        out += "\\0";
        continue;
    }
    if (!isPrintable(c) || c === 0xfeff) {
      if (c <= 0xff) out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
      else if (c <= 0xffff) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
      else out += `\\U${c.toString(16).toUpperCase().padStart(8, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

const BEST_WIDTH = 80;

/** Write words, breaking at a single space once the column passes 80 (libyaml's folding). */
function folded(text: string, startColumn: number, indent: number): string {
  let out = "";
  let column = startColumn;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (
      ch === " " &&
      text[i - 1] !== " " &&
      text[i + 1] !== " " &&
      column > BEST_WIDTH &&
      i !== 0 &&
      i !== text.length - 1
    ) {
      out += `\n${" ".repeat(indent)}`;
      column = indent;
      continue;
    }
    out += ch;
    column++;
  }
  return out;
}

function literalBlock(s: string, indent: number): string {
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const indicator = s.startsWith(" ") || s.startsWith("\n") ? String(2) : "";
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  const pad = " ".repeat(indent);
  const lines = body.split("\n").map((l) => (l === "" ? "" : pad + l));
  return `|${indicator}${chomp}\n${lines.join("\n")}`;
}

function scalar(s: string, column: number, indent: number, isKey = false): string {
  switch (scalarStyle(s, isKey)) {
    case "plain":
      return folded(s, column, indent);
    case "single":
      return `'${folded(s.replace(/'/g, "''"), column + 1, indent)}'`;
    case "double":
      return doubleQuoted(s);
    case "literal":
      return literalBlock(s, indent);
  }
}

/** go-yaml's float formatting (`strconv 'g'`, with .inf/.nan). */
function yamlFloat(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  if (!Number.isFinite(f)) return f > 0 ? ".inf" : "-.inf";
  // Values pass through JSON first: a whole number below 1e21 is written with its shortest digits
  // padded with zeros, and read back as an integer when it fits int64 or uint64.
  if (Number.isInteger(f) && Math.abs(f) < 1e21) {
    const text = String(f);
    const n = BigInt(text);
    if (n >= -(2n ** 63n) && n < 2n ** 64n) return text;
  }
  return formatFloatG(f);
}

function isEmptyCollection(v: GoValue): boolean {
  return (Array.isArray(v) && v.length === 0) || (isGoMap(v) && Object.keys(v).length === 0);
}

function scalarText(v: GoValue, column: number, indent: number): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return String(v);
    case "bigint":
      return v.toString();
    case "number":
      return yamlFloat(v);
    case "string":
      return scalar(v, column, indent);
  }
  if (v instanceof Uint8Array) return scalar(Buffer.from(v).toString("base64"), column, indent);
  if (Array.isArray(v)) return "[]";
  return "{}";
}

/**
 * go-yaml's order of map keys: by character, but a run of digits compares as a number and a letter
 * sorts after anything else (so `a9` < `a10`, `[x]` < `1`, `10` < `1a`).
 */
export function goYamlKeyCompare(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  const isLetter = (c: string) => /\p{L}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return x.codePointAt(0)! < y.codePointAt(0)! ? -1 : 1;
    if (xl || yl) return yl ? -1 : 1;
    let an = 0n;
    let bn = 0n;
    if (x === "0" || y === "0") {
      // Leading zeros count only as part of a number that started earlier.
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    for (; isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return x.codePointAt(0)! < y.codePointAt(0)! ? -1 : 1;
  }
  return ar.length - br.length;
}

/** How deep a list sits under its key: 0 for toYaml (go-yaml v2), 2 for toYamlPretty (v3, indent 2). */
type ListIndent = 0 | 2;

function emitMap(
  m: GoMap,
  indent: number,
  lines: string[],
  listIndent: ListIndent,
  firstPrefix?: string,
): void {
  const keys = Object.keys(m).sort(goYamlKeyCompare);
  keys.forEach((k, i) => {
    const pad = i === 0 && firstPrefix !== undefined ? firstPrefix : " ".repeat(indent);
    const key = scalar(k, pad.length, indent, true);
    emitEntry(`${pad}${key}:`, m[k]!, indent, lines, listIndent);
  });
}

function emitEntry(head: string, v: GoValue, indent: number, lines: string[], listIndent: ListIndent): void {
  const asMap = toEmittable(v);
  if (isGoMap(asMap) && Object.keys(asMap).length > 0) {
    lines.push(head);
    emitMap(asMap, indent + 2, lines, listIndent);
  } else if (Array.isArray(asMap) && asMap.length > 0) {
    lines.push(head);
    emitList(asMap, indent + listIndent, lines, listIndent);
  } else {
    lines.push(`${head} ${scalarText(asMap, head.length + 1, indent + 2)}`);
  }
}

function emitList(list: GoValue[], indent: number, lines: string[], listIndent: ListIndent): void {
  const pad = " ".repeat(indent);
  for (const raw of list) {
    const item = toEmittable(raw);
    if (isGoMap(item) && Object.keys(item).length > 0) {
      emitMap(item, indent + 2, lines, listIndent, `${pad}- `);
    } else if (Array.isArray(item) && item.length > 0) {
      // A nested list starts on the dash line: "- - a".
      const nested: string[] = [];
      emitList(item, indent + 2, nested, listIndent);
      nested[0] = `${pad}- ${nested[0]!.trimStart()}`;
      lines.push(...nested);
    } else {
      lines.push(`${pad}- ${scalarText(item, indent + 2, indent + 2)}`);
    }
  }
}

/** Structs serialise through JSON as maps of their exported fields. */
function toEmittable(v: GoValue): GoValue {
  if (v instanceof GoStruct) {
    const marshalled = v.goJSON();
    if (marshalled !== undefined) return marshalled;
    const m = newGoMap();
    for (const [k, f] of Object.entries(v)) if (/^[A-Z]/.test(k)) m[k] = f as GoValue;
    return m;
  }
  return v;
}

/** Helm's toYaml (without the trailing newline Helm trims); `pretty`: toYamlPretty's indented lists. */
export function toYaml(v: GoValue | undefined, pretty = false): string {
  const value = toEmittable(v ?? null);
  const lines: string[] = [];
  const listIndent = pretty ? 2 : 0;
  if (isGoMap(value) && !isEmptyCollection(value)) emitMap(value, 0, lines, listIndent);
  else if (Array.isArray(value) && value.length > 0) emitList(value, 0, lines, listIndent);
  // A root-level block or folded scalar is indented by go-yaml's default of 2.
  else lines.push(scalarText(value, 0, 2));
  return lines.join("\n");
}
