/**
 * A repository's `index.yaml` (or its JSON form), read as Helm v4 reads it: strictly (an unknown
 * field or a number in a string field rejects the whole file, with Go's json wording), then each
 * entry validated like Chart.yaml — entries that fail (or are empty) are skipped with Helm's
 * warning, text fields are sanitized so terminal escapes never reach the screen — and each chart's
 * versions sorted newest first by semver.
 *
 * Hostile input: a size cap before parsing, alias bombs and deep nesting refused by the YAML
 * reader, every field type-checked (nothing from the file is trusted to be the shape it claims).
 */
import type { ChartMetadata, Dependency, Maintainer } from "../chart/chart.ts";
import { emptyDependency, emptyMetadata } from "../chart/chart.ts";
import { compareSemver, parseSemver, type Version } from "../chart/engine/funcs/semver.ts";
import { parseYamlNodes, type YNode } from "../chart/engine/yaml.ts";
import { CHART_FIELDS, isValidSemver, type MetadataInput, validateMetadata } from "../chart/metadata.ts";
import { DuplicateKeyError, type PlainMap, type PlainValue, readIndexYaml } from "./index-yaml.ts";

/** One version of a chart in an index (Helm's `repo.ChartVersion`). */
export interface ChartVersion extends ChartMetadata {
  urls: string[];
  /** RFC 3339, as written (empty when absent). */
  created: string;
  removed: boolean;
  digest: string;
}

/** A parsed index (Helm's `repo.IndexFile`). */
export interface IndexFile {
  apiVersion: string;
  generated: string;
  /** Chart name → versions, newest first. A name may map to an empty list. */
  entries: Map<string, ChartVersion[]>;
  publicKeys: string[];
  annotations: Record<string, string> | null;
}

/** An index that cannot be used at all. */
export class IndexError extends Error {
  override name = "IndexError";
}

/** Largest index accepted, in bytes (a 50,000-version index is ~25–45 MB). */
export const MAX_INDEX_SIZE = 256 * 1024 * 1024;

/** Receives Helm's per-entry warnings (`skipping loading invalid entry …`). */
export type IndexWarn = (message: string) => void;

// ---------- strict typed decoding (Go's encoding/json over the YAML tree) ----------

class DecodeError extends Error {}

function isMap(v: PlainValue): v is PlainMap {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function kindName(v: PlainValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "number":
      return "number";
    case "string":
      return "string";
  }
  return "object";
}

/** Where a field is, for Go's "cannot unmarshal X into Go struct field S.path of type T". */
interface Where {
  struct: string;
  path: string;
}

function typeError(v: PlainValue, where: Where, goType: string): DecodeError {
  return new DecodeError(
    `json: cannot unmarshal ${kindName(v)} into Go struct field ${where.struct}.${where.path} of type ${goType}`,
  );
}

function at(where: Where, field: string): Where {
  return { struct: where.struct, path: where.path === "" ? field : `${where.path}.${field}` };
}

function decodeString(v: PlainValue, where: Where): string {
  if (v === null) return "";
  if (typeof v !== "string") throw typeError(v, where, "string");
  return v;
}

function decodeBool(v: PlainValue, where: Where): boolean {
  if (v === null) return false;
  if (typeof v !== "boolean") throw typeError(v, where, "bool");
  return v;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const TIME_LAYOUT = '"2006-01-02T15:04:05Z07:00"';

function decodeTime(v: PlainValue, where: Where): string {
  if (v === null) return "";
  if (typeof v !== "string") throw typeError(v, where, "time.Time");
  if (!RFC3339.test(v)) {
    const year = /^\d{4}/.test(v) ? "" : ` as "2006"`;
    throw new DecodeError(
      `parsing time ${JSON.stringify(v)} as ${TIME_LAYOUT}: cannot parse ${JSON.stringify(v)}${year || ` as ${TIME_LAYOUT}`}`,
    );
  }
  return v;
}

function decodeStrings(v: PlainValue, where: Where): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw typeError(v, where, "[]string");
  return v.map((i) => decodeString(i, where));
}

function decodeStringMap(v: PlainValue, where: Where): Record<string, string> | null {
  if (v === null) return null;
  if (!isMap(v)) throw typeError(v, where, "map[string]string");
  const out: Record<string, string> = Object.create(null);
  for (const k of Object.keys(v)) out[k] = decodeString(v[k]!, where);
  return out;
}

/** Go's field matching: exact name, else case-insensitive; unknown fields are errors when strict. */
function fieldOf(key: string, known: ReadonlySet<string>, strict: boolean): string | undefined {
  if (known.has(key)) return key;
  const lower = key.toLowerCase();
  for (const f of known) if (f.toLowerCase() === lower) return f;
  if (strict) throw new DecodeError(`json: unknown field ${JSON.stringify(key)}`);
  return undefined;
}

const MAINTAINER_FIELDS = new Set<string>(CHART_FIELDS.maintainer);
const DEPENDENCY_FIELDS = new Set<string>(CHART_FIELDS.dependency);
const VERSION_FIELDS = new Set([
  ...CHART_FIELDS.metadata,
  "urls",
  "created",
  "removed",
  "digest",
  "checksum",
  "engine",
  "tillerVersion",
  "url",
]);
const INDEX_FIELDS = new Set([
  "apiVersion",
  "generated",
  "entries",
  "publicKeys",
  "annotations",
  "serverInfo",
]);

function decodeMaintainer(v: PlainValue, base: Where, strict: boolean): Maintainer | null {
  if (v === null) return null;
  if (!isMap(v)) throw typeError(v, base, "v2.Maintainer");
  const where = { struct: "Maintainer", path: base.path };
  const m: Maintainer = { name: "", email: "", url: "" };
  for (const k of Object.keys(v)) {
    const f = fieldOf(k, MAINTAINER_FIELDS, strict);
    if (f !== undefined) m[f as keyof Maintainer] = decodeString(v[k]!, at(where, f));
  }
  return m;
}

function decodeDependency(v: PlainValue, base: Where, strict: boolean): Dependency | null {
  if (v === null) return null;
  if (!isMap(v)) throw typeError(v, base, "v2.Dependency");
  const where = { struct: "Dependency", path: base.path };
  const d = emptyDependency();
  for (const k of Object.keys(v)) {
    const f = fieldOf(k, DEPENDENCY_FIELDS, strict);
    if (f === undefined) continue;
    const x = v[k]!;
    const w = at(where, f);
    switch (f) {
      case "tags":
        d.tags = decodeStrings(x, w);
        break;
      case "enabled":
        d.enabled = decodeBool(x, w);
        break;
      case "import-values":
        // An index never needs their content; only the type is checked.
        if (x !== null && !Array.isArray(x)) throw typeError(x, w, "[]interface {}");
        break;
      default:
        (d as unknown as Record<string, string>)[f] = decodeString(x, w);
    }
  }
  return d;
}

const OWN: Where = { struct: "ChartVersion", path: "entries" };
const MD: Where = { struct: "ChartVersion", path: "entries.Metadata" };

function decodeChartVersion(v: PlainValue, strict: boolean): ChartVersion | null {
  if (v === null) return null;
  if (!isMap(v)) throw typeError(v, OWN, "repo.ChartVersion");
  const cv: ChartVersion = { ...emptyMetadata(), urls: [], created: "", removed: false, digest: "" };
  const target = cv as unknown as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    const f = fieldOf(k, VERSION_FIELDS, strict);
    if (f === undefined) continue;
    const x = v[k]!;
    switch (f) {
      case "sources":
      case "keywords":
        target[f] = decodeStrings(x, at(MD, f));
        break;
      case "maintainers":
        if (x === null) break;
        if (!Array.isArray(x)) throw typeError(x, at(MD, f), "[]*v2.Maintainer");
        cv.maintainers = x.map((i) => decodeMaintainer(i, at(MD, f), strict)) as Maintainer[];
        break;
      case "dependencies":
        if (x === null) break;
        if (!Array.isArray(x)) throw typeError(x, at(MD, f), "[]*v2.Dependency");
        cv.dependencies = x.map((i) => decodeDependency(i, at(MD, f), strict)) as Dependency[];
        break;
      case "deprecated":
        cv.deprecated = decodeBool(x, at(MD, f));
        break;
      case "annotations":
        cv.annotations = decodeStringMap(x, at(MD, f));
        break;
      case "urls":
        cv.urls = decodeStrings(x, at(OWN, f));
        break;
      case "created":
        cv.created = decodeTime(x, at(OWN, f));
        break;
      case "removed":
        cv.removed = decodeBool(x, at(OWN, f));
        break;
      case "digest":
        cv.digest = decodeString(x, at(OWN, f));
        break;
      case "checksum":
      case "engine":
      case "tillerVersion":
      case "url":
        decodeString(x, at(OWN, f));
        break;
      default:
        target[f] = decodeString(x, at(MD, f));
    }
  }
  return cv;
}

/** Decoded versions travel through the tree wrapped, so the decoder knows them. */
const DECODED = Symbol("decoded");
interface Decoded {
  [DECODED]: ChartVersion | null;
}

function isDecoded(v: unknown): v is Decoded {
  return typeof v === "object" && v !== null && DECODED in v;
}

interface RawIndex {
  apiVersion: string;
  generated: string;
  entries: [string, (ChartVersion | null)[]][];
  publicKeys: string[];
  annotations: Record<string, string> | null;
}

function decodeIndex(doc: PlainValue, strict: boolean): RawIndex {
  const top: Where = { struct: "IndexFile", path: "" };
  const out: RawIndex = { apiVersion: "", generated: "", entries: [], publicKeys: [], annotations: null };
  if (doc === null) return out;
  if (!isMap(doc)) {
    throw new DecodeError(`json: cannot unmarshal ${kindName(doc)} into Go value of type repo.IndexFile`);
  }
  for (const k of Object.keys(doc)) {
    const f = fieldOf(k, INDEX_FIELDS, strict);
    if (f === undefined) continue;
    const v = doc[k]!;
    switch (f) {
      case "apiVersion":
        out.apiVersion = decodeString(v, at(top, f));
        break;
      case "generated":
        out.generated = decodeTime(v, at(top, f));
        break;
      case "publicKeys":
        out.publicKeys = decodeStrings(v, at(top, f));
        break;
      case "annotations":
        out.annotations = decodeStringMap(v, at(top, f));
        break;
      case "serverInfo":
        if (v !== null && !isMap(v)) throw typeError(v, at(top, f), "map[string]interface {}");
        break;
      case "entries": {
        if (v === null) break;
        if (!isMap(v)) throw typeError(v, at(top, f), "map[string]repo.ChartVersions");
        for (const name of Object.keys(v)) {
          const list = v[name]!;
          if (list === null) {
            out.entries.push([name, []]);
            continue;
          }
          if (!Array.isArray(list)) throw typeError(list, at(top, f), "repo.ChartVersions");
          out.entries.push([
            name,
            list.map((item) => (isDecoded(item) ? item[DECODED] : decodeChartVersion(item, strict))),
          ]);
        }
        break;
      }
    }
  }
  return out;
}

// ---------- loading ----------

function nodeToPlain(n: YNode): PlainValue {
  switch (n.kind) {
    case "null":
      return null;
    case "bool":
    case "str":
      return n.value;
    case "int":
      return Number(n.value);
    case "float":
      return n.value;
    case "seq":
      return n.items.map(nodeToPlain);
    case "map": {
      const out: PlainMap = Object.create(null);
      for (const [k, v] of n.entries) out[k] = nodeToPlain(v);
      return out;
    }
  }
}

function looksLikeJson(text: string): boolean {
  return text.trimStart().startsWith("{");
}

/** Parse index text (YAML or JSON) and decode it; errors worded as Helm's. */
function parseAndDecode(text: string): RawIndex {
  try {
    if (looksLikeJson(text)) {
      let json: PlainValue | undefined;
      try {
        json = JSON.parse(text) as PlainValue;
      } catch {
        // Not JSON after all: YAML is a superset, let the YAML reader judge it.
      }
      // Helm decodes JSON indexes leniently: unknown fields are ignored.
      if (json !== undefined) return decodeIndex(json, false);
    }
    let firstError: DecodeError | undefined;
    const hook = (v: PlainValue): PlainValue => {
      let cv: ChartVersion | null = null;
      try {
        cv = decodeChartVersion(v, true);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        firstError ??= err;
      }
      return { [DECODED]: cv } as unknown as PlainValue;
    };
    let tree: PlainValue | undefined;
    try {
      tree = readIndexYaml(text, hook);
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new IndexError(err.message);
      throw err;
    }
    if (tree === undefined) {
      firstError = undefined;
      try {
        tree = nodeToPlain(parseYamlNodes(text)[0] ?? { kind: "null" });
      } catch (err) {
        throw new IndexError(`error converting YAML to JSON: ${(err as Error).message}`);
      }
    }
    if (firstError !== undefined) throw firstError;
    return decodeIndex(tree, true);
  } catch (err) {
    if (err instanceof DecodeError) {
      throw new IndexError(`error unmarshaling JSON: while decoding JSON: ${err.message}`);
    }
    if (err instanceof RangeError) {
      throw new IndexError("error converting YAML to JSON: document is too deeply nested");
    }
    throw err;
  }
}

/** True when `s` is printable ASCII only, so Helm's sanitizing would not change it. */
function plainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function allPlainAscii(cv: ChartVersion): boolean {
  const texts = [
    cv.name,
    cv.description,
    cv.home,
    cv.icon,
    cv.condition,
    cv.tags,
    cv.appVersion,
    cv.kubeVersion,
    cv.version,
    ...cv.sources,
    ...cv.keywords,
  ];
  for (const t of texts) if (!plainAscii(t)) return false;
  for (const m of cv.maintainers)
    if (m !== null && !(plainAscii(m.name) && plainAscii(m.email) && plainAscii(m.url))) return false;
  for (const d of cv.dependencies ?? []) {
    if (d === null) continue;
    if (!(plainAscii(d.name) && plainAscii(d.version) && plainAscii(d.repository) && plainAscii(d.condition)))
      return false;
    for (const t of d.tags) if (!plainAscii(t)) return false;
  }
  return true;
}

const ALIAS = /^[a-zA-Z0-9-_]+$/;

/**
 * The checks of Chart.yaml validation for an entry whose text needs no sanitizing (nearly all):
 * the same verdicts and messages as the chart loader's validation, without its per-character work.
 */
function quickProblem(cv: ChartVersion): string | null {
  if (cv.name === "") return "validation: chart.metadata.name is required";
  if (cv.name === "." || cv.name === "..")
    return `validation: chart.metadata.name ${JSON.stringify(cv.name)} is not allowed`;
  if (cv.name.includes("/")) return `validation: chart.metadata.name ${JSON.stringify(cv.name)} is invalid`;
  if (cv.version === "") return "validation: chart.metadata.version is required";
  if (!isValidSemver(cv.version))
    return `validation: chart.metadata.version ${JSON.stringify(cv.version)} is invalid`;
  if (cv.type !== "" && cv.type !== "application" && cv.type !== "library") {
    return "validation: chart.metadata.type must be application or library";
  }
  for (const m of cv.maintainers)
    if (m === null) return "validation: maintainers must not contain empty or null nodes";
  for (const d of cv.dependencies ?? []) {
    if (d === null) return "validation: dependencies must not contain empty or null nodes";
    if (d.alias !== "" && !ALIAS.test(d.alias)) {
      return `validation: dependency ${JSON.stringify(d.name)} has disallowed characters in the alias`;
    }
  }
  return null;
}

/** Validate (and sanitize) one entry as Helm does; returns the error message or null. */
function entryProblem(cv: ChartVersion): string | null {
  if (cv.apiVersion === "") cv.apiVersion = "v1";
  if (allPlainAscii(cv)) return quickProblem(cv);
  try {
    validateMetadata(cv as unknown as MetadataInput);
    return null;
  } catch (err) {
    const msg = (err as Error).message;
    // Helm keeps entries whose only fault is a repeated dependency name.
    if (msg.startsWith("validation: more than one dependency with name or alias")) return null;
    return msg;
  }
}

const versionCache = new Map<string, Version | null>();

function semverOf(v: string): Version | null {
  let parsed = versionCache.get(v);
  if (parsed === undefined) {
    try {
      parsed = parseSemver(v);
    } catch {
      parsed = null;
    }
    if (versionCache.size > 100_000) versionCache.clear();
    versionCache.set(v, parsed);
  }
  return parsed;
}

/** Newest first by semver; a version that does not parse sorts last. Stable for equal versions. */
export function sortVersions(list: ChartVersion[]): void {
  list.sort((a, b) => {
    const x = semverOf(a.version);
    const y = semverOf(b.version);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return compareSemver(y, x);
  });
}

/**
 * Load an index from its bytes. `source` names it in warnings and errors (the URL or cache
 * path). Throws {@link IndexError} for a file Helm would refuse; warns for skipped entries.
 */
export function loadIndex(
  data: Uint8Array,
  source: string,
  warn: IndexWarn,
  maxSize = MAX_INDEX_SIZE,
): IndexFile {
  if (data.length === 0) throw new IndexError("empty index.yaml file");
  if (data.length > maxSize) {
    throw new IndexError(`index ${source} is ${data.length} bytes, more than the maximum ${maxSize}`);
  }
  const raw = parseAndDecode(new TextDecoder("utf-8").decode(data));
  if (raw.apiVersion === "") throw new IndexError("no API version specified");
  const entries = new Map<string, ChartVersion[]>();
  for (const [name, versions] of raw.entries) {
    const kept: ChartVersion[] = [];
    // Helm walks each list from the end; keep its warning order.
    for (let i = versions.length - 1; i >= 0; i--) {
      const cv = versions[i];
      if (cv === null || cv === undefined) {
        warn(`skipping loading invalid entry for chart ${JSON.stringify(name)} from ${source}: empty entry`);
        continue;
      }
      const problem = entryProblem(cv);
      if (problem !== null) {
        warn(
          `skipping loading invalid entry for chart ${JSON.stringify(name)} ${JSON.stringify(cv.version)} from ${source}: ${problem}`,
        );
        continue;
      }
      kept.push(cv);
    }
    kept.reverse();
    sortVersions(kept);
    entries.set(name, kept);
  }
  return {
    apiVersion: raw.apiVersion,
    generated: raw.generated,
    entries,
    publicKeys: raw.publicKeys,
    annotations: raw.annotations,
  };
}
