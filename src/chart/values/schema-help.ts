/**
 * Reading a chart's values.schema.json for people (beyond Helm): the documented keys as rows
 * (dotted path, `[]` for array items, type, default from values.yaml, description), and the keys
 * in the values that the schema does not declare (likely typos) for `helm lint`.
 * Local `$ref`s (`#/definitions/…`, `#/$defs/…`, any `#/…` pointer) are followed, once per path.
 */

import { type GoMap, type GoValue, isGoMap } from "../engine/value.ts";
import { goToJson, type JsonValue } from "../metadata-json.ts";

type Schema = { [key: string]: unknown };

/** One documented key of the schema. */
export interface SchemaRow {
  key: string;
  type: string;
  default: string;
  description: string;
}

/** The schema's text is not usable JSON (or not an object). */
export class SchemaHelpError extends Error {}

/** Parse values.schema.json bytes into an object schema. */
export function parseSchema(bytes: Uint8Array): Schema {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new SchemaHelpError(`values.schema.json: invalid JSON: ${(err as Error).message}`);
  }
  if (!isSchema(doc)) throw new SchemaHelpError("values.schema.json: the schema is not a JSON object");
  return doc;
}

function isSchema(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Follow a local `$ref` (JSON pointer into the root schema); undefined when it goes nowhere. */
function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref
    .slice(1)
    .split("/")
    .filter((p) => p !== "")) {
    const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isSchema(node)) return undefined;
    node = node[part];
  }
  return isSchema(node) ? node : undefined;
}

/** The schema with its `$ref` chain and `allOf` parts merged in (what a reader of this key sees). */
function effective(root: Schema, schema: Schema, seen: Set<Schema> = new Set()): Schema {
  if (seen.has(schema)) return {};
  seen.add(schema);
  let out: Schema = { ...schema };
  if (typeof schema.$ref === "string") {
    const target = resolveRef(root, schema.$ref);
    if (target) out = { ...effective(root, target, new Set(seen)), ...out };
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf.filter(isSchema)) {
      const e = effective(root, part, new Set(seen));
      // Keys in reading order (this schema's, then each part's); the first definition wins.
      const props: Schema = { ...(isSchema(out.properties) ? out.properties : {}) };
      for (const [k, v] of Object.entries(isSchema(e.properties) ? e.properties : {}))
        if (!(k in props)) props[k] = v;
      out = { ...e, ...out };
      if (Object.keys(props).length > 0) out.properties = props;
    }
  }
  return out;
}

function typeOf(root: Schema, s: Schema): string {
  if (typeof s.type === "string") return s.type;
  if (Array.isArray(s.type)) return s.type.join("|");
  const alternatives = [s.anyOf, s.oneOf].find(Array.isArray) as unknown[] | undefined;
  if (alternatives) {
    const types = alternatives.filter(isSchema).map((a) => typeOf(root, effective(root, a)));
    return [...new Set(types.filter((t) => t !== ""))].join("|");
  }
  if (isSchema(s.properties)) return "object";
  if (s.items !== undefined) return "array";
  if (Array.isArray(s.enum)) return "enum";
  return "";
}

const MAX_DEFAULT = 40;

function show(v: JsonValue | undefined): string {
  if (v === undefined) return "";
  const text = JSON.stringify(v);
  return text.length > MAX_DEFAULT ? `${text.slice(0, MAX_DEFAULT - 3)}...` : text;
}

function lookup(values: JsonValue | undefined, key: string): JsonValue | undefined {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return undefined;
  return values[key];
}

/** Every key the schema documents, depth first in the schema's order, with values.yaml's defaults. */
export function schemaRows(schema: Schema, values: GoMap): SchemaRow[] {
  const rows: SchemaRow[] = [];
  const walk = (node: Schema, path: string, value: JsonValue | undefined, depth: number) => {
    if (depth > 64) return; // a $ref cycle through properties
    const s = effective(schema, node);
    if (path !== "") {
      const fallback = "default" in s ? (s.default as JsonValue) : undefined;
      rows.push({
        key: path,
        type: typeOf(schema, s),
        default: show(value ?? fallback),
        description: typeof s.description === "string" ? s.description.replace(/\s*\n\s*/g, " ").trim() : "",
      });
    }
    if (isSchema(s.properties)) {
      for (const [k, child] of Object.entries(s.properties)) {
        if (isSchema(child)) walk(child, path === "" ? k : `${path}.${k}`, lookup(value, k), depth + 1);
      }
    }
    if (isSchema(s.items)) walk(s.items, `${path}[]`, undefined, depth + 1);
  };
  walk(schema, "", goToJson(values), 0);
  return rows;
}

/** A key of the values that is not declared where a close sibling is: most likely a typo. */
export interface MisspelledKey {
  /** Dotted path, array items as `[N]`. */
  path: string;
  /** The declared property it is closest to. */
  suggestion: string;
}

/** Edit distance with transpositions (optimal string alignment), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
}

/** The declared name `key` was most likely meant to be, if any is close enough. */
function closest(key: string, declared: string[]): string | undefined {
  const allowed = key.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  const plural = (a: string, b: string) => a === `${b}s` || a === `${b}es`;
  for (const name of declared) {
    // `databases` beside `database` is a list beside an item, not a typo.
    if (plural(key, name) || plural(name, key)) continue;
    const dist = distance(key, name);
    if (dist < bestDistance) {
      best = name;
      bestDistance = dist;
    }
  }
  return best;
}

/**
 * Keys present in `values` that the schema does not declare, where it lists `properties`, says
 * nothing about others (no `additionalProperties`, `patternProperties` or `unevaluatedProperties`)
 * and declares a name within a typo's reach (one edit, two for names of 6+ characters; case
 * ignored; plurals are not typos). Helm accepts such keys silently, so a misspelt setting is simply lost. Schemas that
 * document only some keys are common, so undeclared keys unlike any declared one are left alone.
 */
export function misspelledKeys(schema: Schema, values: GoMap): MisspelledKey[] {
  const found: MisspelledKey[] = [];
  const walk = (node: Schema, value: GoValue, path: string, depth: number) => {
    if (depth > 64) return;
    const s = effective(schema, node);
    if (Array.isArray(value)) {
      const items = s.items;
      if (isSchema(items)) {
        for (const [i, v] of value.entries()) walk(items, v, `${path}[${i}]`, depth + 1);
      }
      return;
    }
    if (!isGoMap(value) || !isSchema(s.properties)) return;
    const open = "additionalProperties" in s || "patternProperties" in s || "unevaluatedProperties" in s;
    const declared = Object.keys(s.properties);
    for (const key of Object.keys(value).sort()) {
      const child = s.properties[key];
      const childPath = path === "" ? key : `${path}.${key}`;
      if (isSchema(child)) walk(child, value[key] as GoValue, childPath, depth + 1);
      if (child !== undefined || open) continue;
      const suggestion = closest(key, declared);
      if (suggestion !== undefined) found.push({ path: childPath, suggestion });
    }
  };
  walk(schema, values, "", 0);
  return found;
}
