/**
 * YAML as Helm reads it (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 plain scalars (`yes`/`on`
 * are booleans, `0777` is octal, `1_000` is an integer, timestamps stay strings), order-sensitive
 * `<<` merge keys, duplicate keys where the last wins, non-string keys turned into strings, and
 * then a trip through JSON, so every number becomes a float64 and `.inf`/`.nan` are errors.
 *
 * Parsing goes through an intermediate tree ({@link YNode}) that still knows each scalar's YAML
 * type, because Helm decodes typed files (Chart.yaml, Chart.lock) differently from values: a
 * number read into a string field keeps its YAML spelling rules (see metadata.ts).
 *
 * Hostile input: alias expansion is bounded the way go-yaml bounds it (a document whose decoded
 * size is mostly aliases is refused as "excessive aliasing"), self-referencing anchors are refused,
 * and the total decoded size is capped.
 */
import {
  defineScalarTag,
  FAILSAFE_SCHEMA,
  Schema as JsYamlSchema,
  load as loadJsYaml,
  NOT_RESOLVED,
} from "js-yaml";
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import { formatFloatG } from "./fmt.ts";
import { type GoMap, type GoValue, isGoMap, newGoMap } from "./value.ts";

/** A YAML document could not be read; the message is Helm's wording (`yaml: line 3: …`, `json: …`). */
export class YamlError extends Error {
  override name = "YamlError";
}

/** A decoded YAML node that still knows its YAML 1.1 type. Map keys are already strings. */
export type YNode =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "int"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "str"; value: string }
  | { kind: "map"; entries: Map<string, YNode> }
  | { kind: "seq"; items: YNode[] };

const NULL: YNode = { kind: "null" };

/** Upper bound on decoded nodes per document, whatever the aliasing. */
const MAX_DECODED_NODES = 10_000_000;

const TAG = "tag:yaml.org,2002:";

const TRUE_WORDS = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE_WORDS = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);
const POS_INF = new Set([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]);
const NEG_INF = new Set(["-.inf", "-.Inf", "-.INF"]);
const NAN = new Set([".nan", ".NaN", ".NAN"]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt/ParseUint with base 0 (sign, 0x/0o/0b prefixes, leading-0 octal), unbounded. */
function parseGoInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[oO]/.test(body)) v = BigInt(`0o${body.slice(2)}`);
  else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body.toLowerCase().replace(/^0x/, "0x").replace(/^0b/, "0b"));
  return m[1] === "-" ? -v : v;
}

/** Resolve a plain (unquoted, untagged) scalar the way go-yaml v2 does. */
export function resolvePlainScalar(s: string): YNode {
  if (NULL_WORDS.has(s)) return NULL;
  if (TRUE_WORDS.has(s)) return { kind: "bool", value: true };
  if (FALSE_WORDS.has(s)) return { kind: "bool", value: false };
  if (POS_INF.has(s)) return { kind: "float", value: Number.POSITIVE_INFINITY };
  if (NEG_INF.has(s)) return { kind: "float", value: Number.NEGATIVE_INFINITY };
  if (NAN.has(s)) return { kind: "float", value: Number.NaN };
  const c = s[0]!;
  if (c === ".") {
    return DOT_FLOAT.test(s) ? { kind: "float", value: Number(s) } : { kind: "str", value: s };
  }
  if (!/[-+0-9]/.test(c)) return { kind: "str", value: s };
  const plain = s.replaceAll("_", "");
  const i = parseGoInt(plain);
  if (i !== undefined && i >= INT64_MIN && i <= UINT64_MAX) {
    // Past int64 only unsigned forms fit (ParseUint takes no sign).
    if (i <= INT64_MAX || !/^[+-]/.test(plain)) return { kind: "int", value: i };
  }
  if (YAML_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { kind: "float", value: f };
  }
  return { kind: "str", value: s };
}

function describeYamlType(n: YNode): string {
  return `!!${n.kind === "str" ? "str" : n.kind}`;
}

/** A scalar carrying an explicit tag (`!!int "5"`, `!!binary …`); unknown tags read as strings. */
function resolveTaggedScalar(tag: string, text: string, plain: boolean): YNode {
  if (!tag.startsWith(TAG)) return { kind: "str", value: text };
  const short = tag.slice(TAG.length);
  switch (short) {
    case "str":
    case "timestamp":
      return { kind: "str", value: text };
    case "binary": {
      const clean = text.replace(/\s+/g, "");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
        throw new YamlError("yaml: !!binary value contains invalid base64 data");
      }
      return { kind: "str", value: Buffer.from(clean, "base64").toString("utf8") };
    }
    case "int":
    case "float":
    case "bool":
    case "null": {
      const r = resolvePlainScalar(text);
      const ok =
        r.kind === short || (short === "float" && r.kind === "int") || (short === "null" && text === "");
      if (!ok) {
        const shown = plain ? describeYamlType(r) : "!!str";
        throw new YamlError(`yaml: cannot decode ${shown} \`${text}\` as a !!${short}`);
      }
      if (short === "float" && r.kind === "int") return { kind: "float", value: Number(r.value) };
      return short === "null" ? NULL : r;
    }
    default:
      return { kind: "str", value: text };
  }
}

/** A map key as sigs.k8s.io/yaml turns it into a JSON object key. */
function keyString(k: YNode, value: YNode): string {
  switch (k.kind) {
    case "str":
      return k.value;
    case "bool":
      return k.value ? "true" : "false";
    case "int":
      if (k.value > INT64_MAX) {
        throw new YamlError(
          `unsupported map key of type: uint64, key: 0x${k.value.toString(16)}, value: ${describeForKeyError(value)}`,
        );
      }
      return k.value.toString();
    case "float":
      return formatFloatG(k.value);
    case "null":
      throw new YamlError(
        `unsupported map key of type: %!s(<nil>), key: <nil>, value: ${describeForKeyError(value)}`,
      );
    default:
      throw new YamlError(`yaml: invalid map key: ${goSharpV(k)}`);
  }
}

/** Go's `%#v` of a decoded YAML value (as go-yaml v2 holds it: `[]interface {}{1, "a"}`…). */
function goSharpV(n: YNode): string {
  switch (n.kind) {
    case "null":
      return "interface {}(nil)";
    case "bool":
      return String(n.value);
    case "int":
      return n.value.toString();
    case "float":
      return Number.isInteger(n.value) && Math.abs(n.value) < 1e21 ? `${n.value}` : formatFloatG(n.value);
    case "str":
      return JSON.stringify(n.value);
    case "seq":
      return `[]interface {}{${n.items.map(goSharpV).join(", ")}}`;
    case "map":
      return `map[interface {}]interface {}{${[...n.entries]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${goSharpV(v)}`)
        .join(", ")}}`;
  }
}

function describeForKeyError(v: YNode): string {
  if (v.kind === "str") return JSON.stringify(v.value);
  if (v.kind === "null") return "<nil>";
  if (v.kind === "map" || v.kind === "seq") return v.kind;
  return String(v.value);
}

/** Budget for alias expansion, after go-yaml's "excessive aliasing" rule. */
class DecodeBudget {
  decoded = 0;
  aliased = 0;
  private aliasDepth = 0;

  count(): void {
    this.decoded++;
    if (this.aliasDepth > 0) this.aliased++;
    if (this.decoded > MAX_DECODED_NODES) throw new YamlError("yaml: document is too large");
    if (
      this.aliased > 100 &&
      this.decoded > 1000 &&
      this.aliased / this.decoded > allowedAliasRatio(this.decoded)
    ) {
      throw new YamlError("yaml: document contains excessive aliasing");
    }
  }

  enterAlias(): void {
    this.aliasDepth++;
  }

  leaveAlias(): void {
    this.aliasDepth--;
  }
}

function allowedAliasRatio(decoded: number): number {
  if (decoded <= 400_000) return 0.99;
  if (decoded >= 4_000_000) return 0.1;
  return 0.99 - (0.89 * (decoded - 400_000)) / 3_600_000;
}

class Decoder {
  private readonly anchors = new Map<string, Node>();
  private readonly building = new Set<Node>();
  private readonly budget = new DecodeBudget();

  /** `lineOf` maps a source offset to its 1-based line, for errors. */
  constructor(private readonly lineOf: (offset: number) => number) {}

  decode(node: Node | null | undefined): YNode {
    if (node === null || node === undefined) return NULL;
    this.budget.count();
    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      if (!target) throw new YamlError(`yaml: unknown anchor '${node.source}' referenced`);
      if (this.building.has(target))
        throw new YamlError(`yaml: anchor '${node.source}' value contains itself`);
      this.budget.enterAlias();
      try {
        return this.decodeNode(target);
      } finally {
        this.budget.leaveAlias();
      }
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    return this.decodeNode(node);
  }

  private decodeNode(node: Node): YNode {
    this.building.add(node);
    try {
      if (isScalar(node)) {
        const text = node.value === null || node.value === undefined ? "" : String(node.value);
        const plain = node.type === "PLAIN" || node.type === undefined;
        if (node.tag && node.tag !== "!") return resolveTaggedScalar(node.tag, text, plain);
        return plain && node.tag === undefined ? resolvePlainScalar(text) : { kind: "str", value: text };
      }
      if (isSeq(node)) return { kind: "seq", items: node.items.map((i) => this.decode(i as Node)) };
      if (isMap(node)) return this.decodeMap(node.items as { key: unknown; value: unknown }[]);
    } finally {
      this.building.delete(node);
    }
    throw new YamlError("yaml: unsupported node");
  }

  private decodeMap(pairs: { key: unknown; value: unknown }[]): YNode {
    const entries = new Map<string, YNode>();
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const emptyKey =
        keyNode === null ||
        keyNode === undefined ||
        (isScalar(keyNode) && !keyNode.tag && !!keyNode.range && keyNode.range[0] === keyNode.range[1]);
      if (emptyKey) {
        // `: value` with no key at all is a syntax error to go-yaml (unlike an explicit `~:` key).
        const at = (pair.value as Node | null)?.range?.[0] ?? 0;
        // go-yaml reports this on the line before the stray `:`.
        throw new YamlError(`yaml: line ${Math.max(1, this.lineOf(at) - 1)}: did not find expected key`);
      }
      if (this.isMergeKey(keyNode)) {
        this.merge(this.decode(pair.value as Node | null), entries);
        continue;
      }
      const key = this.decode(keyNode);
      const value = this.decode(pair.value as Node | null);
      const k = keyString(key, value);
      // A repeated key takes the later value but keeps its first position, as Go maps don't care.
      entries.set(k, value);
    }
    return { kind: "map", entries };
  }

  private isMergeKey(node: Node | null): boolean {
    if (!node || !isScalar(node)) return false;
    if (node.tag === `${TAG}merge`) return true;
    return node.value === "<<" && (node.type === "PLAIN" || node.type === undefined) && !node.tag;
  }

  /** `<<: *a` copies a's keys (later keys overwrite); `<<: [*a, *b]` lets earlier maps win. */
  private merge(value: YNode, into: Map<string, YNode>): void {
    const bad = () => new YamlError("yaml: map merge requires map or sequence of maps as the value");
    if (value.kind === "map") {
      for (const [k, v] of value.entries) into.set(k, v);
      return;
    }
    if (value.kind !== "seq") throw bad();
    for (let i = value.items.length - 1; i >= 0; i--) {
      const item = value.items[i]!;
      if (item.kind !== "map") throw bad();
      for (const [k, v] of item.entries) into.set(k, v);
    }
  }
}

/** Every document of a YAML stream as typed nodes (`null` node for an empty document). */
export function parseYamlNodes(text: string): YNode[] {
  try {
    return parseYamlNodesUnguarded(text);
  } catch (err) {
    // Pathologically deep documents exhaust the stack somewhere in parsing or decoding.
    if (err instanceof RangeError) throw new YamlError("yaml: document is too deeply nested");
    throw err;
  }
}

function parseYamlNodesUnguarded(text: string): YNode[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    schema: "failsafe",
    merge: false,
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter,
    resolveKnownTags: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  const out: YNode[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (
      err &&
      (err.code === "TAB_AS_INDENT" ||
        (err.code === "BAD_SCALAR_START" && /reserved character/.test(err.message)))
    ) {
      throw new YamlError("yaml: found character that cannot start any token");
    }
    if (err) {
      const line = lineCounter.linePos(err.pos[0]).line;
      const msg = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").split("\n")[0]!;
      if (msg.startsWith("Nested mappings are not allowed in compact mappings")) {
        // go-yaml's scanner error for `a: b: c`, at the offending `:` (which may sit on a later
        // line: `a: 1\n b: 2`); like all its scanner errors it names no line on the first.
        const colon = /:(?=[\s]|$)/g;
        colon.lastIndex = err.pos[0];
        const at = colon.exec(text)?.index ?? err.pos[0];
        const colonLine = lineCounter.linePos(at).line;
        const where = colonLine === 1 ? "" : `line ${colonLine}: `;
        throw new YamlError(`yaml: ${where}mapping values are not allowed in this context`);
      }
      throw new YamlError(`yaml: line ${line}: ${msg}`);
    }
    out.push(new Decoder((offset) => lineCounter.linePos(offset).line).decode(doc.contents as Node | null));
  }
  return out;
}

/** A typed node as Helm's values see it after the JSON round trip: numbers float64, maps with string keys. */
export function yNodeToGo(n: YNode): GoValue {
  switch (n.kind) {
    case "null":
      return null;
    case "bool":
    case "str":
      return n.value;
    case "int":
      return Number(n.value);
    case "float":
      if (Number.isNaN(n.value)) throw new YamlError("json: unsupported value: NaN");
      if (!Number.isFinite(n.value)) throw new YamlError(`json: unsupported value: ${formatFloatG(n.value)}`);
      return n.value;
    case "seq":
      return n.items.map(yNodeToGo);
    case "map": {
      const m = newGoMap();
      for (const [k, v] of n.entries) m[k] = yNodeToGo(v);
      return m;
    }
  }
}

/** The JSON type name Go's decoder uses in its errors ("number", "string", "object"…). */
export function jsonKindOf(n: YNode): string {
  switch (n.kind) {
    case "null":
      return "null";
    case "bool":
      return "bool";
    case "int":
    case "float":
      return "number";
    case "str":
      return "string";
    case "seq":
      return "array";
    case "map":
      return "object";
  }
}

/** First document of `text` as a Go value (`null` when empty), as `yaml.Unmarshal` into `interface{}` gives it. */
export function parseYaml(text: string): GoValue {
  const docs = parseYamlNodes(text);
  return docs.length === 0 ? null : yNodeToGo(docs[0]!);
}

/**
 * A values file (values.yaml, `-f`) as Helm v4 reads it: every document must be a mapping (or
 * empty); later documents merge into earlier ones (maps recursively, anything else replaces).
 * Errors read `cannot unmarshal yaml document: …` as Helm's do.
 */
export function parseValues(text: string): GoMap {
  const fast = valuesFast(text);
  if (fast) return fast;
  const out = newGoMap();
  let docs: YNode[];
  try {
    docs = parseYamlNodes(text);
  } catch (err) {
    throw new YamlError(
      `cannot unmarshal yaml document: error converting YAML to JSON: ${(err as Error).message}`,
    );
  }
  for (const doc of docs) {
    let v: GoValue;
    try {
      v = yNodeToGo(doc);
    } catch (err) {
      throw new YamlError(
        `cannot unmarshal yaml document: error converting YAML to JSON: ${(err as Error).message}`,
      );
    }
    if (v === null) continue;
    if (!isGoMap(v)) {
      throw new YamlError(
        `cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindOf(doc)} into Go value of type map[string]interface {}`,
      );
    }
    mergeDocument(out, v);
  }
  return out;
}

function mergeDocument(dst: GoMap, src: GoMap): void {
  for (const [k, v] of Object.entries(src)) {
    const d = dst[k];
    if (isGoMap(d) && isGoMap(v)) mergeDocument(d, v);
    else dst[k] = v;
  }
}

/** go-yaml v2's plain-scalar resolution as a js-yaml tag (JSON values: ints become numbers). */
const GO_PLAIN_SCALAR = defineScalarTag("tag:helm-ts,2026:go-plain-scalar", {
  implicit: true,
  resolve: (s: string) => {
    const n = resolvePlainScalar(s);
    switch (n.kind) {
      case "null":
        return null;
      case "bool":
        return n.value;
      case "int":
        return Number(n.value);
      case "float":
        if (!Number.isFinite(n.value)) throw new YamlError("non-finite float");
        return n.value;
      default:
        return NOT_RESOLVED;
    }
  },
  identify: () => false, // reading only
});
const GO_FAST_SCHEMA = new JsYamlSchema([...FAILSAFE_SCHEMA.tags, GO_PLAIN_SCALAR]);

/** Plain mapping keys (block or flow) that are not strings: sigs.k8s.io/yaml formats those its own way. */
function hasNonStringKey(text: string): boolean {
  for (const m of text.matchAll(/(?:^|[{,])[ \t]*(?:- )*([^\s"'{}[\],#:][^\n:{}[\],#]*?)[ \t]*:(?=\s|$)/gm)) {
    if (resolvePlainScalar(m[1]!).kind !== "str") return true;
  }
  return false;
}

/**
 * The first document as plain JSON-like data, read the fast way (js-yaml with go-yaml v2's
 * scalar rules), or undefined when the text uses what only the careful reader handles exactly
 * (anchors, merge keys, tags, errors): callers then use {@link parseYamlNodes}.
 */
export function parseYamlFast(text: string): unknown {
  // Whole-line comments cannot hold anchors or tags (Bitnami's comments say "AWS & GKE").
  const code = text.replace(/^[ \t]*#.*$/gm, "");
  if (/(?:^|[\s,[{])[&!]/.test(code) || code.includes("<<") || hasNonStringKey(code)) return undefined;
  try {
    return loadJsYaml(text, { schema: GO_FAST_SCHEMA, json: true });
  } catch {
    return undefined;
  }
}

/** A plain non-string scalar resolved by go-yaml's rules, kept apart from mappings in js-yaml's output. */
class PlainScalar {
  constructor(readonly node: YNode) {}
}

const GO_TYPED_SCHEMA = new JsYamlSchema([
  ...FAILSAFE_SCHEMA.tags,
  defineScalarTag("tag:helm-ts,2026:go-typed-scalar", {
    implicit: true,
    // Strings stay strings: mapping keys must (hasNonStringKey keeps the others away).
    resolve: (s: string) => {
      const n = resolvePlainScalar(s);
      return n.kind === "str" ? NOT_RESOLVED : new PlainScalar(n);
    },
    identify: () => false, // reading only
  }),
]);

function plainToYNode(v: unknown): YNode {
  if (v instanceof PlainScalar) return v.node;
  if (v === null || v === undefined) return NULL;
  if (typeof v === "string") return { kind: "str", value: v };
  if (Array.isArray(v)) return { kind: "seq", items: v.map(plainToYNode) };
  const entries = new Map<string, YNode>();
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) entries.set(k, plainToYNode(val));
  return { kind: "map", entries };
}

/**
 * The only document of `text` as typed nodes, read the fast way (what {@link parseYamlFast}
 * reads), or undefined when the careful reader must decide: several documents, quoted
 * integer-like keys (a JavaScript object would reorder them), or what parseYamlFast declines.
 */
export function parseYamlNodeFast(text: string): YNode | undefined {
  const code = text.replace(/^[ \t]*#.*$/gm, "");
  if (/^---|\n---/.test(code) || /["']\d+["'][ \t]*:/.test(code)) return undefined;
  if (/(?:^|[\s,[{])[&!]/.test(code) || code.includes("<<") || hasNonStringKey(code)) return undefined;
  try {
    return plainToYNode(loadJsYaml(text, { schema: GO_TYPED_SCHEMA, json: true }));
  } catch {
    return undefined;
  }
}

/** Plain data (from js-yaml or JSON.parse) as Go values: Map and object keys become GoMap keys. */
export function plainToGo(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString().replace(".000Z", "Z");
  if (Array.isArray(v)) return v.map(plainToGo);
  if (v instanceof Map) {
    const m = newGoMap();
    for (const [k, val] of v) m[String(k)] = plainToGo(val);
    return m;
  }
  if (typeof v === "object") {
    const m = newGoMap();
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) m[k] = plainToGo(val);
    return m;
  }
  return String(v);
}

/**
 * A single-document values file read the fast way (most values.yaml files: Bitnami's run to
 * thousands of lines); undefined when the careful reader must decide (several documents, what
 * the fast reader declines, numbers JSON cannot carry, or anything but a mapping at the top).
 */
function valuesFast(text: string): GoMap | undefined {
  if (/^---|\n---/.test(text)) return undefined;
  const plain = parseYamlFast(text);
  if (plain === null) return newGoMap();
  if (typeof plain !== "object" || Array.isArray(plain) || !jsonSafe(plain)) return undefined;
  return plainToGo(plain) as GoMap;
}

function jsonSafe(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (v instanceof Map) return [...v.values()].every(jsonSafe);
  if (typeof v === "object" && v !== null) return Object.values(v).every(jsonSafe);
  return true;
}
