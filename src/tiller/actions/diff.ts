/**
 * Diff: what an upgrade, a rollback or a step between two revisions changes, object by object.
 * An upgrade is compared live: each object as it is in the cluster now against what the API server
 * would store if the new revision were applied (server-side dry-run apply), both without the fields
 * the server maintains — so defaulted fields never show as noise. Rollbacks and revision steps
 * compare the stored manifests, as helm-diff does.
 */
import { type CompareOptions, compareDocuments, type DiffReport } from "../../diff/changes.ts";
import {
  type DocumentPair,
  type KubeDocumentObject,
  type ResourceDocument,
  resourceDocument,
  withoutServerFields,
} from "../../diff/documents.ts";
import { mapLimit } from "../kube/parallel.ts";
import type { Release } from "../release/release.ts";
import type { Resource } from "./context.ts";
import { isKept, recordResources, resourceKey, stampOwnership } from "./resources.ts";

/** The cluster reads a live diff needs. */
export interface DiffCluster {
  /** Namespace for namespaced objects that name none. */
  readonly namespace: string;
  /** The live object; undefined when it (or its kind) does not exist. */
  get(object: Resource["object"]): Promise<KubeDocumentObject | undefined>;
  /**
   * What the API server would store if the object were applied now (server-side apply, dry run);
   * undefined when the server cannot say (its kind is not installed yet, or its namespace is missing).
   * Fields another manager owns are taken (as `--force-conflicts` would), and the conflict is told.
   */
  dryRunApply(
    object: Resource["object"],
    force: boolean,
  ): Promise<{ object: KubeDocumentObject; conflict?: string } | undefined>;
}

/** Old and new resources paired by identity (group, kind, namespace, name). */
function pairResources(
  before: readonly Resource[],
  after: readonly Resource[],
  namespace: string,
): { old?: Resource; new?: Resource }[] {
  const pairs = new Map<string, { old?: Resource; new?: Resource }>();
  for (const r of before) pairs.set(resourceKey(r, namespace), { old: r });
  for (const r of after) {
    const key = resourceKey(r, namespace);
    pairs.set(key, { ...pairs.get(key), new: r });
  }
  // An object dropped from the chart but annotated `helm.sh/resource-policy: keep` stays: no change.
  return [...pairs.values()].filter((p) => p.new || !(p.old && isKept(p.old)));
}

/** A stored manifest document as compared text. */
function storedDocument(r: Resource, namespace: string): ResourceDocument {
  return resourceDocument(r.object, namespace, { source: r.manifest.name, raw: r.manifest.content });
}

/** A live or dry-run object as compared data (it names its namespace when it has one). */
function liveDocument(obj: KubeDocumentObject, source: string): ResourceDocument {
  return resourceDocument(withoutServerFields(obj), "", { source });
}

/** Which documents a diff covers besides the release's objects. */
export interface DiffScope extends CompareOptions {
  /** Leave hooks out (`--no-hooks`). */
  disableHooks?: boolean;
  /** Compare `test` hooks too (`--include-tests`). */
  includeTests?: boolean;
}

/** A release's hooks in scope, as a stored manifest. */
function hookManifest(rls: Release | undefined, scope: DiffScope): string {
  if (!rls || scope.disableHooks) return "";
  return (rls.hooks ?? [])
    .filter((h) => scope.includeTests || !h.events.some((e) => e.startsWith("test")))
    .map((h) => `---\n# Source: ${h.path}\n${h.manifest}\n`)
    .join("");
}

/** Stored documents of two manifests, paired. */
function storedPairs(before: string, after: string, namespace: string): DocumentPair[] {
  return pairResources(recordResources(before), recordResources(after), namespace).map((p) => ({
    old: p.old && storedDocument(p.old, namespace),
    new: p.new && storedDocument(p.new, namespace),
  }));
}

/**
 * Hooks compared as stored manifests in every mode: they are not standing objects of the release
 * (they run and are often deleted), so there is no live copy to compare with.
 */
function hookPairs(before: Release | undefined, after: Release, namespace: string, scope: DiffScope) {
  return storedPairs(hookManifest(before, scope), hookManifest(after, scope), namespace);
}

/** The changes between two stored revisions (rollback, revisions, upgrades without a cluster). */
export function diffReleases(
  before: Release | undefined,
  after: Release,
  namespace: string,
  scope: DiffScope = {},
): DiffReport {
  const changes = compareDocuments(
    [
      ...storedPairs(before?.manifest ?? "", after.manifest, namespace),
      ...hookPairs(before, after, namespace, scope),
    ],
    scope,
  );
  return { changes, warnings: [] };
}

export interface LiveDiffRequest extends DiffScope {
  /** The deployed revision the upgrade starts from; absent for an install. */
  current?: Release;
  /** The would-be next revision (a dry-run upgrade or install). */
  next: Release;
  forceConflicts?: boolean;
}

/** The changes an upgrade to `next` would make to the live objects. */
export async function diffLive(cluster: DiffCluster, req: LiveDiffRequest): Promise<DiffReport> {
  const warnings: string[] = [];
  const ns = cluster.namespace;
  const planned = recordResources(req.next.manifest);
  const pairs = pairResources(req.current ? recordResources(req.current.manifest) : [], planned, ns);
  const documents = await mapLimit(pairs, async (p): Promise<DocumentPair> => {
    if (!p.new) {
      const old = p.old!;
      const live = await cluster.get(old.object);
      // Already gone from the cluster: the stored manifest still says what the release drops.
      return { old: live ? liveDocument(live, old.manifest.name) : storedDocument(old, ns) };
    }
    // Applied as the upgrade applies it: with Helm's ownership label and annotations.
    const [stamped] = stampOwnership([p.new], req.next.name, req.next.namespace);
    const result = await cluster.dryRunApply(stamped!.object, req.forceConflicts === true);
    if (result?.conflict) {
      warnings.push(`${result.conflict}; compared as the upgrade would apply it with --force-conflicts`);
    }
    const applied = result?.object;
    if (!applied) {
      // The server cannot dry-run this object (e.g. a CRD's kind not installed yet): compare the
      // stored manifests for it instead.
      return { old: p.old && storedDocument(p.old, ns), new: storedDocument(p.new, ns) };
    }
    const live = await cluster.get(p.new.object);
    const source = p.new.manifest.name;
    return { old: live && liveDocument(live, source), new: liveDocument(applied, source) };
  });
  const changes = compareDocuments([...documents, ...hookPairs(req.current, req.next, ns, req)], req);
  return { changes, warnings: warnings.sort() };
}
