/**
 * The release service: everything a release command asks of Tiller. Commands hold a
 * `ReleaseService` and never know whether it runs in-process (embedded, the default) or behind
 * gRPC in a Tiller server — both implement this interface with the same semantics.
 */

import type { Chart } from "../chart/chart.ts";
import type { GoMap } from "../chart/engine/value.ts";
import type { PostRenderer } from "../chart/render/post-render.ts";
import type { DiffReport } from "../diff/changes.ts";
import type { RollbackRequest } from "./actions/rollback.ts";
import type { TestRequest, TestResult } from "./actions/test.ts";
import type { UninstallRequest, UninstallResult } from "./actions/uninstall.ts";
import type { Release, ReleaseStatus } from "./release/release.ts";
import type { ResourceGroup } from "./status/resources.ts";

/** Options install and upgrade share. */
export interface DeployOptions {
  namespace: string;
  chart: Chart;
  /** The user's values (-f, --set…), not yet coalesced with the chart's. */
  values: GoMap;
  /** `client`: render only, no cluster; `server`: render against the cluster, change nothing. */
  dryRun?: "client" | "server";
  wait?: boolean;
  waitForJobs?: boolean;
  timeoutMs: number;
  atomic?: boolean;
  skipCrds?: boolean;
  disableHooks?: boolean;
  takeOwnership?: boolean;
  forceConflicts?: boolean;
  /** Replace existing objects whole (PUT) instead of applying (`--force-replace`). */
  forceReplace?: boolean;
  description?: string;
  labels?: Record<string, string>;
  subchartNotes?: boolean;
  skipSchemaValidation?: boolean;
  /** `--post-renderer`: rewrites the rendered manifests (runs on the client's machine: embedded only). */
  postRender?: PostRenderer;
  /** Extra `.Capabilities.APIVersions` (--api-versions) and a KubeVersion override for client dry runs. */
  apiVersions?: string[];
  kubeVersion?: string;
}

export interface InstallOptions extends DeployOptions {
  name: string;
  replace?: boolean;
  createNamespace?: boolean;
}

export interface UpgradeOptions extends DeployOptions {
  name: string;
  reuseValues?: boolean;
  resetValues?: boolean;
  resetThenReuseValues?: boolean;
  cleanupOnFail?: boolean;
  maxHistory?: number;
}

/** Rollback and uninstall take exactly what their actions take. */
export type RollbackOptions = RollbackRequest;
export type UninstallOptions = UninstallRequest;

export interface ListOptions {
  /** Namespace to list; ignored with allNamespaces. */
  namespace: string;
  allNamespaces?: boolean;
  /** Statuses to include; empty = Helm's default (deployed and failed… see list action). */
  statuses?: ReleaseStatus[];
  /** Label selector on the record labels (`-l`). */
  selector?: string;
}

/** What every diff can leave out or reveal. */
export interface DiffScopeOptions {
  /** Print Secret values instead of masking them. */
  showSecrets?: boolean;
  /** Leave hooks out. */
  disableHooks?: boolean;
  /** Compare `test` hooks too. */
  includeTests?: boolean;
}

/** `diff upgrade` (and `upgrade --diff`): an upgrade's options, compared instead of applied. */
export interface DiffUpgradeOptions extends UpgradeOptions, DiffScopeOptions {
  /** Treat a release that does not exist as empty (`--install`): everything is added. */
  install?: boolean;
}

/** `diff rollback`: the newest deployed revision against the target (0 = the previous revision). */
export interface DiffRollbackOptions extends DiffScopeOptions {
  name: string;
  namespace: string;
  revision: number;
}

/** `diff revision`: the stored manifests of revision `from` against `to` (absent = the newest). */
export interface DiffRevisionsOptions extends DiffScopeOptions {
  name: string;
  namespace: string;
  from: number;
  to?: number;
}

export interface ReleaseService {
  install(opts: InstallOptions): Promise<Release>;
  upgrade(opts: UpgradeOptions): Promise<Release>;
  rollback(opts: RollbackOptions): Promise<Release>;
  uninstall(opts: UninstallOptions): Promise<UninstallResult>;
  /** Run the newest revision's test hooks; the result carries a test failure rather than throwing it. */
  test(opts: TestRequest): Promise<TestResult>;
  /** Every revision, oldest first; throws "release: not found" when there is none. */
  history(name: string, namespace: string): Promise<Release[]>;
  /** One revision (0 = the newest) with its objects as they are now (Helm 4's `status`). */
  status(
    name: string,
    namespace: string,
    revision: number,
  ): Promise<{ release: Release; resources: ResourceGroup[] }>;
  /** One revision (0 = the newest). */
  get(name: string, namespace: string, revision: number): Promise<Release>;
  /**
   * The latest revision of every release that passes the options, as summaries: name, namespace,
   * version, info, labels and the chart's metadata (no chart files, values, manifest or hooks).
   */
  list(opts: ListOptions): Promise<Release[]>;
  /**
   * What an upgrade would change, object by object: the live objects against a server-side dry-run
   * apply of the new revision (stored manifests with a client dry run). Changes nothing.
   */
  diffUpgrade(opts: DiffUpgradeOptions): Promise<DiffReport>;
  /** What a rollback would change (stored manifests). */
  diffRollback(opts: DiffRollbackOptions): Promise<DiffReport>;
  /** What changed between two revisions (stored manifests). */
  diffRevisions(opts: DiffRevisionsOptions): Promise<DiffReport>;
}
