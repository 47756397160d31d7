/**
 * Rollback: a new revision carrying an earlier revision's chart, values, manifest and hooks,
 * applied as an upgrade would be (objects the target lacks are deleted); the revision that was
 * deployed becomes superseded. Revision 0 means the one before the newest, as in Helm.
 */
import { goJsonTime } from "../release/go-time.ts";
import type { Release } from "../release/release.ts";
import type { ActionContext } from "./context.ts";
import { deploy } from "./deploy.ts";
import { withOperation } from "./operation.ts";
import { recordResources, removedResources } from "./resources.ts";

export interface RollbackRequest {
  name: string;
  namespace: string;
  /** Target revision; 0 = the previous one. */
  revision: number;
  wait?: boolean;
  waitForJobs?: boolean;
  timeoutMs: number;
  disableHooks?: boolean;
  forceConflicts?: boolean;
  /** Replace existing objects whole (PUT) instead of applying (`--force-replace`). */
  forceReplace?: boolean;
  cleanupOnFail?: boolean;
  dryRun?: boolean;
  maxHistory?: number;
}

/** The revision a rollback to `revision` (0 = the one before the newest) restores. */
export function rollbackTarget(history: readonly Release[], revision: number): Release {
  const newest = history[history.length - 1];
  if (!newest) throw new Error("release: not found");
  const wanted = revision > 0 ? revision : newest.version - 1;
  if (wanted < 1) throw new Error("no revision to roll back to");
  const target = history.find((r) => r.version === wanted);
  if (!target) throw new Error(`release has no ${wanted} version`);
  return target;
}

/** The revision a rollback replaces: the newest deployed one, else the newest. */
export function rollbackSource(history: readonly Release[]): Release {
  const deployed = history.filter((r) => r.info.status === "deployed");
  return deployed[deployed.length - 1] ?? history[history.length - 1]!;
}

export async function rollback(ctx: ActionContext, req: RollbackRequest): Promise<Release> {
  const pick = (history: Release[]) => rollbackTarget(history, req.revision);
  if (req.dryRun) {
    pick(await ctx.storage.history(req.name));
    return (await ctx.storage.last(req.name)) as Release;
  }
  return withOperation(ctx, req.name, req.namespace, async (history) => {
    const rls = await rollbackTo(ctx, req.name, req.namespace, pick(history), history, req);
    await ctx.storage.prune(req.name, req.maxHistory);
    return rls;
  });
}

/** Roll back to `target` (the caller holds the release's lock). */
export async function rollbackTo(
  ctx: ActionContext,
  name: string,
  namespace: string,
  target: Release,
  history: Release[],
  opts: Omit<RollbackRequest, "name" | "namespace" | "revision">,
): Promise<Release> {
  const newest = history[history.length - 1]!;
  const deployed = history.filter((r) => r.info.status === "deployed");
  const current = rollbackSource(history);
  const at = goJsonTime(ctx.now());
  const rls: Release = {
    name,
    namespace,
    version: newest.version + 1,
    info: {
      first_deployed: current.info.first_deployed,
      last_deployed: at,
      status: "pending-rollback",
      description: `Rollback to ${target.version}`,
      notes: target.info.notes,
    },
    chart: target.chart,
    config: target.config,
    manifest: target.manifest,
    ...(target.hooks ? { hooks: structuredClone(target.hooks) } : {}),
    apply_method: "ssa",
    ...(target.labels ? { labels: target.labels } : {}),
  };
  const resources = recordResources(target.manifest);
  const removed = removedResources(recordResources(current.manifest), resources, ctx.kube.namespace);
  await ctx.storage.create(rls);
  try {
    await deploy(ctx, {
      rls,
      resources,
      removed,
      crds: [],
      hooks: opts.disableHooks ? null : { pre: "pre-rollback", post: "post-rollback" },
      wait: opts.wait === true,
      waitForJobs: opts.waitForJobs === true,
      timeoutMs: opts.timeoutMs,
      forceConflicts: opts.forceConflicts === true,
      forceReplace: opts.forceReplace === true,
    });
  } catch (err) {
    rls.info.status = "failed";
    rls.info.description = `Rollback "${name}" failed: ${(err as Error).message}`;
    await ctx.storage.update(rls);
    throw err;
  }
  for (const r of deployed) {
    r.info.status = "superseded";
    await ctx.storage.update(r);
  }
  rls.info.status = "deployed";
  await ctx.storage.update(rls);
  return rls;
}
