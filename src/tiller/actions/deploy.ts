/**
 * The cluster half that install, upgrade and rollback share: CRDs first (waited for until
 * established), the `pre-` hooks, server-side apply of the release's objects with Helm's ownership
 * metadata, deletion of objects the new revision no longer has, the readiness wait, then the
 * `post-` hooks. Errors propagate; recording the outcome is the caller's job.
 */
import { type HookEvent, sortByKind } from "../../chart/render/manifests.ts";
import type { Release } from "../release/release.ts";
import type { ActionContext, Resource } from "./context.ts";
import { runHooks } from "./hooks.ts";
import { stampOwnership } from "./resources.ts";

/** How long to wait for a chart's CRDs to be established. */
const CRD_TIMEOUT_MS = 60_000;

export interface DeployStep {
  rls: Release;
  resources: Resource[];
  /** Objects of the previous revision that this one drops. */
  removed: Resource[];
  crds: Resource[];
  hooks: { pre: HookEvent; post: HookEvent } | null;
  wait: boolean;
  waitForJobs: boolean;
  timeoutMs: number;
  /** Take fields other managers own (`--force-conflicts`). */
  forceConflicts: boolean;
  /** Replace existing objects whole instead of applying (`--force-replace`). */
  forceReplace: boolean;
}

export async function deploy(ctx: ActionContext, step: DeployStep): Promise<void> {
  if (step.crds.length > 0) {
    await ctx.kube.apply(step.crds, { force: true });
    await ctx.kube.waitReady(step.crds, { timeoutMs: CRD_TIMEOUT_MS });
  }
  if (step.hooks) await runHooks(ctx, step.rls, step.hooks.pre, step.timeoutMs);
  await ctx.kube.apply(stampOwnership(step.resources, step.rls.name, step.rls.namespace), {
    force: step.forceConflicts,
    replace: step.forceReplace,
  });
  if (step.removed.length > 0) await ctx.kube.delete(uninstallOrder(step.removed), "Background");
  if (step.wait) {
    await ctx.kube.waitReady(step.resources, {
      timeoutMs: step.timeoutMs,
      jobsMustComplete: step.waitForJobs,
    });
  }
  if (step.hooks) await runHooks(ctx, step.rls, step.hooks.post, step.timeoutMs);
}

/** Objects in Helm's uninstall order (the reverse of install order). */
export function uninstallOrder(resources: readonly Resource[]): Resource[] {
  return sortByKind(
    resources.map((r) => ({ kind: r.object.kind, r })),
    true,
  ).map((x) => x.r);
}
