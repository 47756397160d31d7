/**
 * Chart.yaml and Chart.lock as Helm writes them (`helm package`, `helm show chart`): the Go
 * structs marshalled through JSON into YAML, so keys come out sorted, empty fields tagged
 * `omitempty` are left out, and `generated` is an RFC 3339 time with Go's trimmed nanoseconds.
 */
import type { ChartLock, ChartMetadata, Dependency } from "./chart.ts";
import { toYaml } from "./engine/funcs/serialize.ts";
import { type GoMap, type GoValue, newGoMap } from "./engine/value.ts";

type Field = [key: string, value: GoValue, omitEmpty: boolean];

function isEmpty(v: GoValue): boolean {
  if (v === null || v === "" || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object" && !(v instanceof Uint8Array)) return Object.keys(v).length === 0;
  return false;
}

function struct(fields: Field[]): GoMap {
  const m = newGoMap();
  for (const [key, value, omitEmpty] of fields) if (!(omitEmpty && isEmpty(value))) m[key] = value;
  return m;
}

function dependencyMap(d: Dependency): GoMap {
  return struct([
    ["name", d.name, true],
    ["version", d.version, true],
    ["repository", d.repository, false],
    ["condition", d.condition, true],
    ["tags", [...d.tags], true],
    ["enabled", d.enabled, true],
    ["import-values", [...d.importValues], true],
    ["alias", d.alias, true],
  ]);
}

/** Go's RFC 3339 time text (as `time.Time` marshals) and its Unix seconds rounded; null for no time. */
export interface GoTime {
  text: string;
  unixSeconds: number;
}

/** Parse an RFC 3339 time as written in a lock file; null when empty. */
export function parseGoTime(written: string): GoTime | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(
      written,
    );
  if (!m) return null;
  const frac = (m[7] ?? "").slice(0, 9).replace(/0+$/, "");
  const zoneMinutes = m[9] === undefined ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const localSeconds = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  let unixSeconds = localSeconds - zoneMinutes * 60;
  if (frac !== "" && Number(`0.${frac}`) >= 0.5) unixSeconds += 1;
  const zone = zoneMinutes === 0 ? "Z" : `${m[9]}${m[10]}:${m[11]}`;
  const text = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac === "" ? "" : `.${frac}`}${zone}`;
  return { text, unixSeconds };
}

/** Chart.yaml bytes as Helm writes them into an archive (v1 charts without `dependencies`). */
export function metadataYaml(md: ChartMetadata, withDependencies = true): string {
  const map = struct([
    ["name", md.name, true],
    ["home", md.home, true],
    ["sources", [...md.sources], true],
    ["version", md.version, true],
    ["description", md.description, true],
    ["keywords", [...md.keywords], true],
    [
      "maintainers",
      md.maintainers.map((m) =>
        struct([
          ["name", m.name, true],
          ["email", m.email, true],
          ["url", m.url, true],
        ]),
      ),
      true,
    ],
    ["icon", md.icon, true],
    ["apiVersion", md.apiVersion, true],
    ["condition", md.condition, true],
    ["tags", md.tags, true],
    ["appVersion", md.appVersion, true],
    ["deprecated", md.deprecated, true],
    ["annotations", md.annotations === null ? null : Object.assign(newGoMap(), md.annotations), true],
    ["kubeVersion", md.kubeVersion, true],
    ["dependencies", withDependencies ? (md.dependencies ?? []).map(dependencyMap) : [], true],
    ["type", md.type, true],
  ]);
  return `${toYaml(map)}\n`;
}

/** Chart.lock bytes as Helm writes them into an archive. */
export function lockYaml(lock: ChartLock): string {
  const generated = parseGoTime(lock.generated)?.text ?? "0001-01-01T00:00:00Z";
  const map = struct([
    ["generated", generated, false],
    ["digest", lock.digest, false],
    ["dependencies", lock.dependencies.map(dependencyMap), false],
  ]);
  return `${toYaml(map)}\n`;
}
