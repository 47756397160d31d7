/**
 * `helm dependency update` and `helm dependency build` (Helm's downloader.Manager), each the
 * story of one command with Helm's messages on stdout: refresh the repositories' indexes, resolve
 * version ranges into a lock (update) or check the lock still matches Chart.yaml (build), fetch
 * the locked charts into `charts/`, and write Chart.lock (requirements.lock for apiVersion v1).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { Chart, Dependency } from "../../chart/chart.ts";
import { goQuote } from "../../chart/engine/fmt.ts";
import { loadDir } from "../../chart/loader.ts";
import { lockYaml } from "../../chart/metadata-yaml.ts";
import { updateRepos } from "../chart-repo.ts";
import { atomicWriteFile } from "../fs.ts";
import { registryVersions } from "../oci/chart.ts";
import type { RegistryOptions } from "../oci/client.ts";
import { newRepoEntry, type RepoEntry, readRepoFile } from "../repo-file.ts";
import { downloadAll, type FetchContext, type UserHttp } from "./download.ts";
import { goNow, helm2LockDigest, lockDigest } from "./lock-digest.ts";
import { checkAllReposConfigured, resolveRepoNames, unmanagedRepoName } from "./repo-names.ts";
import { resolveVersions } from "./resolve.ts";

export interface DependencyOptions {
  chartPath: string;
  /** `--skip-refresh`: use the cached indexes as they are. */
  skipRefresh?: boolean;
  /** `--verify`: each chart must have a valid provenance file (kept beside it in charts/). */
  verify?: boolean;
  keyring: string;
  userHttp: UserHttp;
  plainHttp?: boolean;
  repoConfig: string;
  repoCache: string;
  registryConfig: string;
  stdout(text: string): void;
  stderr(text: string): void;
  warn(message: string, attrs?: [string, string][]): void;
}

function loadChartDir(path: string): Chart {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new Error(`could not find ${path}: stat ${path}: no such file or directory`);
  }
  if (!isDir) throw new Error("only unpacked charts can be updated");
  return loadDir(path);
}

function configuredRepos(path: string): RepoEntry[] | null {
  return readRepoFile(path)?.repositories ?? null;
}

/** Refresh the indexes of every configured repository, with Helm's progress lines. */
async function refreshConfigured(repos: RepoEntry[], opts: DependencyOptions): Promise<void> {
  if (repos.length === 0) return;
  opts.stdout("Hang tight while we grab the latest from your chart repositories...\n");
  await updateRepos(
    repos,
    opts.repoCache,
    (w) => opts.warn(w),
    ({ entry, error }) => {
      opts.stdout(
        error
          ? `...Unable to get an update from the ${goQuote(entry.name)} chart repository (${entry.url}):\n\t${error.message}\n`
          : `...Successfully got an update from the ${goQuote(entry.name)} chart repository\n`,
      );
    },
  );
  opts.stdout("Update Complete. ⎈Happy Helming!⎈\n");
}

/** Cache names (and fresh indexes, unless skipped) for repositories given only by URL. */
async function ensureUnmanagedRepos(
  declared: Dependency[],
  names: Map<string, string>,
  opts: DependencyOptions,
): Promise<void> {
  const unmanaged: RepoEntry[] = [];
  for (const d of declared) {
    if (names.has(d.name) || d.repository === "") continue;
    const name = unmanagedRepoName(d.repository);
    names.set(d.name, name);
    unmanaged.push(newRepoEntry(name, d.repository));
  }
  if (opts.skipRefresh || unmanaged.length === 0) return;
  opts.stdout("Getting updates for unmanaged Helm repositories...\n");
  await updateRepos(
    unmanaged,
    opts.repoCache,
    (w) => opts.warn(w),
    ({ entry, error }) => {
      opts.stdout(
        error
          ? `...Unable to get an update from the ${goQuote(entry.url)} chart repository:\n\t${error.message}\n`
          : `...Successfully got an update from the ${goQuote(entry.url)} chart repository\n`,
      );
    },
  );
}

function registryOptions(opts: DependencyOptions): RegistryOptions {
  const h = opts.userHttp;
  return {
    plainHttp: opts.plainHttp,
    caFile: h.caFile,
    certFile: h.certFile,
    keyFile: h.keyFile,
    insecureSkipTlsVerify: h.insecureSkipTlsVerify,
    username: h.username,
    password: h.password,
    registryConfig: opts.registryConfig,
  };
}

function fetchContext(opts: DependencyOptions, repos: RepoEntry[]): FetchContext {
  return {
    chartPath: opts.chartPath,
    repos,
    repoCache: opts.repoCache,
    userHttp: opts.userHttp,
    registry: registryOptions(opts),
    verify: opts.verify === true,
    keyring: opts.keyring,
    stdout: opts.stdout,
    stderr: opts.stderr,
    warn: (w) => opts.warn(w),
  };
}

/** `helm dependency update CHART`. */
export async function updateDependencies(opts: DependencyOptions): Promise<void> {
  const chart = loadChartDir(opts.chartPath);
  const declared = chart.metadata.dependencies;
  if (declared === null) return;
  const repos = configuredRepos(opts.repoConfig);
  const names = resolveRepoNames(declared, repos, opts.chartPath);
  await ensureUnmanagedRepos(declared, names, opts);
  if (!opts.skipRefresh) await refreshConfigured(repos ?? [], opts);
  const registry = registryOptions(opts);
  const locked = await resolveVersions(declared, names, {
    chartPath: opts.chartPath,
    repoCache: opts.repoCache,
    warn: (w) => opts.warn(w),
    ociVersions: (repository, name) =>
      registryVersions(`${repository.replace(/\/+$/, "")}/${name}`, registry),
  });
  await downloadAll(locked, fetchContext(opts, repos ?? []));
  // file:// entries now carry the version that was packaged.
  const digest = lockDigest(declared, locked);
  if (chart.lock !== null && chart.lock.digest === digest) return;
  const fileName = chart.metadata.apiVersion === "v1" ? "requirements.lock" : "Chart.lock";
  atomicWriteFile(
    join(opts.chartPath, fileName),
    lockYaml({ generated: goNow(), digest, dependencies: locked }),
    0o644,
  );
}

/** `helm dependency build CHART`: the lock's exact versions (an update when there is no lock). */
export async function buildDependencies(opts: DependencyOptions): Promise<void> {
  const chart = loadChartDir(opts.chartPath);
  const lock = chart.lock;
  if (lock === null) return updateDependencies(opts);
  const declared = chart.metadata.dependencies;
  const v1 = chart.metadata.apiVersion === "v1";
  // Helm 2 hashed requirements.yaml before aliases were resolved to URLs.
  const helm2Digest = v1 ? helm2LockDigest(declared) : "";
  const repos = configuredRepos(opts.repoConfig);
  resolveRepoNames(declared ?? [], repos, opts.chartPath);
  if (lockDigest(declared, lock.dependencies) !== lock.digest) {
    if (!v1) {
      throw new Error(
        "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies",
      );
    }
    opts.warn("a valid Helm v3 hash was not found. Checking against Helm v2 hash...");
    if (helm2Digest !== lock.digest) {
      throw new Error(
        "the lock file (requirements.lock) is out of sync with the dependencies file (requirements.yaml). Please update the dependencies",
      );
    }
  }
  checkAllReposConfigured(lock.dependencies, repos ?? []);
  if (!opts.skipRefresh) await refreshConfigured(repos ?? [], opts);
  await downloadAll(lock.dependencies, fetchContext(opts, repos ?? []));
}
