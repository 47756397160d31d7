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
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import Ajv2020 from "ajv/dist/2020";
import draft06Meta from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Chart } from "../chart.ts";
import { type GoMap, type GoValue, isGoMap } from "../engine/value.ts";
import { goJsonSyntaxError } from "./go-json.ts";

type Draft = "draft-04" | "draft-06" | "draft-07" | "2019-09" | "2020-12";

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

function newAjv(draft: Draft): Ajv {
  const opts = {
    allErrors: true,
    strict: false,
    verbose: true,
    logger: false as const,
    validateSchema: false,
    validateFormats: draft === "draft-04" || draft === "draft-06" || draft === "draft-07",
  };
  let ajv: Ajv;
  switch (draft) {
    case "draft-04":
      ajv = new AjvDraft04(opts) as unknown as Ajv;
      break;
    case "2019-09":
      ajv = new Ajv2019(opts);
      break;
    case "2020-12":
      ajv = new Ajv2020(opts);
      break;
    default:
      ajv = new Ajv(opts);
      if (draft === "draft-06") ajv.addMetaSchema(draft06Meta);
  }
  addFormats(ajv);
  return ajv;
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

/** How many instance steps a schema path walks (properties/x, items…) — to place allOf wrappers. */
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
  const parts = pointer.split("/");
  return parts.slice(0, Math.max(1, parts.length - steps)).join("/");
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
  const used = new Set<number>();
  const childrenOf = new Map<number, number[]>();
  // Containers own the errors just before them that come from their branches.
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (!["anyOf", "oneOf", "contains", "propertyNames"].includes(c.keyword)) continue;
    const own = `${c.schemaPath}/`;
    const parentPath = c.schemaPath.slice(0, c.schemaPath.lastIndexOf("/") + 1);
    const kids: number[] = [];
    for (let j = i - 1; j >= 0; j--) {
      if (used.has(j)) continue;
      const e = list[j]!;
      const inBranch = e.schemaPath.startsWith(own);
      const viaRef = !e.schemaPath.startsWith(parentPath) && e.instancePath.startsWith(c.instancePath);
      if (!inBranch && !viaRef) break;
      kids.unshift(j);
      used.add(j);
    }
    childrenOf.set(i, kids);
  }

  const build = (indexes: number[], base: string): Node[] => {
    const nodes: Node[] = [];
    const required = new Map<string, Node & { names: string[] }>();
    const extra = new Map<string, Node & { names: string[] }>();
    const depReq = new Map<string, Node & { names: string[]; prop: string }>();
    const allOfs = new Map<string, { node: Node; members: number[]; key: string }>();
    for (const i of indexes) {
      const e = list[i]!;
      const rel = e.schemaPath.startsWith(base) ? e.schemaPath.slice(base.length) : e.schemaPath;
      const allOfAt = rel.search(/(^|\/)allOf\/\d+(\/|$)/);
      if (allOfAt >= 0 && !(e.keyword === "allOf")) {
        const start = rel[allOfAt] === "/" ? allOfAt + 1 : allOfAt;
        const key = (e.schemaPath.startsWith(base) ? base : "") + rel.slice(0, start) + "allOf";
        let group = allOfs.get(key);
        if (!group) {
          const after = rel.slice(start).replace(/^allOf\/\d+/, "");
          const at = parentPointer(e.instancePath, instanceSteps(after));
          group = { node: { at, msg: "'allOf' failed", children: [] }, members: [], key };
          allOfs.set(key, group);
          nodes.push(group.node);
        }
        group.members.push(i);
        continue;
      }
      const kids = childrenOf.get(i);
      const p = e.params as Record<string, unknown>;
      if (e.keyword === "required") {
        const k = `${e.instancePath}\u0000${e.schemaPath}`;
        let n = required.get(k);
        if (!n) {
          n = { at: e.instancePath, msg: "", children: [], names: [] };
          required.set(k, n);
          nodes.push(n);
        }
        n.names.push(String(p.missingProperty));
        n.msg =
          n.names.length === 1
            ? `missing property ${goSingleQuote(n.names[0]!)}`
            : `missing properties ${quoteNames(n.names)}`;
      } else if (e.keyword === "additionalProperties") {
        const k = `${e.instancePath}\u0000${e.schemaPath}`;
        let n = extra.get(k);
        if (!n) {
          n = { at: e.instancePath, msg: "", children: [], names: [] };
          extra.set(k, n);
          nodes.push(n);
        }
        n.names.push(String(p.additionalProperty));
        n.msg = `additional properties ${quoteNames(n.names)} not allowed`;
      } else if (e.keyword === "dependentRequired" || e.keyword === "dependencies") {
        const k = `${e.instancePath}\u0000${e.schemaPath}\u0000${p.property}`;
        let n = depReq.get(k);
        if (!n) {
          n = { at: e.instancePath, msg: "", children: [], names: [], prop: String(p.property) };
          depReq.set(k, n);
          nodes.push(n);
        }
        n.names.push(String(p.missingProperty));
        n.msg = `properties ${quoteNames(n.names)} required, if ${goSingleQuote(n.prop)} exists`;
      } else if (e.keyword === "unevaluatedProperties") {
        nodes.push({
          at: `${e.instancePath}/${escapePointer(String(p.unevaluatedProperty))}`,
          msg: "false schema",
          children: [],
        });
      } else if (e.keyword === "anyOf") {
        nodes.push({
          at: e.instancePath,
          msg: "'anyOf' failed",
          children: build(kids ?? [], `${e.schemaPath}/`),
        });
      } else if (e.keyword === "oneOf") {
        const passing = p.passingSchemas as number[] | null;
        const msg = passing
          ? `'oneOf' failed, subschemas ${passing.join(", ")} matched`
          : "'oneOf' failed, none matched";
        nodes.push({
          at: e.instancePath,
          msg,
          children: passing ? [] : build(kids ?? [], `${e.schemaPath}/`),
        });
      } else if (e.keyword === "propertyNames") {
        nodes.push({
          at: e.instancePath,
          msg: `invalid propertyName ${goSingleQuote(String(p.propertyName))}`,
          children: build(kids ?? [], `${e.schemaPath}/`),
        });
      } else if (e.keyword === "contains") {
        const items = Array.isArray(e.data) ? e.data : [];
        const failed = new Set(
          (kids ?? []).map((k) => list[k]!.instancePath.slice(e.instancePath.length + 1).split("/")[0]),
        );
        const matched = items.map((_, idx) => idx).filter((idx) => !failed.has(String(idx)));
        const min = p.minContains as number | undefined;
        const max = p.maxContains as number | undefined;
        let msg = "no items match contains schema";
        if (max !== undefined) {
          msg = `max ${max} items required to match contains schema, but matched ${matched.length} items at ${matched.join(", ")}`;
        } else if (min !== undefined && !(min === 1 && matched.length === 0)) {
          msg = `min ${min} items required to match contains schema, but matched ${matched.length} items at ${matched.join(", ")}`;
        }
        nodes.push({ at: e.instancePath, msg, children: build(kids ?? [], `${e.schemaPath}/`) });
      } else {
        const msg = leafMessage(e);
        if (msg !== null) nodes.push({ at: e.instancePath, msg, children: [] });
      }
    }
    for (const g of allOfs.values()) g.node.children = build(g.members, `${g.key}/`);
    return nodes;
  };
  return build(
    list.map((_, i) => i).filter((i) => !used.has(i)),
    "#/",
  );
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

function compile(schemaText: string): ValidateFunction {
  const syntax = goJsonSyntaxError(schemaText);
  if (syntax !== null) throw new SchemaLoadError(syntax);
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch (err) {
    throw new SchemaLoadError((err as Error).message);
  }
  const draft = draftOf(schema);
  if (schema !== null && typeof schema === "object" && !Array.isArray(schema) && "$schema" in schema) {
    schema = { ...(schema as object), $schema: META_URI[draft] };
  }
  const ajv = newAjv(draft);
  if (!ajv.validateSchema(schema as object)) {
    const tree = errorTree(ajv.errors ?? []);
    const lines = renderTree(
      draft === "2019-09" || draft === "2020-12" ? wrapInVocabularyAllOfs(tree) : tree,
    );
    throw new SchemaLoadError(
      `"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with '${META_URI[draft].replace(/#?$/, "#")}'\n${lines.join("\n")}`,
    );
  }
  try {
    return ajv.compile(schema as object);
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
}

/**
 * Validate values against one schema. Returns null when they conform, else the text Helm prints
 * under the chart's name: `- at …` lines each ending in a newline, or one line for an unusable schema.
 */
export function validateAgainstSchema(schema: Uint8Array | string, values: GoMap): string | null {
  const text = typeof schema === "string" ? schema : new TextDecoder("utf-8").decode(schema);
  let validate: ValidateFunction;
  try {
    validate = compile(text);
  } catch (err) {
    if (err instanceof SchemaLoadError) return err.message;
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

function collect(chart: Chart, values: GoMap, out: string[]): void {
  if (chart.schema !== null) {
    const problem = validateAgainstSchema(chart.schema, values);
    if (problem !== null) out.push(`${chart.metadata.name}:\n${problem}`);
  }
  for (const sub of chart.dependencies) {
    const section = values[sub.metadata.name];
    collect(sub, section !== undefined && isGoMap(section) ? section : ({} as GoMap), out);
  }
}

/**
 * Validate every chart of a processed tree against its schema, each with its own values. Returns
 * Helm's whole message (`values don't meet the specifications…`) or null.
 */
export function validateValuesAgainstSchemas(chart: Chart, values: GoMap): string | null {
  const out: string[] = [];
  collect(chart, values, out);
  if (out.length === 0) return null;
  return `values don't meet the specifications of the schema(s) in the following chart(s):\n${out.join("")}`;
}
