/**
 * `helm repo index DIR`: an index of the chart archives in DIR and its direct subdirectories, as
 * Helm's IndexDirectory writes it — each archive that loads as a chart, with its metadata, its
 * URL (relative, or joined onto `--url`), its sha256 digest and `created` = the time of indexing
 * (Helm uses the clock, not the archive), versions newest first; `--merge` keeps the versions of
 * an existing index the directory does not have. Written as YAML (keys sorted, as Helm's
 * JSON→YAML trip gives) or, with `--json`, as Go's indented JSON; atomically, into DIR/index.yaml.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { compareSemver, parseSemver } from "../chart/engine/funcs/semver.ts";
import { toYaml } from "../chart/engine/funcs/serialize.ts";
import { loadArchive } from "../chart/loader.ts";
import { type JsonObject, jsonToGo, metadataJson } from "../chart/metadata-json.ts";
import { parseGoTime } from "../chart/metadata-yaml.ts";
import { goNow } from "./deps/lock-digest.ts";
import { atomicWriteFile } from "./fs.ts";
import { type ChartVersion, type IndexFile, type IndexWarn, loadIndex, sortVersions } from "./index-file.ts";

export interface IndexDirOptions {
  dir: string;
  url?: string;
  merge?: string;
  json?: boolean;
  warn: IndexWarn;
}

/** Go's filepath.Glob of `*.tgz` in one directory: names sorted. */
function archivesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith(".tgz"))
      .sort();
  } catch {
    return [];
  }
}

/** The archives Helm indexes: `DIR/*.tgz`, then `DIR/*​/*.tgz`, as relative paths. */
function chartArchives(dir: string): string[] {
  const out = archivesIn(dir).filter((n) => isFile(join(dir, n)));
  let subdirs: string[] = [];
  try {
    subdirs = readdirSync(dir)
      .filter((n) => isDirectory(join(dir, n)))
      .sort();
  } catch {
    // A missing directory indexes nothing; writing the index then fails, as with Helm.
  }
  for (const sub of subdirs) {
    for (const n of archivesIn(join(dir, sub))) if (isFile(join(dir, sub, n))) out.push(`${sub}/${n}`);
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Helm's URLJoin: the base URL with `parts` joined onto its path. */
function urlJoin(base: string, ...parts: string[]): string {
  try {
    const u = new URL(base);
    u.pathname = posix.join(u.pathname, ...parts);
    return u.href;
  } catch {
    return posix.join(base, ...parts);
  }
}

function semverEqual(a: string, b: string): boolean {
  try {
    return compareSemver(parseSemver(a), parseSemver(b)) === 0;
  } catch {
    return a === b;
  }
}

/** The index of the archives under `dir` (archives that do not load as charts are skipped, as in Helm). */
export function indexDirectory(dir: string, baseUrl: string): IndexFile {
  const index: IndexFile = {
    apiVersion: "v1",
    generated: goNow(),
    entries: new Map(),
    publicKeys: [],
    annotations: null,
  };
  for (const rel of chartArchives(dir)) {
    const bytes = new Uint8Array(readFileSync(join(dir, rel)));
    let md: ChartVersion;
    try {
      md = { ...loadArchive(bytes).metadata, urls: [], created: "", removed: false, digest: "" };
    } catch {
      continue;
    }
    if (md.apiVersion === "") md.apiVersion = "v1";
    const file = posix.basename(rel);
    const parent = posix.dirname(rel);
    let url = rel;
    if (baseUrl !== "") url = urlJoin(parent === "." ? baseUrl : urlJoin(baseUrl, parent), file);
    md.urls = [url];
    md.created = goNow();
    md.digest = createHash("sha256").update(bytes).digest("hex");
    const list = index.entries.get(md.name) ?? [];
    list.push(md);
    index.entries.set(md.name, list);
  }
  return index;
}

/** Add the versions of `other` that `index` lacks (Helm's IndexFile.Merge). */
export function mergeIndex(index: IndexFile, other: IndexFile): void {
  for (const versions of other.entries.values()) {
    for (const cv of versions) {
      const list = index.entries.get(cv.name) ?? [];
      if (list.some((v) => semverEqual(v.version, cv.version))) continue;
      list.push(cv);
      index.entries.set(cv.name, list);
    }
  }
}

function timeText(t: string): string {
  return parseGoTime(t)?.text ?? "0001-01-01T00:00:00Z";
}

function chartVersionJson(cv: ChartVersion): JsonObject {
  const out: JsonObject = { ...metadataJson(cv), urls: cv.urls, created: timeText(cv.created) };
  if (cv.removed) out.removed = true;
  if (cv.digest !== "") out.digest = cv.digest;
  return out;
}

/** Go's JSON of an index (struct field order; maps with sorted keys). */
export function indexJson(index: IndexFile): JsonObject {
  const entries: JsonObject = {};
  for (const name of [...index.entries.keys()].sort()) {
    entries[name] = index.entries.get(name)!.map(chartVersionJson);
  }
  const out: JsonObject = { apiVersion: index.apiVersion, generated: timeText(index.generated), entries };
  if (index.publicKeys.length > 0) out.publicKeys = index.publicKeys;
  if (index.annotations !== null && Object.keys(index.annotations).length > 0)
    out.annotations = index.annotations;
  return out;
}

/** The bytes Helm writes for an index. */
export function formatIndex(index: IndexFile, json: boolean): string {
  for (const list of index.entries.values()) sortVersions(list);
  const data = indexJson(index);
  if (json) return JSON.stringify(data, null, 2).replace(/[<>&\u2028\u2029]/g, goEscape);
  return `${toYaml(jsonToGo(data))}\n`;
}

function goEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

function writeIndex(path: string, index: IndexFile, json: boolean): void {
  const dir = resolve(path, "..");
  if (!isDirectory(dir)) throw new Error(`open ${resolve(path)}: no such file or directory`);
  atomicWriteFile(path, formatIndex(index, json), 0o644);
}

/** `helm repo index DIR [--url URL] [--merge FILE] [--json]`. */
export function writeRepoIndex(opts: IndexDirOptions): void {
  const index = indexDirectory(opts.dir, opts.url ?? "");
  if (opts.merge) {
    let other: IndexFile;
    if (!existsSync(opts.merge)) {
      other = { apiVersion: "v1", generated: goNow(), entries: new Map(), publicKeys: [], annotations: null };
      writeIndex(opts.merge, other, opts.json === true);
    } else {
      try {
        other = loadIndex(new Uint8Array(readFileSync(opts.merge)), opts.merge, opts.warn);
      } catch (err) {
        throw new Error(`merge failed: ${(err as Error).message}`);
      }
    }
    mergeIndex(index, other);
  }
  writeIndex(join(opts.dir, "index.yaml"), index, opts.json === true);
}
