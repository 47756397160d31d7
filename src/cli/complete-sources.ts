/**
 * Where dynamic completions come from, as Helm's: release names and revisions from the release
 * service, namespaces from the cluster, contexts from the kubeconfig, repositories from
 * repositories.yaml and chart names from the cached indexes. Like Helm, most lists are not
 * filtered by the typed prefix (the shell does that); a source that fails gives the error directive.
 */

import { readdirSync, readFileSync } from "node:fs";
import { chartsCachePath, indexCachePath } from "../repo/cache.ts";
import { loadIndex } from "../repo/index-file.ts";
import { readRepoFile } from "../repo/repo-file.ts";
import { chartAppVersion, chartLabel } from "../tiller/release/chart-record.ts";
import { goTimeLayout } from "../tiller/release/go-time.ts";
import {
  type ArgCompleter,
  type Completion,
  type CompletionRequest,
  DIRECTIVE_DEFAULT,
  DIRECTIVE_ERROR,
  DIRECTIVE_NO_FILE_COMP,
  DIRECTIVE_NO_SPACE,
} from "./complete.ts";
import { kubeFlags, releaseNamespace, releaseService } from "./release-service.ts";

const NONE: Completion = { candidates: [], directive: DIRECTIVE_NO_FILE_COMP };
const FAILED: Completion = { candidates: [], directive: DIRECTIVE_ERROR };

async function orError(work: () => Promise<Completion>): Promise<Completion> {
  try {
    return await work();
  } catch {
    return FAILED;
  }
}

/** `-o` values. */
export const outputFormats: ArgCompleter = () => ({
  candidates: [
    { value: "json", description: "Output result in JSON format" },
    { value: "table", description: "Output result in human-readable format" },
    { value: "yaml", description: "Output result in YAML format" },
  ],
  directive: DIRECTIVE_NO_FILE_COMP,
});

/** Release names in the namespace (`chart -> status`), leaving out those already on the line. */
export function releaseNames(req: CompletionRequest): Promise<Completion> {
  return orError(async () => {
    const s = req.settings();
    const service = await releaseService(s);
    const rels = await service.list({
      namespace: await releaseNamespace(s),
      allNamespaces: false,
      statuses: [],
    });
    const candidates = rels
      .filter((r) => !req.args.includes(r.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((r) => ({ value: r.name, description: `${chartLabel(r.chart)} -> ${r.info.status}` }));
    return { candidates, directive: DIRECTIVE_NO_FILE_COMP };
  });
}

/** A release's revisions, oldest first (`App: …, Chart: …`). */
export function revisions(req: CompletionRequest, release: string): Promise<Completion> {
  return orError(async () => {
    const s = req.settings();
    const service = await releaseService(s);
    const history = await service.history(release, await releaseNamespace(s));
    const candidates = history.map((r) => ({
      value: String(r.version),
      description: `App: ${chartAppVersion(r.chart)}, Chart: ${chartLabel(r.chart)}`,
    }));
    return { candidates, directive: DIRECTIVE_NO_FILE_COMP };
  });
}

/** First argument a release, then nothing (status, history, get …, test). */
export const releaseArg: ArgCompleter = (req) => (req.args.length === 0 ? releaseNames(req) : NONE);

/** Any number of releases (uninstall). */
export const releaseArgs: ArgCompleter = (req) => releaseNames(req);

/** A release, then one of its revisions (rollback). */
export const releaseThenRevision: ArgCompleter = (req) => {
  if (req.args.length === 0) return releaseNames(req);
  if (req.args.length === 1) return revisions(req, req.args[0]!);
  return NONE;
};

/** `--revision`: the revisions of the release already typed. */
export const revisionFlag: ArgCompleter = (req) =>
  req.args.length === 1 ? revisions(req, req.args[0]!) : NONE;

/** Namespaces of the cluster (`-n`). */
export const namespaces: ArgCompleter = (req) =>
  orError(async () => {
    const { KubeClient } = await import("../tiller/kube/client.ts");
    const client = await KubeClient.create(kubeFlags(req.settings()));
    const items = await client.list("v1", "Namespace");
    const names = items.map((o) => o.metadata?.name ?? "").filter((n) => n !== "");
    return { candidates: names.sort().map((value) => ({ value })), directive: DIRECTIVE_NO_FILE_COMP };
  });

/** Contexts of the kubeconfig (`--kube-context`), described by their cluster. */
export const kubeContexts: ArgCompleter = (req) =>
  orError(async () => {
    const { kubeconfigContexts } = await import("../tiller/kube/kubeconfig.ts");
    const contexts = kubeconfigContexts(req.settings().kubeconfig || undefined);
    const candidates = contexts.map((c) => ({ value: c.name, description: c.cluster }));
    return { candidates, directive: DIRECTIVE_NO_FILE_COMP };
  });

function repositories(req: CompletionRequest) {
  try {
    return readRepoFile(req.settings().repositoryConfig)?.repositories ?? [];
  } catch {
    return [];
  }
}

/** Configured repositories (described by URL), leaving out those already on the line. */
export const repoNames: ArgCompleter = (req) => ({
  candidates: repositories(req)
    .filter((r) => !req.args.includes(r.name))
    .map((r) => ({ value: r.name, description: r.url })),
  directive: DIRECTIVE_NO_FILE_COMP,
});

/** `--version`: the versions of the `repo/chart` at argument `position`, newest first. */
export function chartVersionsAt(position: number): ArgCompleter {
  return (req) => {
    const ref = req.args[position];
    const slash = ref?.indexOf("/") ?? -1;
    if (ref === undefined || slash <= 0) return NONE;
    const repo = ref.slice(0, slash);
    if (!repositories(req).some((r) => r.name === repo)) return NONE;
    try {
      const cache = req.settings().repositoryCache;
      const index = loadIndex(readFileSync(indexCachePath(cache, repo)), repo, () => {});
      const versions = index.entries.get(ref.slice(slash + 1)) ?? [];
      const candidates = versions.map((v) => ({
        value: v.version,
        description: `App: ${v.appVersion}, Created: ${goTimeLayout(v.created, "January 2, 2006")}`,
      }));
      return { candidates, directive: DIRECTIVE_NO_FILE_COMP };
    } catch {
      return NONE;
    }
  };
}

/** Chart names of a repository: its `NAME-charts.txt` cache, else its cached index. */
function chartsOfRepo(cacheDir: string, repo: string): string[] {
  try {
    return readFileSync(chartsCachePath(cacheDir, repo), "utf8")
      .split("\n")
      .filter((l) => l !== "");
  } catch {
    try {
      const index = loadIndex(readFileSync(indexCachePath(cacheDir, repo)), repo, () => {});
      return [...index.entries.keys()].sort();
    } catch {
      return [];
    }
  }
}

const URL_PREFIXES: [string, string][] = [
  ["oci://", "Chart OCI prefix"],
  ["https://", "Chart URL prefix"],
  ["http://", "Chart URL prefix"],
  ["file://", "Chart local URL prefix"],
];

/**
 * A chart reference: `repo/` names (then that repository's charts), URL prefixes, and — when
 * `includeFiles` and something matched — local files with the typed prefix, or `./` and `/` hints.
 */
export function chartRefs(req: CompletionRequest, includeFiles: boolean): Completion {
  const typed = req.partial;
  const candidates: { value: string; description?: string }[] = [];
  let noSpace = false;
  let noFile = false;
  for (const repo of repositories(req)) {
    const prefix = `${repo.name}/`;
    if (typed.startsWith(prefix)) {
      const cache = req.settings().repositoryCache;
      candidates.push(...chartsOfRepo(cache, repo.name).map((c) => ({ value: `${prefix}${c}` })));
      noSpace = false;
      break;
    }
    if (repo.name.startsWith(typed)) {
      candidates.push({ value: prefix, description: repo.url });
      noSpace = true;
    }
  }
  for (const [prefix, description] of URL_PREFIXES) {
    if (prefix.startsWith(typed)) {
      candidates.push({ value: prefix, description });
      noSpace = true;
    } else if (typed.startsWith(prefix)) {
      // A full URL prefix typed: nothing to add, and no file names either.
      noFile = true;
      noSpace = true;
    }
  }
  if (includeFiles && candidates.length > 0 && typed !== "") {
    try {
      for (const f of readdirSync(".").sort()) if (f.startsWith(typed)) candidates.push({ value: f });
    } catch {
      // An unreadable directory adds no file names.
    }
  }
  if (includeFiles && typed === "") {
    candidates.push(
      { value: "./", description: "Relative path prefix to local chart" },
      { value: "/", description: "Absolute path prefix to local chart" },
    );
  }
  let directive = DIRECTIVE_DEFAULT;
  if (noFile || !includeFiles) directive |= DIRECTIVE_NO_FILE_COMP;
  if (noSpace) directive |= DIRECTIVE_NO_SPACE;
  return { candidates, directive };
}

/** `[NAME] CHART` commands: the chart is the argument at `position`. */
export function chartAt(position: number, includeFiles = true): ArgCompleter {
  return (req) => (req.args.length === position ? chartRefs(req, includeFiles) : NONE);
}
