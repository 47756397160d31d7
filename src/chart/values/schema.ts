/**
 * `values.schema.json` validation as Helm v4 does it (santhosh-tekuri/jsonschema v6 there, ajv here):
 * - the draft comes from `$schema` (draft-04, -06, -07, 2019-09, 2020-12; `…/schema` and no
 *   `$schema` mean 2020-12; http/https and a missing `#` don't matter); `format` is asserted up to
 *   draft-07 only; the schema itself must satisfy its metaschema;
 * - every chart of the processed tree is checked against its own values (a subchart against its
 *   section of the parent's), and failures are reported per chart in Helm's layout:
 *   `values don't meet the specifications of the schema(s) in the following chart(s):` then, per
 *   chart, `NAME:` and lines `- at '/json/pointer': message`, nested two spaces per level for
 *   `anyOf`/`oneOf`/`allOf`/`contains`/`propertyNames`;
 * - messages follow the Go library's wording (`got number, want string`, `missing property 'a'`,
 *   `minimum: got 1, want 5` with its number formatting `1,000` / `1×10⁰⁶`…).
 * The order of lines may differ from Helm's, which varies from run to run. `$ref`s outside the
 * schema (files, URLs) are not loaded: they are reported as errors instead.
 */
import type { ErrorObject, KeywordCxt, ValidateFunction } from "ajv";
import type { Chart } from "../chart.ts";
import { type GoMap, type GoValue, isGoMap } from "../engine/value.ts";
import { goJsonSyntaxError } from "./go-json.ts";
import { loadCachedValidator, schemaCacheKey, storeValidator } from "./schema-cache.ts";

export type Draft = "draft-04" | "draft-06" | "draft-07" | "2019-09" | "2020-12";

const META_URI: Record<Draft, string> = {
  "draft-04": "http://json-schema.org/draft-04/schema#",
  "draft-06": "http://json-schema.org/draft-06/schema#",
  "draft-07": "http://json-schema.org/draft-07/schema#",
  "2019-09": "https://json-schema.org/draft/2019-09/schema",
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
};

/** A schema that cannot be used (bad JSON, unknown metaschema, unresolvable reference). */
class SchemaLoadError extends Error {}

function draftOf(schema: unknown): Draft {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return "2020-12";
  const uri = (schema as Record<string, unknown>).$schema;
  if (uri === undefined) return "2020-12";
  if (typeof uri !== "string") return "2020-12";
  const m = /^https?:\/\/json-schema\.org\/(draft-0[467]|draft\/2019-09|draft\/2020-12)?\/?schema#?$/.exec(
    uri,
  );
  if (!m) throw new SchemaLoadError(`failing loading ${JSON.stringify(uri)}: remote schemas are not loaded`);
  return ((m[1] ?? "draft/2020-12").replace("draft/", "") as Draft) || "2020-12";
}

let compiler: typeof import("./schema-compiler.ts") | undefined;

/** Load ajv's compiler (needed when a schema has no cached validator). */
export async function loadSchemaCompiler(): Promise<void> {
  compiler ??= await import("./schema-compiler.ts");
}

function schemaText(schema: Uint8Array | string): string {
  return (typeof schema === "string" ? schema : new TextDecoder("utf-8").decode(schema)).replace(
    /^\uFEFF/,
    "",
  );
}

/**
 * Make validation of this chart tree ready: ajv's compiler is loaded unless every schema has a
 * validator in `cacheDir`. Await it before the synchronous validation functions below.
 */
export async function prepareSchemaValidation(chart: Chart, cacheDir: string | undefined): Promise<void> {
  const cached = (c: Chart): boolean =>
    (c.schema === null ||
      (cacheDir !== undefined &&
        loadCachedValidator(cacheDir, schemaCacheKey(schemaText(c.schema))) !== null)) &&
    c.dependencies.every(cached);
  if (!cached(chart)) await loadSchemaCompiler();
}

// ---------- messages in the Go library's words ----------

const SUPERSCRIPT: Record<string, string> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
  "-": "⁻",
};

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A number as golang.org/x/text prints `%v`: shortest `%g`, thousands grouped, `×10ⁿ` exponents. */
export function formatSchemaNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return "0";
  const neg = n < 0 ? "-" : "";
  const [mant, expText] = Math.abs(n).toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = `${exp < 0 ? "-" : ""}${String(Math.abs(exp)).padStart(2, "0")}`;
    return `${neg}${mant}×10${Array.from(e, (c) => SUPERSCRIPT[c]).join("")}`;
  }
  const digits = mant.replace(".", "");
  let fixed: string;
  if (exp < 0) fixed = `0.${"0".repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) fixed = digits + "0".repeat(exp + 1 - digits.length);
  else fixed = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  const [i, f] = fixed.split(".") as [string, string | undefined];
  return neg + groupThousands(i) + (f !== undefined ? `.${f}` : "");
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
  }
  return "object";
}

/** A string as the Go library quotes it: Go's %q escapes, in single quotes. */
export function goSingleQuote(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u.test(ch) || (c >= 0x80 && /^\p{Zs}$/u.test(ch))) {
      out += c > 0xffff ? `\\U${c.toString(16).padStart(8, "0")}` : `\\u${c.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `'${out}'`;
}

/** An enum/const value as the Go library quotes it. */
function quoteValue(v: unknown): string {
  if (v === null) return "<nil>";
  if (typeof v === "string") return goSingleQuote(v);
  if (typeof v === "number") return formatSchemaNumber(v);
  return String(v);
}

const quoteNames = (names: string[]) => names.map(goSingleQuote).join(", ");

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) =>
          Object.hasOwn(b, k) &&
          jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}

interface Node {
  at: string;
  msg: string;
  children: Node[];
}

function leafMessage(e: ErrorObject): string | null {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "type": {
      const want = (Array.isArray(p.type) ? (p.type as string[]) : String(p.type).split(",")).slice().sort();
      return `got ${kindOf(e.data)}, want ${want.join(" or ")}`;
    }
    case "enum": {
      const values = (e.schema as unknown[]) ?? [];
      if (values.some((v) => v !== null && typeof v === "object")) return "'enum' failed";
      return `value must be one of ${values.map(quoteValue).join(", ")}`;
    }
    case "const": {
      const v = (p.allowedValue ?? e.schema) as unknown;
      if (v !== null && typeof v === "object") return "'const' failed";
      return `value must be ${quoteValue(v)}`;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      let kw = e.keyword;
      // draft-04's boolean exclusiveMinimum shows up as minimum with a strict comparison.
      if (kw === "minimum" && p.comparison === ">") kw = "exclusiveMinimum";
      if (kw === "maximum" && p.comparison === "<") kw = "exclusiveMaximum";
      return `${kw}: got ${formatSchemaNumber(e.data as number)}, want ${formatSchemaNumber(p.limit as number)}`;
    }
    case "multipleOf":
      return `multipleOf: got ${formatSchemaNumber(e.data as number)}, want ${formatSchemaNumber(p.multipleOf as number)}`;
    case "minLength":
    case "maxLength":
      return `${e.keyword}: got ${Array.from(String(e.data)).length}, want ${p.limit}`;
    case "minItems":
    case "maxItems":
      return `${e.keyword}: got ${(e.data as unknown[]).length}, want ${p.limit}`;
    case "minProperties":
    case "maxProperties":
      return `${e.keyword}: got ${Object.keys(e.data as object).length}, want ${p.limit}`;
    case "pattern":
      return `${goSingleQuote(String(e.data))} does not match pattern ${goSingleQuote(String(p.pattern))}`;
    case "format":
      return `${goSingleQuote(String(e.data))} is not valid ${String(p.format)}`;
    case "uniqueItems": {
      const items = e.data as unknown[];
      for (let i = 1; i < items.length; i++) {
        for (let j = 0; j < i; j++)
          if (jsonEqual(items[j], items[i])) return `items at ${j} and ${i} are equal`;
      }
      return `items at ${p.j} and ${p.i} are equal`;
    }
    case "not":
      return "'not' failed";
    case "false schema":
      return "false schema";
    case "additionalItems":
      return `last ${(e.data as unknown[]).length - Number(p.limit)} additionalItem(s) not allowed`;
    default:
      return e.message ?? e.keyword;
  }
}

function escapePointer(s: string): string {
  return s.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** How many instance steps a schema path walks (properties/x, items…) — to place wrappers. */
function instanceSteps(schemaPath: string): number {
  const segs = schemaPath.split("/").filter((s) => s !== "" && s !== "#");
  let n = 0;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s === "properties" || s === "patternProperties") {
      n++;
      i++;
    } else if (s === "prefixItems" || (s === "items" && /^\d+$/.test(segs[i + 1] ?? ""))) {
      n++;
      i++;
    } else if (
      s === "items" ||
      s === "additionalProperties" ||
      s === "additionalItems" ||
      s === "contains" ||
      s === "unevaluatedItems" ||
      s === "unevaluatedProperties"
    ) {
      n++;
    } else if (s === "dependentSchemas" || s === "dependencies" || s === "$defs" || s === "definitions") {
      i++;
    } else if (/^(allOf|anyOf|oneOf)$/.test(s)) {
      i++;
    }
  }
  return n;
}

function parentPointer(pointer: string, steps: number): string {
  if (steps === 0) return pointer;
  const parts = pointer.split("/");
  return parts.slice(0, Math.max(1, parts.length - steps)).join("/");
}

/** Where a group sits in the instance: a member's location minus the steps the rest of its path takes. */
function groupInstance(e: ErrorObject, restOfPath: string): string {
  return parentPointer(e.instancePath, instanceSteps(restOfPath));
}

/** A subschema's errors as one cause: a single error stands for itself, several make "validation failed". */
function asCause(nodes: Node[], at: string): Node[] {
  return nodes.length > 1 ? [{ at, msg: "validation failed", children: nodes }] : nodes;
}

/** Turn ajv's flat error list into the Go library's error tree. */
function errorTree(errors: ErrorObject[]): Node[] {
  // The Go library stops checking a schema once its `type` fails; drop what ajv found besides.
  const typeFailed = errors
    .filter((e) => e.keyword === "type")
    .map((e) => ({ at: e.instancePath, base: e.schemaPath.replace(/\/type$/, "/") }));
  const seen = new Set<string>();
  const list = errors.filter((e) => {
    if (e.keyword === "if") return false;
    if (
      e.keyword !== "type" &&
      typeFailed.some((t) => e.schemaPath.startsWith(t.base) && e.instancePath.startsWith(t.at))
    ) {
      return false;
    }
    const key = `${e.instancePath}\u0000${e.schemaPath}\u0000${e.keyword}\u0000${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Errors from behind a reference ajv did not inline restart their schema paths; give the ones
  // just before a container the container's path, so they land among its branches.
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (!["anyOf", "oneOf", "contains", "propertyNames"].includes(c.keyword)) continue;
    const parentPath = c.schemaPath.slice(0, c.schemaPath.lastIndexOf("/") + 1);
    for (let j = i - 1; j >= 0; j--) {
      const e = list[j]!;
      if (e.schemaPath.startsWith(`${c.schemaPath}/`)) continue;
      if (e.schemaPath.startsWith(parentPath) || !e.instancePath.startsWith(c.instancePath)) break;
      list[j] = { ...e, schemaPath: `${c.schemaPath}/ref${j}/${e.schemaPath.replace(/^#\//, "")}` };
    }
  }
  return build(list, "#/");
}

type Group =
  | { kind: "leaf"; errors: ErrorObject[] }
  | {
      kind: "ref" | "allOf" | "anyOf" | "oneOf" | "contains" | "propertyNames";
      key: string;
      errors: ErrorObject[];
    };

const STRUCTURAL = /(^|\/)(x-helmts-ref|allOf|anyOf|oneOf|contains|propertyNames)(\/|$)/;

/** Build the nodes for errors whose schema paths start with `base`. */
function build(errors: ErrorObject[], base: string): Node[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const e of errors) {
    const rel = e.schemaPath.startsWith(base) ? e.schemaPath.slice(base.length) : null;
    const m = rel === null ? null : STRUCTURAL.exec(rel);
    if (rel === null || m === null) {
      groups.push({ kind: "leaf", errors: [e] });
      continue;
    }
    const key = base + rel.slice(0, m.index + m[1]!.length) + m[2]!;
    let g = byKey.get(key);
    if (!g) {
      const kind =
        m[2] === "x-helmts-ref"
          ? "ref"
          : (m[2] as "allOf" | "anyOf" | "oneOf" | "contains" | "propertyNames");
      g = { kind, key, errors: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.errors.push(e);
  }
  const nodes: Node[] = [];
  const merged = new Map<string, Node & { names: string[]; prop?: string }>();
  for (const g of groups) {
    if (g.kind === "leaf") {
      const e = g.errors[0]!;
      const p = e.params as Record<string, unknown>;
      const mergeInto = (
        k: string,
        name: string,
        render: (n: string[], prop?: string) => string,
        prop?: string,
      ) => {
        let n = merged.get(k);
        if (!n) {
          n = { at: e.instancePath, msg: "", children: [], names: [], prop };
          merged.set(k, n);
          nodes.push(n);
        }
        n.names.push(name);
        n.msg = render(n.names, n.prop);
      };
      if (e.keyword === "required") {
        mergeInto(`r\u0000${e.instancePath}\u0000${e.schemaPath}`, String(p.missingProperty), (n) =>
          n.length === 1 ? `missing property ${goSingleQuote(n[0]!)}` : `missing properties ${quoteNames(n)}`,
        );
      } else if (e.keyword === "additionalProperties") {
        mergeInto(
          `a\u0000${e.instancePath}\u0000${e.schemaPath}`,
          String(p.additionalProperty),
          (n) => `additional properties ${quoteNames(n)} not allowed`,
        );
      } else if (e.keyword === "dependentRequired" || e.keyword === "dependencies") {
        mergeInto(
          `d\u0000${e.instancePath}\u0000${e.schemaPath}\u0000${p.property}`,
          String(p.missingProperty),
          (n, prop) => `properties ${quoteNames(n)} required, if ${goSingleQuote(prop ?? "")} exists`,
          String(p.property),
        );
      } else if (e.keyword === "unevaluatedProperties") {
        nodes.push({
          at: `${e.instancePath}/${escapePointer(String(p.unevaluatedProperty))}`,
          msg: "false schema",
          children: [],
        });
      } else {
        const msg = leafMessage(e);
        if (msg !== null) nodes.push({ at: e.instancePath, msg, children: [] });
      }
      continue;
    }
    const inner = `${g.key}/`;
    const container = g.errors.find((e) => e.schemaPath === g.key);
    const members = g.errors.filter((e) => e !== container);
    const anyMember = members[0];
    const at =
      container?.instancePath ??
      (anyMember ? groupInstance(anyMember, anyMember.schemaPath.slice(inner.length)) : "");
    const branches = (): Node[] => {
      const byBranch = new Map<string, ErrorObject[]>();
      for (const e of members) {
        const b = e.schemaPath.slice(inner.length).split("/")[0]!;
        byBranch.set(b, [...(byBranch.get(b) ?? []), e]);
      }
      return [...byBranch].flatMap(([b, es]) => asCause(build(es, `${inner}${b}/`), at));
    };
    switch (g.kind) {
      case "ref":
        nodes.push(...asCause(build(members, inner), at));
        break;
      case "allOf":
        nodes.push({ at, msg: "'allOf' failed", children: branches() });
        break;
      case "anyOf":
        if (container) nodes.push({ at, msg: "'anyOf' failed", children: branches() });
        else nodes.push(...build(members, inner));
        break;
      case "oneOf": {
        if (!container) {
          nodes.push(...build(members, inner));
          break;
        }
        const passing = (container.params as { passingSchemas?: number[] | null }).passingSchemas ?? null;
        nodes.push(
          passing
            ? { at, msg: `'oneOf' failed, subschemas ${passing.join(", ")} matched`, children: [] }
            : { at, msg: "'oneOf' failed, none matched", children: branches() },
        );
        break;
      }
      case "propertyNames": {
        const name = container ? String((container.params as { propertyName?: string }).propertyName) : "";
        nodes.push({
          at,
          msg: `invalid propertyName ${goSingleQuote(name)}`,
          children: build(members, inner),
        });
        break;
      }
      case "contains": {
        if (!container) break;
        const p = container.params as { minContains?: number; maxContains?: number };
        const items = Array.isArray(container.data) ? container.data : [];
        const failedItems = new Map<string, ErrorObject[]>();
        for (const e of members) {
          const idx = e.instancePath.slice(container.instancePath.length + 1).split("/")[0]!;
          failedItems.set(idx, [...(failedItems.get(idx) ?? []), e]);
        }
        const matched = items.map((_, i) => i).filter((i) => !failedItems.has(String(i)));
        let msg = "no items match contains schema";
        if (p.maxContains !== undefined) {
          msg = `max ${p.maxContains} items required to match contains schema, but matched ${matched.length} items at ${matched.join(", ")}`;
        } else if (p.minContains !== undefined && !(p.minContains === 1 && matched.length === 0)) {
          msg = `min ${p.minContains} items required to match contains schema, but matched ${matched.length} items at ${matched.join(", ")}`;
        }
        const children = [...failedItems.values()].flatMap((es) =>
          asCause(
            build(es, inner),
            es[0]!.instancePath
              .split("/")
              .slice(0, container.instancePath.split("/").length + 1)
              .join("/"),
          ),
        );
        nodes.push({ at, msg, children });
        break;
      }
    }
  }
  return nodes;
}

function renderTree(nodes: Node[], indent = ""): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const n of nodes) {
    const line = `${indent}- at '${n.at}': ${n.msg}`;
    const children = renderTree(n.children, `${indent}  `);
    const key = [line, ...children].join("\n");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(line, ...children);
  }
  return out;
}

/** Values as plain JSON data for the validator (int64 bigints become numbers). */
function toJsonData(v: GoValue): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(toJsonData);
  if (isGoMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      Object.defineProperty(out, k, {
        value: toJsonData(v[k]!),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return v;
}

/**
 * The 2019-09 and 2020-12 metaschemas are an `allOf` of vocabularies applied again to every
 * subschema, so the Go library reports each metaschema failure inside an `'allOf' failed` for the
 * schema document's root and for every subschema on the way down.
 */
function wrapInVocabularyAllOfs(nodes: Node[]): Node[] {
  const one = new Set([
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
  ]);
  for (const k of ["propertyNames", "unevaluatedItems", "unevaluatedProperties"]) one.add(k);
  const many = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
  const list = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
  const root: Node = { at: "", msg: "'allOf' failed", children: [] };
  for (const n of nodes) {
    const segs = n.at.split("/").slice(1);
    const schemaSpots: string[] = [];
    let i = 0;
    while (i < segs.length) {
      const k = segs[i]!;
      let width = 0;
      if (many.has(k) || list.has(k)) width = 2;
      else if (one.has(k)) width = 1;
      if (width === 0 || i + width > segs.length) break;
      i += width;
      // A subschema that is itself the failing spot gets no wrapper of its own.
      if (i < segs.length) schemaSpots.push(`/${segs.slice(0, i).join("/")}`);
    }
    let parent = root;
    for (const spot of schemaSpots) {
      let next = parent.children.find((c) => c.at === spot && c.msg === "'allOf' failed" && c !== n);
      if (!next) {
        next = { at: spot, msg: "'allOf' failed", children: [] };
        parent.children.push(next);
      }
      parent = next;
    }
    parent.children.push(n);
  }
  // A bad root schema (e.g. not an object) is reported on its own.
  return root.children.length === nodes.length && nodes.every((n) => n.at === "") ? nodes : [root];
}

/** The keyword local `$ref`s are rewritten to, so errors keep the path through the reference. */
const REF_KEYWORD = "x-helmts-ref";
const MAX_INLINED_NODES = 200_000;
/** Keywords whose values are data, not schemas: never rewritten. */
const DATA_KEYWORDS = new Set([
  "const",
  "enum",
  "default",
  "examples",
  "example",
  "$comment",
  "description",
  "title",
]);

/**
 * Replace local `$ref`s (`#/…` JSON pointers) by the schema they name, under {@link REF_KEYWORD},
 * so ajv reports errors with the whole path through each reference (the Go library groups a
 * reference's errors as "validation failed"). Recursive references stay references. Up to
 * draft-07 a `$ref` replaces its siblings; later drafts apply both.
 */
function inlineLocalRefs(root: unknown, draft: Draft): unknown {
  let budget = MAX_INLINED_NODES;
  const resolve = (ref: string): unknown => {
    let node: unknown = root;
    const pointer = decodeURIComponent(ref.slice(1));
    if (pointer === "") return root;
    if (!pointer.startsWith("/")) return undefined;
    for (const raw of pointer.slice(1).split("/")) {
      const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  const walk = (node: unknown, active: string[], isSchema: boolean): unknown => {
    if (--budget < 0) throw new Error("schema too large to inline");
    if (Array.isArray(node)) return node.map((n) => walk(n, active, isSchema));
    if (node === null || typeof node !== "object") return node;
    const obj = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (k === "$ref" && isSchema) continue;
      out[k] = DATA_KEYWORDS.has(k) || !isSchema ? v : walk(v, active, true);
    }
    const ref = obj.$ref;
    if (!isSchema || typeof ref !== "string") {
      if (typeof ref === "string") out.$ref = ref;
      return out;
    }
    const target = ref.startsWith("#") && !active.includes(ref) ? resolve(ref) : undefined;
    if (target === undefined || (typeof target !== "object" && typeof target !== "boolean")) {
      out.$ref = ref;
      return out;
    }
    const inlinedTarget = walk(target, [...active, ref], true);
    if (draft === "draft-04" || draft === "draft-06" || draft === "draft-07") {
      const only: Record<string, unknown> = { [REF_KEYWORD]: inlinedTarget };
      for (const k of ["$defs", "definitions", "$id", "id"]) if (k in out) only[k] = out[k];
      return only;
    }
    out[REF_KEYWORD] = inlinedTarget;
    return out;
  };
  const result = walk(root, [], true);
  // References left in place still point into the original document's definitions.
  if (
    result !== null &&
    typeof result === "object" &&
    !Array.isArray(result) &&
    root &&
    typeof root === "object"
  ) {
    for (const k of ["$defs", "definitions"]) {
      const defs = (root as Record<string, unknown>)[k];
      if (defs !== undefined) (result as Record<string, unknown>)[k] = defs;
    }
  }
  return result;
}

/** Most subschemas a schema may stand for once references are followed (a guard against ref bombs). */
const MAX_EXPANDED_SUBSCHEMAS = 1_000_000;

/**
 * How many subschemas the schema stands for with every local reference expanded (a recursive
 * reference counts once). A chain of definitions that each use the previous one twice doubles at
 * every step, and validating against it would take exponential time.
 */
function expandedSize(root: unknown): number {
  const memo = new Map<string, number>();
  const active = new Set<string>();
  const resolve = (ref: string): unknown => {
    let node: unknown = root;
    const pointer = (() => {
      try {
        return decodeURIComponent(ref.slice(1));
      } catch {
        return "\u0000";
      }
    })();
    if (pointer === "") return root;
    if (!pointer.startsWith("/")) return undefined;
    for (const raw of pointer.slice(1).split("/")) {
      const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  const size = (node: unknown, depth: number): number => {
    if (depth > 5_000) return Number.POSITIVE_INFINITY;
    if (node === null || typeof node !== "object") return 1;
    let n = 1;
    for (const [k, v] of Object.entries(node)) {
      if (DATA_KEYWORDS.has(k) || k === "$defs" || k === "definitions") continue;
      if (k === "$ref" && typeof v === "string" && v.startsWith("#")) {
        if (active.has(v)) continue;
        let r = memo.get(v);
        if (r === undefined) {
          active.add(v);
          r = size(resolve(v), depth + 1);
          active.delete(v);
          memo.set(v, r);
        }
        n += r;
      } else n += size(v, depth + 1);
      if (n > MAX_EXPANDED_SUBSCHEMAS) return n;
    }
    return n;
  };
  return size(root, 0);
}

/** A validator of the schema: from the cache in `cacheDir` when there, else compiled (and cached). */
function compile(schemaText: string, cacheDir: string | undefined): ValidateFunction {
  const key = cacheDir !== undefined ? schemaCacheKey(schemaText) : "";
  const cached = cacheDir !== undefined ? loadCachedValidator(cacheDir, key) : null;
  if (cached !== null) return cached;
  const syntax = goJsonSyntaxError(schemaText);
  if (syntax !== null) throw new SchemaLoadError(syntax);
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch (err) {
    throw new SchemaLoadError((err as Error).message);
  }
  const draft = draftOf(schema);
  if (expandedSize(schema) > MAX_EXPANDED_SUBSCHEMAS) {
    throw new SchemaLoadError(
      `schema is too complex: its references expand to more than ${MAX_EXPANDED_SUBSCHEMAS} subschemas`,
    );
  }
  if (schema !== null && typeof schema === "object" && !Array.isArray(schema) && "$schema" in schema) {
    schema = { ...(schema as object), $schema: META_URI[draft] };
  }
  if (!compiler)
    throw new Error("values schema: ajv's compiler was not loaded (await prepareSchemaValidation first)");
  const ajv = compiler.newAjv(draft, cacheDir !== undefined);
  if (!ajv.validateSchema(schema as object)) {
    const tree = errorTree(ajv.errors ?? []);
    const lines = renderTree(
      draft === "2019-09" || draft === "2020-12" ? wrapInVocabularyAllOfs(tree) : tree,
    );
    throw new SchemaLoadError(
      `"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with '${META_URI[draft].replace(/#?$/, "#")}'\n${lines.join("\n")}`,
    );
  }
  ajv.addKeyword({
    keyword: REF_KEYWORD,
    schemaType: ["object", "boolean"],
    code(cxt: KeywordCxt) {
      const valid = cxt.gen.name("valid");
      const sub = cxt.subschema({ keyword: REF_KEYWORD }, valid);
      cxt.ok(valid);
      cxt.mergeEvaluated(sub);
    },
  });
  let inlined: unknown = schema;
  try {
    inlined = inlineLocalRefs(schema, draft);
  } catch {
    // Too big or too odd to inline: validate with the refs as they are.
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(inlined as object);
  } catch (err) {
    if (err instanceof RangeError) throw new SchemaLoadError("schema is too deeply nested");
    const missing = (err as { missingRef?: string }).missingRef;
    if (missing !== undefined) {
      throw new SchemaLoadError(
        `failing loading ${JSON.stringify(missing)}: references outside values.schema.json are not loaded`,
      );
    }
    throw new SchemaLoadError((err as Error).message);
  }
  if (cacheDir !== undefined) storeValidator(cacheDir, key, () => compiler!.validatorSource(ajv, validate));
  return validate;
}

/**
 * Validate values against one schema. Returns null when they conform, else the text Helm prints
 * under the chart's name: `- at …` lines each ending in a newline, or one line for an unusable schema.
 * `cacheDir` keeps compiled validators between runs (see schema-cache.ts).
 */
export function validateAgainstSchema(
  schema: Uint8Array | string,
  values: GoMap,
  cacheDir?: string,
): string | null {
  const text = schemaText(schema);
  let validate: ValidateFunction;
  try {
    validate = compile(text, cacheDir);
  } catch (err) {
    if (err instanceof SchemaLoadError) return err.message;
    if (err instanceof RangeError) return "schema is too deeply nested";
    throw err;
  }
  let ok: boolean;
  try {
    ok = validate(toJsonData(values)) as boolean;
  } catch (err) {
    if (err instanceof RangeError) return "values are too deeply nested to validate";
    throw err;
  }
  if (ok) return null;
  return `${renderTree(errorTree(validate.errors ?? [])).join("\n")}\n`;
}

function collect(chart: Chart, values: GoMap, cacheDir: string | undefined, out: string[]): void {
  if (chart.schema !== null) {
    const problem = validateAgainstSchema(chart.schema, values, cacheDir);
    if (problem !== null) out.push(`${chart.metadata.name}:\n${problem}`);
  }
  for (const sub of chart.dependencies) {
    const section = values[sub.metadata.name];
    collect(sub, section !== undefined && isGoMap(section) ? section : ({} as GoMap), cacheDir, out);
  }
}

/**
 * Validate every chart of a processed tree against its schema, each with its own values. Returns
 * Helm's whole message (`values don't meet the specifications…`) or null.
 */
export function validateValuesAgainstSchemas(chart: Chart, values: GoMap, cacheDir?: string): string | null {
  const out: string[] = [];
  collect(chart, values, cacheDir, out);
  if (out.length === 0) return null;
  return `values don't meet the specifications of the schema(s) in the following chart(s):\n${out.join("")}`;
}
