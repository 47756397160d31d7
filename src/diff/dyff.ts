/**
 * The `dyff` output of `helm diff`: a change per path rather than per line, in the style of the
 * dyff tool — `spec.replicas` with `± value change`, map and list entries added or removed,
 * type changes. Named list entries (containers, ports, env…) are matched by their `name`, so a
 * reordered list is not reported as changed.
 */
import { dump, load } from "js-yaml";
import type { DiffLine } from "./changes.ts";

type Yaml = unknown;

export type PathChange =
  | { path: string; kind: "value"; from: Yaml; to: Yaml }
  | { path: string; kind: "type"; from: Yaml; to: Yaml }
  | { path: string; kind: "map-added" | "map-removed" | "list-added" | "list-removed"; entries: Yaml[] };

function isMap(v: Yaml): v is Record<string, Yaml> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: Yaml): string {
  return v === null ? "null" : Array.isArray(v) ? "list" : isMap(v) ? "map" : typeof v;
}

/** The two sides of a line diff: old (unchanged and removed lines) and new (unchanged and added). */
export function sidesOf(lines: readonly DiffLine[]): { before: string; after: string } {
  const side = (keep: (l: DiffLine) => boolean) =>
    lines
      .filter(keep)
      .map((l) => `${l.text}\n`)
      .join("");
  return { before: side((l) => l.op !== "+"), after: side((l) => l.op !== "-") };
}

/** The name that identifies a list entry, when every entry of both lists has a distinct one. */
function entryNames(a: Yaml[], b: Yaml[]): boolean {
  const named = (list: Yaml[]) => {
    const names = list.map((e) => (isMap(e) && typeof e.name === "string" ? e.name : undefined));
    return names.every((n) => n !== undefined) && new Set(names).size === names.length;
  };
  return a.length + b.length > 0 && named(a) && named(b);
}

const childPath = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

function compare(path: string, a: Yaml, b: Yaml, out: PathChange[]): void {
  if (isMap(a) && isMap(b)) {
    const added = Object.keys(b).filter((k) => !(k in a));
    const removed = Object.keys(a).filter((k) => !(k in b));
    if (removed.length > 0)
      out.push({ path: path || "(root level)", kind: "map-removed", entries: [pick(a, removed)] });
    if (added.length > 0)
      out.push({ path: path || "(root level)", kind: "map-added", entries: [pick(b, added)] });
    for (const k of Object.keys(a)) if (k in b) compare(childPath(path, k), a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (entryNames(a, b)) {
      const byName = (list: Yaml[]) => new Map(list.map((e) => [(e as { name: string }).name, e]));
      const before = byName(a);
      const after = byName(b);
      const removed = [...before].filter(([n]) => !after.has(n)).map(([, e]) => e);
      const added = [...after].filter(([n]) => !before.has(n)).map(([, e]) => e);
      if (removed.length > 0) out.push({ path, kind: "list-removed", entries: removed });
      if (added.length > 0) out.push({ path, kind: "list-added", entries: added });
      for (const [n, e] of before) if (after.has(n)) compare(childPath(path, n), e, after.get(n), out);
      return;
    }
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) compare(childPath(path, String(i)), a[i], b[i], out);
    if (a.length > common) out.push({ path, kind: "list-removed", entries: a.slice(common) });
    if (b.length > common) out.push({ path, kind: "list-added", entries: b.slice(common) });
    return;
  }
  if (typeName(a) !== typeName(b)) out.push({ path, kind: "type", from: a, to: b });
  else if (a !== b) out.push({ path, kind: "value", from: a, to: b });
}

function pick(m: Record<string, Yaml>, keys: string[]): Record<string, Yaml> {
  return Object.fromEntries(keys.map((k) => [k, m[k]]));
}

/** The path changes between two YAML documents (either may be empty: an object added or removed). */
export function pathChanges(before: string, after: string): PathChange[] {
  const out: PathChange[] = [];
  compare("", load(before) ?? null, load(after) ?? null, out);
  return out;
}

function block(value: Yaml, indent: string): string[] {
  const text = typeof value === "string" && !value.includes("\n") ? value : dump(value, { lineWidth: -1 });
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `${indent}${l}`);
}

const COUNT_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const count = (n: number, what: string) => `${COUNT_WORDS[n] ?? String(n)} ${what}${n === 1 ? "" : "s"}`;

/** The printed lines of one path change, with the sign and colour helpers the caller passes. */
export function formatPathChange(
  ch: PathChange,
  paint: { removed: (s: string) => string; added: (s: string) => string; changed: (s: string) => string },
): string[] {
  const out = [ch.path];
  switch (ch.kind) {
    case "value":
    case "type": {
      const title =
        ch.kind === "value"
          ? "± value change"
          : `± type change from ${typeName(ch.from)} to ${typeName(ch.to)}`;
      out.push(paint.changed(`  ${title}`));
      out.push(...block(ch.from, "    - ").map(paint.removed), ...block(ch.to, "    + ").map(paint.added));
      break;
    }
    default: {
      const removed = ch.kind.endsWith("removed");
      const size = ch.kind.startsWith("map")
        ? Object.keys(ch.entries[0] as object).length
        : ch.entries.length;
      const what = ch.kind.startsWith("map") ? "map entry" : "list entry";
      const sign = removed ? "-" : "+";
      const paintIt = removed ? paint.removed : paint.added;
      out.push(paintIt(`  ${sign} ${count(size, what)} ${removed ? "removed" : "added"}:`));
      const shown = ch.kind.startsWith("map") ? [ch.entries[0]] : ch.entries;
      for (const e of shown) out.push(...block(ch.kind.startsWith("list") ? [e] : e, "    ").map(paintIt));
    }
  }
  return out;
}
