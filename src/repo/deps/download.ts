/**
 * Fetching locked dependencies into `charts/` (Helm's downloadAll): every archive is fetched into
 * memory first — from the configured repository's index (with its credentials), an unmanaged
 * repository's index, an OCI registry, or packaged from a `file://` directory — and checked; only
 * when all of them are in hand are the chart archives already in `charts/` removed (as Helm 4
 * does) and the new ones written (each atomically). A failure leaves `charts/` as it was.
 *
 * Beyond Helm: a downloaded archive must hold the chart and version that was locked (Helm saves
 * whatever the server sends) and match the index's digest when the index gives one, and
 * dependency names must be plain chart names (they become file names under `charts/`).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { isGzip } from "../../chart/archive.ts";
import type { Chart, Dependency } from "../../chart/chart.ts";
import { goQuote } from "../../chart/engine/fmt.ts";
import { compareSemver, parseSemver } from "../../chart/engine/funcs/semver.ts";
import { loadArchive, loadDir } from "../../chart/loader.ts";
import { chartArchive } from "../../chart/package.ts";
import { type IndexSummary, loadCachedIndex, type SummaryVersion, summarize } from "../cache.ts";
import { httpOptionsFor, indexUrl } from "../chart-repo.ts";
import { atomicWriteFile } from "../fs.ts";
import { credentialsHostOf, type HttpOptions, httpGet } from "../http.ts";
import { type IndexWarn, loadIndex } from "../index-file.ts";
import { pullChartFromRegistry } from "../oci/chart.ts";
import type { RegistryOptions } from "../oci/client.ts";
import { isOci } from "../oci/reference.ts";
import { verifyProvenance } from "../provenance.ts";
import type { RepoEntry } from "../repo-file.ts";
import { localDependencyPath, sameRepoUrl } from "./repo-names.ts";
import { dependencyConstraint } from "./resolve.ts";

/** The user's HTTP flags for repositories that are not configured. */
export type UserHttp = Omit<HttpOptions, "credentialsHost" | "passCredentials" | "timeoutMs">;

export interface FetchContext {
  chartPath: string;
  repos: RepoEntry[];
  repoCache: string;
  userHttp: UserHttp;
  registry: RegistryOptions;
  verify: boolean;
  keyring: string;
  stdout(text: string): void;
  stderr(text: string): void;
  warn: IndexWarn;
}

/** A failure Helm reports without its "Save error occurred" line. */
class LoadFailure extends Error {}

/** An archive ready to be written into `charts/`. */
interface Staged {
  fileName: string;
  bytes: Uint8Array;
  prov?: Uint8Array;
}

function checkPlainName(d: Dependency): void {
  if (d.name === "" || d.name === "." || d.name === ".." || /[/\\\0]/.test(d.name)) {
    throw new Error(
      `dependency name ${goQuote(d.name)} is not a chart name: it cannot name a file in charts/`,
    );
  }
}

function semverEqual(a: string, b: string): boolean {
  try {
    return compareSemver(parseSemver(a), parseSemver(b)) === 0;
  } catch {
    return a === b;
  }
}

/** Helm's normalizeURL: an absolute URL as is, else joined onto the repository URL's path. */
function chartUrl(repoUrl: string, ref: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref)) return ref;
  const base = new URL(repoUrl);
  base.pathname = posix.join(base.pathname || "/", ref);
  return base.href;
}

/** The file name a URL saves as (its last path segment), refusing anything that is not a plain name. */
function fileNameOf(url: string): string {
  const name = posix.basename(decodeURIComponent(new URL(url).pathname));
  if (name === "" || name === "." || name === ".." || /[\\\0]/.test(name)) {
    throw new Error(`refusing to save ${url}: ${goQuote(name)} is not a plain file name`);
  }
  return name;
}

/** The archive must be the chart that was locked (beyond Helm, which trusts the server). */
function checkIdentity(bytes: Uint8Array, d: Dependency, where: string): Chart {
  let chart: Chart;
  try {
    chart = loadArchive(bytes);
  } catch (err) {
    throw new Error(`${where} is not a valid chart archive: ${(err as Error).message}`);
  }
  const md = chart.metadata;
  if (md.name !== d.name || !semverEqual(md.version, d.version)) {
    throw new Error(
      `${where} holds chart ${goQuote(md.name)} version ${goQuote(md.version)}, not the locked ${goQuote(d.name)} version ${goQuote(d.version)}`,
    );
  }
  return chart;
}

function findVersion(index: IndexSummary, d: Dependency): SummaryVersion {
  const versions = index.entries.get(d.name);
  if (versions === undefined) throw new Error("entry not found");
  const v = versions.find((cv) => cv.urls.length > 0 && semverEqual(d.version, cv.version));
  if (!v) throw new Error("no matching version");
  return v;
}

/** Every configured repository's cached index, loaded once up front as Helm does (its warnings too). */
function loadConfiguredIndexes(ctx: FetchContext): Map<string, IndexSummary> {
  const out = new Map<string, IndexSummary>();
  for (const r of ctx.repos) {
    try {
      out.set(r.name, loadCachedIndex(ctx.repoCache, r.name, ctx.warn));
    } catch {
      // A repository that could not be refreshed is only an error if a dependency needs it.
    }
  }
  return out;
}

/**
 * Helm looks up the repository a chart URL belongs to by reading the configured indexes in order
 * until one lists that exact URL; the indexes it reads repeat their warnings, so do we.
 */
function scanReposForUrl(url: string, ctx: FetchContext): void {
  for (const r of ctx.repos) {
    let index: IndexSummary;
    try {
      index = loadCachedIndex(ctx.repoCache, r.name, ctx.warn);
    } catch {
      continue;
    }
    for (const versions of index.entries.values()) {
      if (versions.some((cv) => cv.urls.some((u) => sameRepoUrl(u, url)))) return;
    }
  }
}

async function fetchFromRepository(
  d: Dependency,
  ctx: FetchContext,
  indexes: Map<string, IndexSummary>,
): Promise<Staged> {
  const configured = ctx.repos.find((r) => sameRepoUrl(d.repository, r.url));
  let cv: SummaryVersion;
  let http: HttpOptions;
  try {
    if (configured) {
      const index = indexes.get(configured.name) ?? loadCachedIndex(ctx.repoCache, configured.name, ctx.warn);
      cv = findVersion(index, d);
      http = httpOptionsFor(configured);
    } else {
      http = { ...ctx.userHttp, credentialsHost: credentialsHostOf(d.repository) };
      try {
        const raw = await httpGet(indexUrl(d.repository), http);
        cv = findVersion(summarize(loadIndex(raw, d.repository, ctx.warn)), d);
      } catch (err) {
        throw new Error(`chart ${d.name} not found in ${d.repository}: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    throw new Error(`could not find : ${(err as Error).message}`);
  }
  const url = chartUrl(d.repository, cv.urls[0]!);
  ctx.stdout(`Downloading ${d.name} from repo ${d.repository}\n`);
  scanReposForUrl(url, ctx);
  try {
    const fileName = fileNameOf(url);
    const bytes = await httpGet(url, http);
    const expected = cv.digest.replace(/^sha256:/, "").toLowerCase();
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (expected !== "" && expected !== actual) {
      throw new Error(`digest mismatch: the index says sha256:${expected}, the download is sha256:${actual}`);
    }
    checkIdentity(bytes, d, fileName);
    let prov: Uint8Array | undefined;
    if (ctx.verify) {
      prov = await httpGet(`${url}.prov`, http);
      await verifyProvenance(bytes, fileName, Buffer.from(prov).toString("utf8"), ctx.keyring);
    }
    return { fileName, bytes, prov };
  } catch (err) {
    throw new Error(`could not download ${url}: ${(err as Error).message}`);
  }
}

async function fetchFromRegistry(d: Dependency, ctx: FetchContext): Promise<Staged> {
  const ref = `${d.repository.replace(/\/+$/, "")}/${d.name}`;
  ctx.stdout(`Downloading ${d.name} from repo ${d.repository}\n`);
  try {
    const pulled = await pullChartFromRegistry(ref, d.version, ctx.registry, {
      withProv: ctx.verify,
      out: ctx.stderr,
    });
    checkIdentity(pulled.archive, d, pulled.fileName);
    if (ctx.verify) {
      const provText = Buffer.from(pulled.prov ?? new Uint8Array()).toString("utf8");
      await verifyProvenance(pulled.archive, pulled.fileName, provText, ctx.keyring);
    }
    return { fileName: pulled.fileName, bytes: pulled.archive, prov: pulled.prov };
  } catch (err) {
    throw new Error(`could not download ${ref}: ${(err as Error).message}`);
  }
}

/** A `file://` dependency packaged as `helm package` would; the lock gets its real version. */
function packageLocal(d: Dependency, ctx: FetchContext): Staged {
  const chart = loadDir(localDependencyPath(d.repository, ctx.chartPath));
  const constraint = dependencyConstraint(d);
  let ok: boolean;
  try {
    ok = constraint.check(parseSemver(chart.metadata.version));
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(`can't get a valid version for dependency ${d.name}`);
  d.version = chart.metadata.version;
  return { fileName: `${chart.metadata.name}-${chart.metadata.version}.tgz`, bytes: chartArchive(chart) };
}

/** A dependency without a repository must already sit unpacked in `charts/NAME`. */
function checkInCharts(d: Dependency, chartsDir: string): void {
  let chart: Chart;
  try {
    chart = loadDir(join(chartsDir, d.name));
  } catch (err) {
    throw new LoadFailure(`Unable to load chart: ${(err as Error).message}`);
  }
  let constraint: ReturnType<typeof dependencyConstraint>;
  try {
    constraint = dependencyConstraint(d);
  } catch (err) {
    throw new LoadFailure(
      `Dependency ${d.name} has an invalid version/constraint format: ${(err as Error).message}`,
    );
  }
  let ok: boolean;
  try {
    ok = constraint.check(parseSemver(chart.metadata.version));
  } catch (err) {
    throw new LoadFailure(`Invalid version ${d.version} for dependency ${d.name}: ${(err as Error).message}`);
  }
  if (!ok) {
    throw new Error(
      `Dependency ${d.name} at version ${chart.metadata.version} does not satisfy the constraint ${d.version}`,
    );
  }
}

/** What Helm's chart loader says about a file that is not gzipped (Go sniffs a zero-padded 512-byte buffer). */
function notGzipMessage(path: string, bytes: Uint8Array): string {
  const binary =
    bytes.length < 512 ||
    bytes.subarray(0, 512).some((b) => b < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(b));
  return `file '${path}' does not appear to be a gzipped archive; got '${binary ? "application/octet-stream" : "text/plain; charset=utf-8"}'`;
}

/**
 * Helm 4's clean-up before the new archives move in: every file in `charts/` that loads as a chart
 * archive is removed (whatever chart it holds); files that do not load are reported and kept, and
 * unpacked chart directories stay.
 */
function removeOutdated(chartsDir: string, stdout: (text: string) => void): void {
  for (const entry of readdirSync(chartsDir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (!entry.isFile()) continue;
    const path = join(chartsDir, entry.name);
    const bytes = new Uint8Array(readFileSync(path));
    let problem: string | null = null;
    if (!isGzip(bytes)) problem = notGzipMessage(path, bytes);
    else {
      try {
        loadArchive(bytes);
      } catch (err) {
        problem = (err as Error).message;
      }
    }
    if (problem !== null) {
      stdout(`Could not verify ${path} for deletion: ${problem} (Skipping)\n`);
      continue;
    }
    try {
      rmSync(path);
    } catch (err) {
      stdout(`Could not delete ${path}: ${(err as Error).message} (Skipping)\n`);
    }
  }
}

/** Fetch every locked dependency into `charts/`; versions of `file://` entries are updated in place. */
export async function downloadAll(deps: Dependency[], ctx: FetchContext): Promise<void> {
  const indexes = loadConfiguredIndexes(ctx);
  const chartsDir = join(ctx.chartPath, "charts");
  let isDir = false;
  try {
    isDir = statSync(chartsDir).isDirectory();
    if (!isDir) throw new Error(`${goQuote(chartsDir)} is not a directory`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (!isDir) mkdirSync(chartsDir, { recursive: true, mode: 0o755 });
  ctx.stdout(`Saving ${deps.length} charts\n`);
  const staged: Staged[] = [];
  try {
    for (const d of deps) {
      checkPlainName(d);
      if (d.repository === "") {
        ctx.stdout(
          `Dependency ${d.name} did not declare a repository. Assuming it exists in the charts directory\n`,
        );
        checkInCharts(d, chartsDir);
      } else if (d.repository.startsWith("file://")) staged.push(packageLocal(d, ctx));
      else if (isOci(d.repository)) staged.push(await fetchFromRegistry(d, ctx));
      else staged.push(await fetchFromRepository(d, ctx, indexes));
    }
  } catch (err) {
    if (!(err instanceof LoadFailure)) ctx.stdout(`Save error occurred:  ${(err as Error).message}\n`);
    throw err;
  }
  ctx.stdout("Deleting outdated charts\n");
  removeOutdated(chartsDir, ctx.stdout);
  for (const s of staged) {
    atomicWriteFile(join(chartsDir, s.fileName), s.bytes, 0o644);
    if (s.prov) atomicWriteFile(join(chartsDir, `${s.fileName}.prov`), s.prov, 0o644);
  }
}
