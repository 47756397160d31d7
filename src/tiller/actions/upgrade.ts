/**
 * Upgrade: render the chart again for the next revision, apply it, delete what the new revision
 * no longer has, and supersede the previous deployed revision — as Helm 3/4 does. A failure is
 * recorded as failed, and with `atomic` the release is rolled back to the revision it had.
 */
import { goJsonTime } from "../release/go-time.ts";
import { isPending, type JsonValue, type Release, type StoredChart } from "../release/release.ts";
import type { ActionContext, RenderedRelease } from "./context.ts";
import { deploy } from "./deploy.ts";
import { withOperation } from "./operation.ts";
import {
  checkOwnership,
  hooksOf,
  joinManifests,
  recordResources,
  removedResources,
  toResources,
} from "./resources.ts";
import { rollbackTo } from "./rollback.ts";

export interface UpgradeRequest {
  name: string;
  namespace: string;
  chart: StoredChart;
  /** The user's values for the new revision, given the previous revision's (reuse/reset rules applied by the caller). */
  config: (previous: Release) => { [key: string]: JsonValue };
  render: (revision: number, config: { [key: string]: JsonValue }) => Promise<RenderedRelease>;
  description?: string;
  labels?: Record<string, string>;
  dryRun?: boolean;
  wait?: boolean;
  waitForJobs?: boolean;
  timeoutMs: number;
  atomic?: boolean;
  cleanupOnFail?: boolean;
  skipCrds?: boolean;
  disableHooks?: boolean;
  takeOwnership?: boolean;
  forceConflicts?: boolean;
  /** Replace existing objects whole (PUT) instead of applying (`--force-replace`). */
  forceReplace?: boolean;
  /** Revisions to keep (`--history-max`); 0 = unlimited. */
  maxHistory?: number;
}

/** Helm's message when nothing can be upgraded. */
export class NoDeployedReleaseError extends Error {
  constructor(name: string) {
    super(`"${name}" has no deployed releases`);
    this.name = "NoDeployedReleaseError";
  }
}

/** The revision an upgrade starts from: the deployed one, else a failed/superseded newest one. */
export function currentOf(name: string, history: Release[]): Release {
  const deployed = history.filter((r) => r.info.status === "deployed");
  const newest = history[history.length - 1];
  const current = deployed[deployed.length - 1];
  if (current) return current;
  if (newest && (newest.info.status === "failed" || newest.info.status === "superseded")) return newest;
  throw new NoDeployedReleaseError(name);
}

export async function upgrade(ctx: ActionContext, req: UpgradeRequest): Promise<Release> {
  const plan = async (history: Release[]) => {
    const newest = history[history.length - 1];
    if (!newest) throw new Error(`"${req.name}" has no deployed releases`);
    if (isPending(newest.info.status))
      throw new Error("another operation (install/upgrade/rollback) is in progress");
    const current = currentOf(req.name, history);
    const config = req.config(current);
    const rendered = await req.render(newest.version + 1, config);
    const at = goJsonTime(ctx.now());
    const rls: Release = {
      name: req.name,
      namespace: req.namespace,
      version: newest.version + 1,
      info: {
        first_deployed: current.info.first_deployed,
        last_deployed: at,
        status: "pending-upgrade",
        description: req.dryRun ? "Dry run complete" : "Preparing upgrade",
        notes: rendered.notes,
      },
      chart: req.chart,
      config,
      manifest: joinManifests(rendered.manifests),
      hooks: req.disableHooks ? [] : hooksOf(rendered.hooks),
      apply_method: "ssa",
      ...(req.labels && Object.keys(req.labels).length > 0 ? { labels: req.labels } : {}),
    };
    if (rls.hooks?.length === 0) delete rls.hooks;
    return { current, rls, rendered };
  };

  if (req.dryRun) return (await plan(await ctx.storage.history(req.name))).rls;

  return withOperation(ctx, req.name, req.namespace, async (history) => {
    const { current, rls, rendered } = await plan(history);
    const resources = toResources(rendered.manifests);
    const previous = recordResources(current.manifest);
    const removed = removedResources(previous, resources, ctx.kube.namespace);
    if (!req.takeOwnership) {
      const fresh = resources.filter((r) => !previous.some((p) => sameObject(p, r, ctx.kube.namespace)));
      await checkOwnership(ctx.kube, fresh, req.name, req.namespace, "upgrade");
    }
    await ctx.storage.create(rls);
    try {
      await deploy(ctx, {
        rls,
        resources,
        removed,
        crds: req.skipCrds ? [] : toResources(rendered.crds),
        hooks: req.disableHooks ? null : { pre: "pre-upgrade", post: "post-upgrade" },
        wait: req.wait === true || req.atomic === true,
        waitForJobs: req.waitForJobs === true,
        timeoutMs: req.timeoutMs,
        forceConflicts: req.forceConflicts === true,
        forceReplace: req.forceReplace === true,
      });
    } catch (err) {
      return failUpgrade(ctx, req, current, rls, resources, previous, err as Error);
    }
    current.info.status = "superseded";
    await ctx.storage.update(current);
    rls.info.status = "deployed";
    rls.info.description = req.description || "Upgrade complete";
    await ctx.storage.update(rls);
    await ctx.storage.prune(rls.name, req.maxHistory);
    return rls;
  });
}

function sameObject(
  a: ReturnType<typeof toResources>[number],
  b: ReturnType<typeof toResources>[number],
  namespace: string,
): boolean {
  return removedResources([a], [b], namespace).length === 0;
}

async function failUpgrade(
  ctx: ActionContext,
  req: UpgradeRequest,
  current: Release,
  rls: Release,
  resources: ReturnType<typeof toResources>,
  previous: ReturnType<typeof toResources>,
  err: Error,
): Promise<never> {
  rls.info.status = "failed";
  rls.info.description = `Upgrade "${rls.name}" failed: ${err.message}`;
  await ctx.storage.update(rls);
  if (req.cleanupOnFail && !req.atomic) {
    const created = removedResources(resources, previous, ctx.kube.namespace);
    if (created.length > 0) await ctx.kube.delete(created, "Background");
  }
  if (req.atomic) {
    ctx.log(
      `upgrade of "${rls.name}" failed; rolling back to revision ${current.version} because of --atomic`,
    );
    try {
      await rollbackTo(ctx, rls.name, rls.namespace, current, [...(await ctx.storage.history(rls.name))], {
        timeoutMs: req.timeoutMs,
        wait: true,
        disableHooks: req.disableHooks,
      });
    } catch (rbErr) {
      throw new Error(
        `an error occurred while rolling back the release. original upgrade error: ${err.message}: ${(rbErr as Error).message}`,
      );
    }
    throw new Error(
      `release ${rls.name} failed, and has been rolled back due to rollback-on-failure being set: ${err.message}`,
    );
  }
  throw err;
}
