/**
 * Which repository each declared dependency comes from, as Helm's dependency manager decides:
 * `@name` / `alias:name` name a configured repository (the entry's `repository` becomes that
 * repository's URL, as in Helm, so the lock records URLs); a URL equal to a configured
 * repository's uses it; any other URL is an "unmanaged" repository whose index is cached under
 * `helm-manager-<sha256 of the URL>`; `file://` paths and `oci://` references need no index.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Dependency } from "../../chart/chart.ts";
import { isOci } from "../oci/reference.ts";
import type { RepoEntry } from "../repo-file.ts";

/** Helm's urlutil.Equal: same URL once paths are cleaned (a trailing slash does not matter). */
export function sameRepoUrl(a: string, b: string): boolean {
  const norm = (s: string): string | null => {
    try {
      const u = new URL(s);
      const clean = u.pathname.replace(/\/+$/, "") || "/";
      return `${u.protocol}//${u.username}${u.password ? `:${u.password}` : ""}${u.username ? "@" : ""}${u.host}${clean}${u.search}${u.hash}`;
    } catch {
      return null;
    }
  };
  const na = norm(a);
  if (na === null) return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
  return na === norm(b);
}

/** Go's url.ParseRequestURI acceptance: an absolute URI (scheme:…) or an absolute path. */
function isRequestUri(s: string): boolean {
  if (/[\x00-\x20\x7f]/.test(s)) return false;
  return s.startsWith("/") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s);
}

/** Helm's GetLocalPath: the directory a `file://` repository names, relative to the chart. */
export function localDependencyPath(repository: string, chartPath: string): string {
  const p = repository.replace(/^file:\/\//, "");
  const dir = p.startsWith("/") ? resolve(p) : join(chartPath, p);
  if (!existsSync(dir)) throw new Error(`directory ${dir} not found`);
  return dir;
}

/** The cache name Helm gives an unmanaged repository. */
export function unmanagedRepoName(url: string): string {
  return `helm-manager-${createHash("sha256").update(url).digest("hex")}`;
}

/**
 * Map dependency names to the configured repository (or file:// / oci:// reference) they use;
 * rewrites aliased `repository` fields to URLs in place. Unknown non-URL repositories are Helm's
 * "no repository definition" error.
 */
export function resolveRepoNames(
  deps: Dependency[],
  repos: RepoEntry[] | null,
  chartPath: string,
): Map<string, string> {
  const names = new Map<string, string>();
  if (repos === null) return names;
  const missing: string[] = [];
  for (const d of deps) {
    if (d.repository === "") continue;
    if (d.repository.startsWith("file://")) {
      localDependencyPath(d.repository, chartPath);
      names.set(d.name, d.repository);
      continue;
    }
    if (isOci(d.repository)) {
      names.set(d.name, d.repository);
      continue;
    }
    let found = false;
    for (const r of repos) {
      const alias = d.repository.startsWith("@")
        ? d.repository.slice(1)
        : d.repository.startsWith("alias:")
          ? d.repository.slice("alias:".length)
          : null;
      if (alias !== null && alias === r.name) {
        d.repository = r.url;
        names.set(d.name, r.name);
        found = true;
        break;
      }
      if (sameRepoUrl(r.url, d.repository)) {
        names.set(d.name, r.name);
        found = true;
        break;
      }
    }
    if (found) continue;
    if (isRequestUri(d.repository)) names.set(d.repository, d.repository);
    else missing.push(d.repository);
  }
  if (missing.length > 0) {
    let message = `no repository definition for ${missing.join(", ")}. Please add them via 'helm repo add'`;
    if (missing.some((r) => !r.includes("//") && !r.startsWith("@") && !r.startsWith("alias:"))) {
      message += `
Note that repositories must be URLs or aliases. For example, to refer to the "example"
repository, use "https://charts.example.com/" or "@example" instead of
"example". Don't forget to add the repo, too ('helm repo add').`;
    }
    throw new Error(message);
  }
  return names;
}

/** Build's check that every locked repository is configured (Helm's ErrRepoNotFound). */
export function checkAllReposConfigured(locked: Dependency[], repos: RepoEntry[]): void {
  const missing = locked
    .filter((d) => d.repository !== "" && !d.repository.startsWith("file://") && !isOci(d.repository))
    .filter((d) => !repos.some((r) => sameRepoUrl(r.url, d.repository.replace(/\/$/, ""))))
    .map((d) => d.repository);
  if (missing.length > 0) {
    throw new Error(
      `no repository definition for ${missing.join(", ")}. Please add the missing repos via 'helm repo add'`,
    );
  }
}
