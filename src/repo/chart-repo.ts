/**
 * Chart repository operations: fetching and validating a repository's index into the cache,
 * adding a repository (Helm's checks and messages), and updating many at once in parallel.
 */
import { posix } from "node:path";
import { storeIndex } from "./cache.ts";
import { credentialsHostOf, type HttpOptions, hasSchemeGetter, httpGet } from "./http.ts";
import { type IndexFile, loadIndex } from "./index-file.ts";
import type { RepoEntry } from "./repo-file.ts";

/** `URL/index.yaml`, joined as Helm joins it (path cleaned, query kept). */
export function indexUrl(repoUrl: string): string {
  const u = new URL(repoUrl);
  u.pathname = posix.join(u.pathname || "/", "index.yaml");
  return u.href;
}

/** The HTTP options for talking to one configured repository. */
export function httpOptionsFor(entry: RepoEntry, timeoutMs?: number): HttpOptions {
  return {
    username: entry.username,
    password: entry.password,
    passCredentials: entry.passCredentialsAll,
    credentialsHost: credentialsHostOf(entry.url),
    caFile: entry.caFile,
    certFile: entry.certFile,
    keyFile: entry.keyFile,
    insecureSkipTlsVerify: entry.insecureSkipTlsVerify,
    timeoutMs,
  };
}

/** A URL Helm would take as a chart repository URL (it must have a scheme and a host). */
export function checkRepoUrl(raw: string): void {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`invalid chart URL format: ${raw}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:" && !hasSchemeGetter(raw)) {
    throw new Error(`could not find protocol handler for: ${u.protocol.replace(/:$/, "")}`);
  }
}

/**
 * Download `entry`'s index, validate it, and store it in the cache. Warnings about skipped
 * entries go to `warn`. Nothing is written unless the whole index is valid.
 */
export async function downloadIndex(
  entry: RepoEntry,
  cacheDir: string,
  warn: (message: string) => void,
  timeoutMs?: number,
): Promise<IndexFile> {
  checkRepoUrl(entry.url);
  const url = indexUrl(entry.url);
  const raw = await httpGet(url, httpOptionsFor(entry, timeoutMs));
  const warnings: string[] = [];
  const index = loadIndex(raw, entry.url, (w) => {
    warnings.push(w);
    warn(w);
  });
  storeIndex(cacheDir, entry.name, raw, index, warnings);
  return index;
}

/** How one repository's update went. */
export interface UpdateOutcome {
  entry: RepoEntry;
  error?: Error;
}

/** Update several repositories at once; each outcome is reported, a failure stops no other. */
export async function updateRepos(
  entries: RepoEntry[],
  cacheDir: string,
  warn: (message: string) => void,
  onDone: (outcome: UpdateOutcome) => void,
  timeoutMs?: number,
): Promise<UpdateOutcome[]> {
  return Promise.all(
    entries.map(async (entry) => {
      let outcome: UpdateOutcome;
      try {
        await downloadIndex(entry, cacheDir, warn, timeoutMs);
        outcome = { entry };
      } catch (err) {
        outcome = { entry, error: err as Error };
      }
      onDone(outcome);
      return outcome;
    }),
  );
}
