/**
 * Chart.yaml and lock files: decoding them as Helm does (YAML → JSON → Go struct, so a number in
 * a string field becomes its Go spelling, keys match case-insensitively, unknown keys are ignored,
 * a wrong type is Go's `json: cannot unmarshal …` error) and validating metadata with Helm's
 * messages (`validation: chart.metadata.name is required`, …). Validation also strips
 * unprintable characters from the text fields, as Helm does, so terminal escapes in a chart's
 * description never reach the user's terminal.
 */
import {
  type ChartLock,
  type ChartMetadata,
  type Dependency,
  emptyDependency,
  emptyMetadata,
  type Maintainer,
} from "./chart.ts";
import { formatFloatG } from "./engine/fmt.ts";
import type { GoValue } from "./engine/value.ts";
import {
  jsonKindOf,
  parseYamlNodeFast,
  parseYamlNodes,
  YamlError,
  type YNode,
  yNodeToGo,
} from "./engine/yaml.ts";

/** Chart.yaml as decoded, before validation: list entries may still be `null` (`- ~`). */
export interface MetadataInput extends Omit<ChartMetadata, "maintainers" | "dependencies"> {
  maintainers: (Maintainer | null)[];
  dependencies: (Dependency | null)[] | null;
}

// ---------- a small Go-json-like typed decoder ----------

type FieldType =
  | { t: "string" }
  | { t: "bool" }
  | { t: "any" }
  | { t: "time" }
  | { t: "slice"; elem: FieldType; goType: string }
  | { t: "map"; elem: FieldType; goType: string }
  | { t: "struct"; def: StructDef; goType: string };

interface StructDef {
  /** Go type name used in errors, e.g. `Metadata`. */
  name: string;
  fields: Record<string, FieldType>;
}

const STRING: FieldType = { t: "string" };
const BOOL: FieldType = { t: "bool" };
const STRINGS: FieldType = { t: "slice", elem: STRING, goType: "[]string" };

const MAINTAINER: StructDef = { name: "Maintainer", fields: { name: STRING, email: STRING, url: STRING } };
const DEPENDENCY: StructDef = {
  name: "Dependency",
  fields: {
    name: STRING,
    version: STRING,
    repository: STRING,
    condition: STRING,
    tags: STRINGS,
    enabled: BOOL,
    "import-values": { t: "slice", elem: { t: "any" }, goType: "[]interface {}" },
    alias: STRING,
  },
};
const DEPENDENCIES: FieldType = {
  t: "slice",
  elem: { t: "struct", def: DEPENDENCY, goType: "v2.Dependency" },
  goType: "[]*v2.Dependency",
};
const METADATA: StructDef = {
  name: "Metadata",
  fields: {
    name: STRING,
    home: STRING,
    sources: STRINGS,
    version: STRING,
    description: STRING,
    keywords: STRINGS,
    maintainers: {
      t: "slice",
      elem: { t: "struct", def: MAINTAINER, goType: "v2.Maintainer" },
      goType: "[]*v2.Maintainer",
    },
    icon: STRING,
    apiVersion: STRING,
    condition: STRING,
    tags: STRING,
    appVersion: STRING,
    deprecated: BOOL,
    annotations: { t: "map", elem: STRING, goType: "map[string]string" },
    kubeVersion: STRING,
    dependencies: DEPENDENCIES,
    type: STRING,
  },
};
const LOCK: StructDef = {
  name: "Lock",
  fields: { generated: { t: "time" }, digest: STRING, dependencies: DEPENDENCIES },
};
const CHART_BASE: StructDef = { name: "chartBase", fields: { apiVersion: STRING } };

/** float32 shortest formatting, as sigs.k8s.io/yaml writes a YAML float into a string field. */
export function formatFloat32(f: number): string {
  if (!Number.isFinite(f)) return formatFloatG(f);
  const f32 = Math.fround(f);
  for (let p = 1; p <= 9; p++) {
    const s = f32.toPrecision(p);
    if (Math.fround(Number(s)) === f32) return formatFloatG(Number(s));
  }
  return formatFloatG(f32);
}

class DecodeError extends Error {}

function typeError(n: YNode, structName: string, path: string[], goType: string): DecodeError {
  const where = path.length > 0 ? `Go struct field ${structName}.${path.join(".")}` : `Go value`;
  return new DecodeError(`json: cannot unmarshal ${jsonKindOf(n)} into ${where} of type ${goType}`);
}

/** Go's encoding/json field lookup: an exact name first, then a case-insensitive match. */
function findField(def: StructDef, key: string): string | undefined {
  if (Object.hasOwn(def.fields, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(def.fields).find((f) => f.toLowerCase() === lower);
}

function decodeValue(n: YNode, ft: FieldType, structName: string, path: string[]): unknown {
  switch (ft.t) {
    case "string":
      switch (n.kind) {
        case "null":
          return "";
        case "str":
          return n.value;
        case "bool":
          return n.value ? "true" : "false";
        case "int":
          return n.value.toString();
        case "float":
          return formatFloat32(n.value);
        default:
          throw typeError(n, structName, path, "string");
      }
    case "bool":
      if (n.kind === "null") return false;
      if (n.kind !== "bool") throw typeError(n, structName, path, "bool");
      return n.value;
    case "any":
      return yNodeToGo(n);
    case "time":
      if (n.kind === "null") return "";
      if (n.kind !== "str") throw new DecodeError("Time.UnmarshalJSON: input is not a JSON string");
      if (!/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(n.value)) {
        throw new DecodeError(
          `parsing time ${JSON.stringify(n.value)} as "2006-01-02T15:04:05Z07:00": cannot parse`,
        );
      }
      return n.value;
    case "slice":
      if (n.kind === "null") return ft === DEPENDENCIES ? null : [];
      if (n.kind !== "seq") throw typeError(n, structName, path, ft.goType);
      return n.items.map((item) => decodeValue(item, ft.elem, structName, path));
    case "map": {
      if (n.kind === "null") return null;
      if (n.kind !== "map") throw typeError(n, structName, path, ft.goType);
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, v] of n.entries) out[k] = decodeValue(v, ft.elem, structName, [...path]);
      return out;
    }
    case "struct":
      if (n.kind === "null") return null;
      if (n.kind !== "map") throw typeError(n, structName, path, ft.goType);
      return decodeStruct(n, ft.def, path);
  }
}

function decodeStruct(n: YNode, def: StructDef, path: string[]): Record<string, unknown> {
  if (n.kind !== "map") throw typeError(n, def.name, [], `loader.${def.name}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of n.entries) {
    const field = findField(def, key);
    if (field === undefined) continue;
    const ft = def.fields[field]!;
    out[field] = decodeValue(value, ft, def.name, [...path, field]);
  }
  return out;
}

function errorForType(n: YNode, goType: string): DecodeError {
  return new DecodeError(`json: cannot unmarshal ${jsonKindOf(n)} into Go value of type ${goType}`);
}

function firstNonFiniteFloat(n: YNode): number | undefined {
  if (n.kind === "float" && !Number.isFinite(n.value)) return n.value;
  if (n.kind === "seq") {
    for (const i of n.items) {
      const f = firstNonFiniteFloat(i);
      if (f !== undefined) return f;
    }
  }
  if (n.kind === "map") {
    for (const v of n.entries.values()) {
      const f = firstNonFiniteFloat(v);
      if (f !== undefined) return f;
    }
  }
  return undefined;
}

/** Decode one YAML document into a struct, with Helm's sigs.k8s.io/yaml error wording. */
function decodeDocument(text: string, def: StructDef, rootGoType: string): Record<string, unknown> {
  let doc = parseYamlNodeFast(text);
  if (doc === undefined) {
    try {
      doc = parseYamlNodes(text)[0] ?? { kind: "null" };
    } catch (err) {
      throw new YamlError(`error converting YAML to JSON: ${(err as Error).message}`);
    }
  }
  if (doc.kind === "null") return {};
  // The YAML → JSON step fails on an infinite or NaN float anywhere in the document.
  const bad = firstNonFiniteFloat(doc);
  if (bad !== undefined) {
    throw new YamlError(`error converting YAML to JSON: json: unsupported value: ${formatFloatG(bad)}`);
  }
  try {
    if (doc.kind !== "map") throw errorForType(doc, rootGoType);
    return decodeStruct(doc, def, []);
  } catch (err) {
    if (err instanceof DecodeError) {
      throw new YamlError(`error unmarshaling JSON: while decoding JSON: ${err.message}`);
    }
    throw err;
  }
}

function toDependency(raw: Record<string, unknown> | null): Dependency | null {
  if (raw === null) return null;
  const d = emptyDependency();
  if (raw.name !== undefined) d.name = raw.name as string;
  if (raw.version !== undefined) d.version = raw.version as string;
  if (raw.repository !== undefined) d.repository = raw.repository as string;
  if (raw.condition !== undefined) d.condition = raw.condition as string;
  if (raw.tags !== undefined) d.tags = raw.tags as string[];
  if (raw.enabled !== undefined) d.enabled = raw.enabled as boolean;
  if (raw["import-values"] !== undefined) d.importValues = raw["import-values"] as GoValue[];
  if (raw.alias !== undefined) d.alias = raw.alias as string;
  return d;
}

/** The JSON field names of Chart.yaml's metadata, its maintainers and its dependencies (Helm's structs). */
export const CHART_FIELDS = {
  metadata: [
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
  ],
  maintainer: ["name", "email", "url"],
  dependency: ["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"],
} as const;

/** The apiVersion Helm's loader reads first to pick a chart loader; errors as Helm words them. */
export function readChartApiVersion(text: string): string {
  const base = decodeDocument(text, CHART_BASE, "loader.chartBase");
  return (base.apiVersion as string | undefined) ?? "";
}

/**
 * Decode Chart.yaml. Throws a {@link YamlError} whose message follows Helm's
 * `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal …`.
 */
export function decodeChartYaml(text: string): MetadataInput {
  const raw = decodeDocument(text, METADATA, "v2.Metadata");
  const md = emptyMetadata() as unknown as MetadataInput;
  const target = md as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(raw)) {
    if (k === "maintainers") {
      md.maintainers = (v as (Record<string, unknown> | null)[]).map((m) =>
        m === null
          ? null
          : {
              name: (m.name as string) ?? "",
              email: (m.email as string) ?? "",
              url: (m.url as string) ?? "",
            },
      );
    } else if (k === "dependencies") {
      md.dependencies = v === null ? null : (v as (Record<string, unknown> | null)[]).map(toDependency);
    } else {
      target[k] = v;
    }
  }
  return md;
}

/**
 * Decode requirements.yaml (apiVersion v1 charts) the way Helm does, as a Metadata document: its
 * `dependencies` list, or `undefined` when the file has none.
 */
export function decodeRequirements(text: string): (Dependency | null)[] | null | undefined {
  const raw = decodeDocument(text, METADATA, "v2.Metadata");
  if (!Object.hasOwn(raw, "dependencies")) return undefined;
  const deps = raw.dependencies as (Record<string, unknown> | null)[] | null;
  return deps === null ? null : deps.map(toDependency);
}

/** Decode Chart.lock / requirements.lock. */
export function decodeLock(text: string): ChartLock {
  const raw = decodeDocument(text, LOCK, "v2.Lock");
  return {
    generated: (raw.generated as string | undefined) ?? "",
    digest: (raw.digest as string | undefined) ?? "",
    dependencies: ((raw.dependencies as (Record<string, unknown> | null)[] | undefined) ?? [])
      .map(toDependency)
      .filter((d): d is Dependency => d !== null),
  };
}

// ---------- validation ----------

/** A chart validation failure; the message starts with `validation: ` as Helm's do. */
export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(message: string) {
    super(`validation: ${message}`);
  }
}

/**
 * Masterminds/semver's version syntax: optional `v`, one to three numeric parts (leading zeros
 * allowed, each below 2^64), pre-release identifiers where a numeric one has no leading zero.
 */
export function isValidSemver(v: string): boolean {
  const m =
    /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/.exec(
      v,
    );
  if (!m) return false;
  for (const part of [m[1], m[2], m[3]]) {
    if (part !== undefined && BigInt(part) > 18446744073709551615n) return false;
  }
  if (m[4] !== undefined) {
    for (const id of m[4].split(".")) if (/^0[0-9]+$/.test(id)) return false;
  }
  return true;
}

/** Go's unicode.IsSpace. */
function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Helm's sanitizing of metadata text: spaces become ' ', unprintable characters are dropped. */
export function sanitizeString(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (isSpace(c)) out += " ";
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) || c === 0x20) out += ch;
  }
  return out;
}

const ALIAS = /^[a-zA-Z0-9-_]+$/;

/** Validate (and sanitize) one dependency entry; Helm's messages. */
export function validateDependency(d: Dependency): void {
  d.name = sanitizeString(d.name);
  d.version = sanitizeString(d.version);
  d.repository = sanitizeString(d.repository);
  d.condition = sanitizeString(d.condition);
  d.tags = d.tags.map(sanitizeString);
  if (d.alias !== "" && !ALIAS.test(d.alias)) {
    throw new ValidationError(`dependency ${JSON.stringify(d.name)} has disallowed characters in the alias`);
  }
}

function isValidChartName(name: string): "ok" | "reserved" | "invalid" {
  if (name === "." || name === "..") return "reserved";
  // filepath.Base(name) must be the name itself: no directory parts.
  if (name.includes("/")) return "invalid";
  return "ok";
}

/**
 * Validate Chart.yaml metadata as Helm does when loading a chart, sanitizing text fields in
 * place. Returns the metadata, now free of null list entries. Throws {@link ValidationError}.
 */
export function validateMetadata(md: MetadataInput | ChartMetadata): ChartMetadata {
  md.name = sanitizeString(md.name);
  md.description = sanitizeString(md.description);
  md.home = sanitizeString(md.home);
  md.icon = sanitizeString(md.icon);
  md.condition = sanitizeString(md.condition);
  md.tags = sanitizeString(md.tags);
  md.appVersion = sanitizeString(md.appVersion);
  md.kubeVersion = sanitizeString(md.kubeVersion);
  md.sources = md.sources.map(sanitizeString);
  md.keywords = md.keywords.map(sanitizeString);

  if (md.apiVersion === "") throw new ValidationError("chart.metadata.apiVersion is required");
  if (md.name === "") throw new ValidationError("chart.metadata.name is required");
  const nameCheck = isValidChartName(md.name);
  if (nameCheck === "reserved") {
    throw new ValidationError(`chart.metadata.name ${JSON.stringify(md.name)} is not allowed`);
  }
  if (nameCheck === "invalid")
    throw new ValidationError(`chart.metadata.name ${JSON.stringify(md.name)} is invalid`);
  if (md.version === "") throw new ValidationError("chart.metadata.version is required");
  if (!isValidSemver(md.version)) {
    throw new ValidationError(`chart.metadata.version ${JSON.stringify(md.version)} is invalid`);
  }
  if (md.type !== "" && md.type !== "application" && md.type !== "library") {
    throw new ValidationError("chart.metadata.type must be application or library");
  }
  for (const m of md.maintainers) {
    if (m === null) throw new ValidationError("maintainers must not contain empty or null nodes");
    m.name = sanitizeString(m.name);
    m.email = sanitizeString(m.email);
    m.url = sanitizeString(m.url);
  }
  const seen = new Set<string>();
  for (const d of md.dependencies ?? []) {
    if (d === null) throw new ValidationError("dependencies must not contain empty or null nodes");
    validateDependency(d);
    const key = d.alias !== "" ? d.alias : d.name;
    if (seen.has(key))
      throw new ValidationError(`more than one dependency with name or alias ${JSON.stringify(key)}`);
    seen.add(key);
  }
  return md as ChartMetadata;
}
