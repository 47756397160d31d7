/**
 * The repository cache, in Helm's layout: `<cache>/<name>-index.yaml` (the index exactly as
 * downloaded) and `<name>-charts.txt` (chart names, one a line). Beside them, in `.helm-ts/`, a
 * compact summary of each index (what search and pull need), stamped with the index file's size
 * and modification time, so that searching a 50,000-version repository does not parse 25 MB of
 * YAML every time. A summary whose stamp does not match (the index was rewritten, by us or by
 * real Helm) is ignored and rebuilt.
 */
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFile } from "./fs.ts";
import { type ChartVersion, type IndexFile, type IndexWarn, loadIndex } from "./index-file.ts";

/** What search and pull need of one chart version. */
export interface SummaryVersion {
  /** The entry's own `name` (may differ from its key in `entries`). */
  name: string;
  version: string;
  appVersion: string;
  description: string;
  keywords: string[];
  urls: string[];
  digest: string;
}

/** An index reduced to its summary; versions newest first. */
export interface IndexSummary {
  entries: Map<string, SummaryVersion[]>;
}

const SUMMARY_FORMAT = 1;

/** `<cache>/<name>-index.yaml` */
export function indexCachePath(cacheDir: string, name: string): string {
  return join(cacheDir, `${name}-index.yaml`);
}

/** `<cache>/<name>-charts.txt` */
export function chartsCachePath(cacheDir: string, name: string): string {
  return join(cacheDir, `${name}-charts.txt`);
}

function summaryPath(cacheDir: string, name: string): string {
  return join(cacheDir, ".helm-ts", `${name}-summary.json`);
}

function summarizeVersion(cv: ChartVersion): SummaryVersion {
  return {
    name: cv.name,
    version: cv.version,
    appVersion: cv.appVersion,
    description: cv.description,
    keywords: cv.keywords,
    urls: cv.urls,
    digest: cv.digest,
  };
}

/** The summary of a loaded index. */
export function summarize(index: IndexFile): IndexSummary {
  const entries = new Map<string, SummaryVersion[]>();
  for (const [name, versions] of index.entries) entries.set(name, versions.map(summarizeVersion));
  return { entries };
}

type SummaryRow = [string, string, string, string, string[], string[], string];

function encodeSummary(summary: IndexSummary, stamp: string, warnings: string[]): string {
  const entries: [string, SummaryRow[]][] = [];
  for (const [name, versions] of summary.entries) {
    entries.push([
      name,
      versions.map((v) => [v.name, v.version, v.appVersion, v.description, v.keywords, v.urls, v.digest]),
    ]);
  }
  return JSON.stringify({ format: SUMMARY_FORMAT, stamp, warnings, entries });
}

function decodeSummary(text: string, stamp: string): { summary: IndexSummary; warnings: string[] } | null {
  const doc = JSON.parse(text) as {
    format?: number;
    stamp?: string;
    warnings?: string[];
    entries?: [string, SummaryRow[]][];
  };
  if (doc.format !== SUMMARY_FORMAT || doc.stamp !== stamp || !Array.isArray(doc.entries)) return null;
  const entries = new Map<string, SummaryVersion[]>();
  for (const [name, rows] of doc.entries) {
    entries.set(
      name,
      rows.map(([n, version, appVersion, description, keywords, urls, digest]) => ({
        name: n,
        version,
        appVersion,
        description,
        keywords,
        urls,
        digest,
      })),
    );
  }
  return { summary: { entries }, warnings: Array.isArray(doc.warnings) ? doc.warnings : [] };
}

function stampOf(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return null;
  }
}

function writeSummary(cacheDir: string, name: string, summary: IndexSummary, warnings: string[]): void {
  const stamp = stampOf(indexCachePath(cacheDir, name));
  if (stamp === null) return;
  try {
    atomicWriteFile(summaryPath(cacheDir, name), encodeSummary(summary, stamp, warnings));
  } catch {
    // The summary is only an accelerator; a read-only cache still works, just slower.
  }
}

/**
 * Store a freshly downloaded index: the raw bytes, the chart list and the summary, each written
 * atomically. `index` is the already validated parse of `raw`.
 */
export function storeIndex(
  cacheDir: string,
  name: string,
  raw: Uint8Array,
  index: IndexFile,
  warnings: string[],
): void {
  atomicWriteFile(indexCachePath(cacheDir, name), raw);
  const names = [...index.entries.keys()].sort();
  atomicWriteFile(chartsCachePath(cacheDir, name), names.map((n) => `${n}\n`).join(""));
  const source = indexCachePath(cacheDir, name);
  // Replayed warnings name the cache file, as Helm's do when it loads the cached index.
  writeSummary(
    cacheDir,
    name,
    index, // a full index is a summary with more fields: no copy needed
    warnings.map((w) => w.replace(/ from .*?: /, ` from ${source}: `)),
  );
}

/** Remove a repository's cache files (index, chart list, summary). */
export function removeCache(cacheDir: string, name: string): void {
  rmSync(indexCachePath(cacheDir, name), { force: true });
  rmSync(chartsCachePath(cacheDir, name), { force: true });
  rmSync(summaryPath(cacheDir, name), { force: true });
}

/**
 * The cached index of repository `name` as a summary: from the stamped summary when it is current,
 * else parsed (and validated, warnings through `warn`) from `<name>-index.yaml`. Throws when the
 * index is missing or invalid (the error names the file).
 */
export function loadCachedIndex(cacheDir: string, name: string, warn: IndexWarn): IndexSummary {
  const path = indexCachePath(cacheDir, name);
  const stamp = stampOf(path);
  if (stamp === null) throw new Error(`open ${path}: no such file or directory`);
  try {
    const cached = decodeSummary(readFileSync(summaryPath(cacheDir, name), "utf8"), stamp);
    if (cached !== null) {
      for (const w of cached.warnings) warn(w);
      return cached.summary;
    }
  } catch {
    // Missing or unreadable summary: rebuild it below.
  }
  const warnings: string[] = [];
  let index: IndexFile;
  try {
    index = loadIndex(readFileSync(path), path, (w) => {
      warnings.push(w);
      warn(w);
    });
  } catch (err) {
    throw new Error(`error loading ${path}: ${(err as Error).message}`);
  }
  const summary = summarize(index);
  writeSummary(cacheDir, name, summary, warnings);
  return summary;
}
