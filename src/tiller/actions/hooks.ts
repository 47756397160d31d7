/**
 * Running a release's hooks for one event, as Helm 3/4 does: hooks of the event sorted by weight
 * then name; each one's previous instance deleted first (`before-hook-creation`, the default when a
 * hook names no policy); created; waited for (Jobs until complete, Pods until succeeded); then
 * deleted on success or failure when its policies say so. `last_run` is recorded on the hook.
 */

import type { HookEvent } from "../../chart/render/manifests.ts";
import { goJsonTime } from "../release/go-time.ts";
import type { Hook, Release } from "../release/release.ts";
import type { ActionContext, Resource } from "./context.ts";
import { toResources } from "./resources.ts";

/** Parse a hook's manifest into the resource to create. */
export function hookResource(hook: Hook): Resource {
  const manifest = {
    name: hook.path,
    content: hook.manifest,
    apiVersion: "",
    kind: hook.kind,
    metadataName: hook.name,
  };
  return toResources([manifest])[0]!;
}

function sortedHooks(rls: Release, event: HookEvent, only: (h: Hook) => boolean): Hook[] {
  return (rls.hooks ?? [])
    .filter((h) => h.events.includes(event) && only(h))
    .sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function policies(hook: Hook): string[] {
  return hook.delete_policies?.length ? hook.delete_policies : ["before-hook-creation"];
}

/**
 * Run the hooks of `event`; throws (after applying `hook-failed` deletion) when one fails.
 * `timeoutMs` bounds the wait for each hook; `only` narrows the hooks run (`helm test --filter`).
 */
export async function runHooks(
  ctx: ActionContext,
  rls: Release,
  event: HookEvent,
  timeoutMs: number,
  only: (h: Hook) => boolean = () => true,
): Promise<void> {
  const hooks = sortedHooks(rls, event, only);
  for (const hook of hooks) {
    const resource = hookResource(hook);
    if (policies(hook).includes("before-hook-creation")) {
      const gone = await ctx.kube.delete([resource], "Background");
      if (gone.length > 0) await ctx.kube.waitDeleted(gone, timeoutMs);
    }
    hook.last_run = { started_at: goJsonTime(ctx.now()), phase: "Running" };
    try {
      await ctx.kube.apply([resource], {});
      await ctx.kube.waitReady([resource], { timeoutMs, jobsMustComplete: true });
    } catch (err) {
      hook.last_run = { ...hook.last_run, completed_at: goJsonTime(ctx.now()), phase: "Failed" };
      if (policies(hook).includes("hook-failed")) await ctx.kube.delete([resource], "Background");
      throw new Error(`${event} hook ${hook.path} failed: ${(err as Error).message}`);
    }
    hook.last_run = { ...hook.last_run, completed_at: goJsonTime(ctx.now()), phase: "Succeeded" };
  }
  const succeeded = hooks.filter((h) => policies(h).includes("hook-succeeded")).map(hookResource);
  if (succeeded.length > 0) await ctx.kube.delete(succeeded, "Background");
}
