/**
 * The `helm repo …` and `helm search repo` operations, each the story of one command with Helm's
 * messages: they take paths and options, write their normal output through `Output`, and throw
 * an Error whose message is what follows `Error: `.
 */

import { formatTable } from "../chart/uitable.ts";
import { type IndexSummary, loadCachedIndex, removeCache } from "./cache.ts";
import { checkRepoUrl, downloadIndex, updateRepos } from "./chart-repo.ts";
import { goJson, goYamlRecords, type OutputFormat } from "./output.ts";
import {
  emptyRepoFile,
  findRepo,
  newRepoEntry,
  type RepoEntry,
  type RepoFile,
  readRepoFile,
  updateRepoFile,
} from "./repo-file.ts";
import { type SearchResult, searchRepos } from "./search.ts";

/** Where an operation writes: normal output and Helm's `level=WARN` lines. */
export interface Output {
  stdout(text: string): void;
  warn(message: string, attrs?: [string, string][]): void;
}

/** Repository URLs that are gone for good; Helm refuses them unless told otherwise. */
const DEPRECATED_REPOS: [RegExp, string][] = [
  [/^https?:\/\/kubernetes-charts\.storage\.googleapis\.com\/?$/, "https://charts.helm.sh/stable"],
  [
    /^https?:\/\/kubernetes-charts-incubator\.storage\.googleapis\.com\/?$/,
    "https://charts.helm.sh/incubator",
  ],
];

export interface AddOptions {
  name: string;
  url: string;
  username?: string;
  password?: string;
  passCredentials?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  forceUpdate?: boolean;
  allowDeprecatedRepos?: boolean;
  timeoutMs?: number;
  repoConfig: string;
  repoCache: string;
}

function sameEntry(a: RepoEntry, b: RepoEntry): boolean {
  return (
    a.name === b.name &&
    a.url === b.url &&
    a.username === b.username &&
    a.password === b.password &&
    a.certFile === b.certFile &&
    a.keyFile === b.keyFile &&
    a.caFile === b.caFile &&
    a.insecureSkipTlsVerify === b.insecureSkipTlsVerify &&
    a.passCredentialsAll === b.passCredentialsAll
  );
}

/** `helm repo add`. */
export async function addRepo(opts: AddOptions, out: Output): Promise<void> {
  if (opts.name.includes("/")) {
    throw new Error(
      `repository name (${opts.name}) contains '/', please specify a different name without '/'`,
    );
  }
  if (!opts.allowDeprecatedRepos) {
    for (const [re, replacement] of DEPRECATED_REPOS) {
      if (re.test(opts.url)) {
        throw new Error(`repo "${opts.url}" is no longer available; try "${replacement}" instead`);
      }
    }
  }
  const entry: RepoEntry = {
    ...newRepoEntry(opts.name, opts.url),
    username: opts.username ?? "",
    password: opts.password ?? "",
    certFile: opts.certFile ?? "",
    keyFile: opts.keyFile ?? "",
    caFile: opts.caFile ?? "",
    insecureSkipTlsVerify: opts.insecureSkipTlsVerify ?? false,
    passCredentialsAll: opts.passCredentials ?? false,
  };
  const message = await updateRepoFile(opts.repoConfig, async (file) => {
    const existing = findRepo(file, opts.name);
    if (existing && !opts.forceUpdate) {
      if (sameEntry(existing, entry)) {
        return {
          file: null,
          result: `"${opts.name}" already exists with the same configuration, skipping\n`,
        };
      }
      throw new Error(`repository name (${opts.name}) already exists, please specify a different name`);
    }
    checkRepoUrl(opts.url);
    try {
      await downloadIndex(entry, opts.repoCache, (w) => out.warn(w), opts.timeoutMs);
    } catch (err) {
      throw new Error(
        `looks like "${opts.url}" is not a valid chart repository or cannot be reached: ${(err as Error).message}`,
      );
    }
    const repositories = existing
      ? file.repositories.map((r) => (r.name === opts.name ? entry : r))
      : [...file.repositories, entry];
    return {
      file: { ...file, repositories },
      result: `"${opts.name}" has been added to your repositories\n`,
    };
  });
  out.stdout(message);
}

/** The repositories file, or null when it is missing, unreadable or lists nothing (Helm treats these alike). */
function configuredRepos(path: string): RepoFile | null {
  let file: RepoFile | null;
  try {
    file = readRepoFile(path);
  } catch {
    return null;
  }
  return file === null || file.repositories.length === 0 ? null : file;
}

/** `helm repo list`. */
export function listRepos(path: string, format: OutputFormat, noHeaders: boolean, out: Output): void {
  const file = configuredRepos(path);
  if (file === null) {
    process.stderr.write("no repositories to show\n");
    return;
  }
  const repos = file.repositories;
  switch (format) {
    case "json":
      out.stdout(`${goJson(repos.map((r) => ({ name: r.name, url: r.url })))}\n`);
      return;
    case "yaml":
      out.stdout(goYamlRecords(repos.map((r) => ({ name: r.name, url: r.url }))));
      return;
    case "table": {
      const rows = repos.map((r) => [r.name, r.url]);
      if (!noHeaders) rows.unshift(["NAME", "URL"]);
      out.stdout(formatTable(rows));
    }
  }
}

/** `helm repo remove NAME...`: each name in turn; the first unknown name stops with an error. */
export async function removeRepos(
  names: string[],
  repoConfig: string,
  repoCache: string,
  out: Output,
): Promise<void> {
  for (const name of names) {
    await updateRepoFile(repoConfig, async (file, existed) => {
      if (!existed) throw new Error("no repositories configured");
      if (!findRepo(file, name)) throw new Error(`no repo named "${name}" found`);
      return {
        file: { ...file, repositories: file.repositories.filter((r) => r.name !== name) },
        result: null,
      };
    });
    removeCache(repoCache, name);
    out.stdout(`"${name}" has been removed from your repositories\n`);
  }
}

/** `helm repo update [NAME...]`. */
export async function updateRepositories(
  names: string[],
  repoConfig: string,
  repoCache: string,
  timeoutMs: number | undefined,
  out: Output,
): Promise<void> {
  let file: RepoFile;
  try {
    file = readRepoFile(repoConfig) ?? emptyRepoFile();
  } catch {
    file = emptyRepoFile();
  }
  if (file.repositories.length === 0) {
    throw new Error("no repositories found. You must add one before updating");
  }
  let selected = file.repositories;
  if (names.length > 0) {
    const missing = names.filter((n) => !findRepo(file, n));
    if (missing.length > 0) {
      throw new Error(`no repositories found matching '${missing.join(", ")}'.  Nothing will be updated`);
    }
    selected = file.repositories.filter((r) => names.includes(r.name));
  }
  out.stdout("Hang tight while we grab the latest from your chart repositories...\n");
  const outcomes = await updateRepos(
    selected,
    repoCache,
    (w) => out.warn(w),
    ({ entry, error }) => {
      if (error) {
        out.stdout(
          `...Unable to get an update from the "${entry.name}" chart repository (${entry.url}):\n\t${error.message}\n`,
        );
      } else {
        out.stdout(`...Successfully got an update from the "${entry.name}" chart repository\n`);
      }
    },
    timeoutMs,
  );
  const failed = outcomes.filter((o) => o.error).map((o) => o.entry.url);
  if (failed.length > 0)
    throw new Error(`failed to update the following repositories: [${failed.join(" ")}]`);
  out.stdout("Update Complete. ⎈Happy Helming!⎈\n");
}

/** Every configured repository's cached index; unreadable ones are skipped with Helm's warning. */
export function loadAllIndexes(repoConfig: string, repoCache: string, out: Output): [string, IndexSummary][] {
  const file = configuredRepos(repoConfig);
  if (file === null) throw new Error("no repositories configured");
  const loaded: [string, IndexSummary][] = [];
  for (const r of file.repositories) {
    try {
      loaded.push([r.name, loadCachedIndex(repoCache, r.name, (w) => out.warn(w))]);
    } catch (err) {
      out.warn("repo is corrupt or missing", [
        ["repo", r.name],
        ["error", (err as Error).message],
      ]);
    }
  }
  return loaded;
}

export interface SearchRepoOptions {
  keywords: string[];
  regexp?: boolean;
  version?: string;
  versions?: boolean;
  devel?: boolean;
  maxColWidth: number;
  format: OutputFormat;
  failOnNoResult?: boolean;
  repoConfig: string;
  repoCache: string;
}

/** `helm search repo [KEYWORD]`. */
export function searchRepo(opts: SearchRepoOptions, out: Output): void {
  const indexes = loadAllIndexes(opts.repoConfig, opts.repoCache, out);
  const version = opts.version ? opts.version : opts.devel ? ">0.0.0-0" : ">0.0.0";
  const results: SearchResult[] = searchRepos(indexes, {
    query: opts.keywords.length > 0 ? opts.keywords.join(" ") : undefined,
    regexp: opts.regexp,
    version,
    versions: opts.versions,
  });
  if (results.length === 0 && opts.failOnNoResult) throw new Error("no results found");
  const records = results.map((r) => ({
    name: r.name,
    version: r.chart.version,
    app_version: r.chart.appVersion,
    description: r.chart.description,
  }));
  switch (opts.format) {
    case "json":
      out.stdout(`${goJson(records)}\n`);
      return;
    case "yaml":
      out.stdout(goYamlRecords(records));
      return;
    case "table": {
      if (results.length === 0) {
        out.stdout("No results found\n");
        return;
      }
      const rows = [["NAME", "CHART VERSION", "APP VERSION", "DESCRIPTION"]];
      for (const r of records) rows.push([r.name, r.version, r.app_version, r.description]);
      out.stdout(formatTable(rows, opts.maxColWidth));
    }
  }
}
