/**
 * Chart.yaml rules (Helm's `Chartfile` lint rules): the file parses, parses strictly (no unknown
 * fields), and its name, apiVersion, version, appVersion, maintainers, sources, icon, type and
 * dependencies are well-formed. Every finding is reported at path `Chart.yaml`.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { compareSemver, parseSemver } from "../engine/funcs/semver.ts";
import type { GoValue } from "../engine/value.ts";
import { parseYaml, parseYamlNodes, type YNode } from "../engine/yaml.ts";
import { CHART_FIELDS, decodeChartYaml, isValidSemver, type MetadataInput } from "../metadata.ts";
import { type Linter, Severity } from "./support.ts";
import { isEmail, isRequestUrl, isUrl } from "./urls.ts";

const FILE = "Chart.yaml";

/** Run the Chart.yaml rules. */
export function lintChartfile(linter: Linter): void {
  const path = join(linter.chartDir, FILE);
  linter.check(Severity.Error, FILE, notDirectory(path));
  let text = "";
  let md: MetadataInput | null = null;
  let loadError: string | null = null;
  try {
    text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
    md = decodeChartYaml(text);
  } catch (err) {
    loadError = (err as Error).message;
  }
  if (!linter.check(Severity.Error, FILE, loadError === null ? null : `unable to parse YAML\n\t${loadError}`))
    return;
  const meta = md!;
  const unknown = firstUnknownField(text);
  linter.check(
    Severity.Warning,
    FILE,
    unknown === null
      ? null
      : `failed to strictly parse chart metadata file\n\terror unmarshaling JSON: while decoding JSON: json: unknown field ${JSON.stringify(unknown)}`,
  );
  const raw = rawTopLevel(text);
  linter.check(Severity.Error, FILE, chartName(meta));
  linter.check(Severity.Error, FILE, apiVersion(meta));
  linter.check(Severity.Error, FILE, stringTyped(raw, "version"));
  linter.check(Severity.Error, FILE, version(meta));
  linter.check(Severity.Error, FILE, stringTyped(raw, "appVersion"));
  linter.check(Severity.Error, FILE, maintainers(meta));
  linter.check(Severity.Error, FILE, sources(meta));
  linter.check(Severity.Info, FILE, meta.icon === "" ? "icon is recommended" : null);
  linter.check(
    Severity.Error,
    FILE,
    meta.icon !== "" && !isRequestUrl(meta.icon) ? `invalid icon URL '${meta.icon}'` : null,
  );
  linter.check(
    Severity.Error,
    FILE,
    onlyInV2(meta, meta.type.length > 0, "chart type is not valid in apiVersion"),
  );
  linter.check(Severity.Error, FILE, dependenciesOnlyInV2(meta));
  linter.check(
    Severity.Warning,
    FILE,
    isStrictSemver(meta.version) ? null : `version '${meta.version}' is not a valid SemVerV2`,
  );
}

function notDirectory(path: string): string | null {
  try {
    return statSync(path).isDirectory() ? "should be a file, not a directory" : null;
  } catch {
    return null;
  }
}

/** Chart.yaml as a plain map (`yaml.Unmarshal` into `map[string]any`); empty when it does not parse. */
function rawTopLevel(text: string): Record<string, GoValue> {
  try {
    const v = parseYaml(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, GoValue>) : {};
  } catch {
    return {};
  }
}

/** Go's `%T` of a value decoded from JSON into `interface{}`. */
function goTypeName(v: GoValue): string {
  if (v === null) return "<nil>";
  if (typeof v === "string") return "string";
  if (typeof v === "number" || typeof v === "bigint") return "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

function stringTyped(raw: Record<string, GoValue>, key: string): string | null {
  if (!Object.hasOwn(raw, key)) return null;
  const t = goTypeName(raw[key]!);
  return t === "string" ? null : `${key} should be of type string but it's of type ${t}`;
}

/** Go's filepath.Base. */
function baseName(p: string): string {
  if (p === "") return ".";
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

function chartName(md: MetadataInput): string | null {
  if (md.name === "") return "name is required";
  if (baseName(md.name) !== md.name) return `chart name ${JSON.stringify(md.name)} is invalid`;
  return null;
}

function apiVersion(md: MetadataInput): string | null {
  if (md.apiVersion === "") return 'apiVersion is required. The value must be either "v1" or "v2"';
  if (md.apiVersion !== "v1" && md.apiVersion !== "v2")
    return `apiVersion '${md.apiVersion}' is not valid. The value must be either "v1" or "v2"`;
  return null;
}

function version(md: MetadataInput): string | null {
  if (md.version === "") return "version is required";
  if (!isValidSemver(md.version)) return `version '${md.version}' is not a valid SemVer`;
  // Helm requires a version above the lowest possible one, `0.0.0-0`.
  const v = parseSemver(md.version);
  if (compareSemver(v, parseSemver("0.0.0-0")) <= 0) {
    const pre = v.prerelease === "" ? "" : `-${v.prerelease}`;
    const meta = v.metadata === "" ? "" : `+${v.metadata}`;
    return `version ${v.major}.${v.minor}.${v.patch}${pre}${meta} is less than or equal to 0.0.0-0`;
  }
  return null;
}

function maintainers(md: MetadataInput): string | null {
  for (const m of md.maintainers) {
    if (m === null) return "a maintainer entry is empty";
    if (m.name === "") return "each maintainer requires a name";
    if (m.email !== "" && !isEmail(m.email)) return `invalid email '${m.email}' for maintainer '${m.name}'`;
    if (m.url !== "" && !isUrl(m.url)) return `invalid url '${m.url}' for maintainer '${m.name}'`;
  }
  return null;
}

function sources(md: MetadataInput): string | null {
  for (const s of md.sources) if (s === "" || !isRequestUrl(s)) return `invalid source URL '${s}'`;
  return null;
}

function onlyInV2(md: MetadataInput, used: boolean, what: string): string | null {
  return used && md.apiVersion !== "v2" ? `${what} '${md.apiVersion}'. It is valid in apiVersion 'v2'` : null;
}

function dependenciesOnlyInV2(md: MetadataInput): string | null {
  return (md.dependencies ?? []).length > 0 && md.apiVersion !== "v2"
    ? `dependencies are not valid in the Chart file with apiVersion '${md.apiVersion}'. They are valid in apiVersion 'v2'`
    : null;
}

const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** SemVer 2.0.0 exactly: three numeric parts (each below 2^64), no `v`, no leading zeros. */
function isStrictSemver(v: string): boolean {
  const m = STRICT_SEMVER.exec(v);
  if (!m) return false;
  return [m[1], m[2], m[3]].every((p) => BigInt(p!) < 2n ** 64n);
}

function isKnown(struct: keyof typeof CHART_FIELDS, key: string): boolean {
  const lower = key.toLowerCase();
  return CHART_FIELDS[struct].some((f) => f.toLowerCase() === lower);
}

/**
 * The first field Helm's strict Chart.yaml decoding rejects as unknown: keys are visited in sorted
 * order (the document goes through JSON first), nested maintainers and dependencies included.
 */
function firstUnknownField(text: string): string | null {
  let doc: YNode | undefined;
  try {
    doc = parseYamlNodes(text)[0];
  } catch {
    return null;
  }
  if (doc?.kind !== "map") return null;
  for (const key of [...doc.entries.keys()].sort()) {
    if (!isKnown("metadata", key)) return key;
    const lower = key.toLowerCase();
    const nested = lower === "maintainers" ? "maintainer" : lower === "dependencies" ? "dependency" : null;
    const value = doc.entries.get(key)!;
    if (nested === null || value.kind !== "seq") continue;
    for (const item of value.items) {
      if (item.kind !== "map") continue;
      for (const k of [...item.entries.keys()].sort()) if (!isKnown(nested, k)) return k;
    }
  }
  return null;
}
