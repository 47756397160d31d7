/**
 * What every release action shares: storage, the cluster, the renderer and a clock. Actions are
 * written against these narrow interfaces, so unit tests can give in-memory fakes and the
 * embedded and remote (Tiller) paths share one implementation.
 */
import type { HookManifest, Manifest } from "../../chart/render/manifests.ts";
import type { ReadinessOptions } from "../kube/readiness.ts";
import type { Storage } from "../storage/storage.ts";
import type { ReleaseLocks } from "./lock.ts";

/** A manifest parsed to an object, ready to send to the API server. */
export interface Resource {
  manifest: Manifest;
  object: {
    apiVersion: string;
    kind: string;
    metadata: { name?: string; namespace?: string; [k: string]: unknown };
    [k: string]: unknown;
  };
}

/** The cluster operations actions need. */
export interface ResourceClient {
  /** Namespace used for namespaced objects that do not name one. */
  readonly namespace: string;
  /** Apply objects in order (server-side apply). */
  apply(resources: readonly Resource[], opts: ApplyMode): Promise<void>;
  /** Live copy of an object, or undefined. */
  get(object: Resource["object"]): Promise<Resource["object"] | undefined>;
  /** Delete objects; resolves to those that existed. */
  delete(resources: readonly Resource[], policy: "Background" | "Foreground" | "Orphan"): Promise<Resource[]>;
  /** Wait until every object is ready, or fail with what is not, at the deadline. */
  waitReady(resources: readonly Resource[], opts: ReadinessOptions & { timeoutMs: number }): Promise<void>;
  /** A Pod's log (its containers' output), for `helm test --logs`. */
  podLogs(namespace: string, name: string): Promise<string>;
  /** Wait until the objects are gone. */
  waitDeleted(resources: readonly Resource[], timeoutMs: number): Promise<void>;
}

/** What rendering a chart for a release produced. */
export interface RenderedRelease {
  manifests: Manifest[];
  hooks: HookManifest[];
  notes: string;
  /** CRD documents from the chart's `crds/` folders (installed before anything else). */
  crds: Manifest[];
  /** The rendered template files before sorting (what a post-renderer rewrites). */
  files: ReadonlyMap<string, string>;
}

/** How objects are written: server-side apply (optionally forcing conflicts) or whole replacement. */
export interface ApplyMode {
  force?: boolean;
  replace?: boolean;
  dryRun?: boolean;
}

export interface ActionContext {
  storage: Storage;
  kube: ResourceClient;
  /** Per-release operation locks. */
  locks: ReleaseLocks;
  /** Progress and warnings for the user. */
  log: (line: string) => void;
  now: () => Date;
}
