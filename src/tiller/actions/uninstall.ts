/**
 * Uninstall: mark the release uninstalling, run pre-delete hooks, delete its objects in reverse
 * install order (except those annotated `helm.sh/resource-policy: keep`), run post-delete hooks,
 * then either keep the history as uninstalled or purge every revision — as Helm 3/4 does.
 */
import { goJsonTime } from "../release/go-time.ts";
import type { Release } from "../release/release.ts";
import type { ActionContext, Resource } from "./context.ts";
import { uninstallOrder } from "./deploy.ts";
import { runHooks } from "./hooks.ts";
import { withOperation } from "./operation.ts";
import { isKept, recordResources } from "./resources.ts";

export interface UninstallRequest {
  name: string;
  namespace: string;
  keepHistory?: boolean;
  disableHooks?: boolean;
  /** `background` (default), `foreground` or `orphan`. */
  cascade?: "background" | "foreground" | "orphan";
  wait?: boolean;
  timeoutMs: number;
  dryRun?: boolean;
  description?: string;
  /** Succeed when the release does not exist. */
  ignoreNotFound?: boolean;
}

export interface UninstallResult {
  release: Release;
  /** Objects left in place because of `helm.sh/resource-policy: keep`. */
  kept: Resource[];
  /** Set when the release did not exist and `ignoreNotFound` was given. */
  notFound?: boolean;
}

const POLICY = { background: "Background", foreground: "Foreground", orphan: "Orphan" } as const;

export async function uninstall(ctx: ActionContext, req: UninstallRequest): Promise<UninstallResult> {
  const history = await ctx.storage.history(req.name);
  const newest = history[history.length - 1];
  if (!newest) {
    if (req.ignoreNotFound) return { release: emptyRelease(req), kept: [], notFound: true };
    throw new Error(`uninstall: Release not loaded: ${req.name}: release: not found`);
  }
  if (req.dryRun) return { release: newest, kept: recordResources(newest.manifest).filter(isKept) };
  if (newest.info.status === "uninstalled") {
    if (!req.keepHistory) {
      await withOperation(ctx, req.name, req.namespace, async (h) => purge(ctx, h));
      return { release: newest, kept: [] };
    }
    throw new Error(`the release named "${req.name}" is already deleted`);
  }
  return withOperation(ctx, req.name, req.namespace, async (h) => {
    const rls = h[h.length - 1]!;
    rls.info.status = "uninstalling";
    rls.info.deleted = goJsonTime(ctx.now());
    rls.info.description = "Deletion in progress (or silently failed)";
    await ctx.storage.update(rls);
    if (!req.disableHooks) await runHooks(ctx, rls, "pre-delete", req.timeoutMs);
    const all = recordResources(rls.manifest);
    const doomed = uninstallOrder(all.filter((r) => !isKept(r)));
    const deleted = await ctx.kube.delete(doomed, POLICY[req.cascade ?? "background"]);
    if (req.wait) await ctx.kube.waitDeleted(deleted, req.timeoutMs);
    if (!req.disableHooks) await runHooks(ctx, rls, "post-delete", req.timeoutMs);
    rls.info.status = "uninstalled";
    rls.info.description = req.description || "Uninstallation complete";
    if (req.keepHistory) await ctx.storage.update(rls);
    else await purge(ctx, h);
    return { release: rls, kept: all.filter(isKept) };
  });
}

async function purge(ctx: ActionContext, history: Release[]): Promise<void> {
  for (const r of history) await ctx.storage.delete(r.name, r.version);
}

function emptyRelease(req: UninstallRequest): Release {
  return {
    name: req.name,
    namespace: req.namespace,
    version: 0,
    info: { status: "unknown" },
    chart: { metadata: {}, lock: null, templates: null, values: null, schema: null, files: null },
    manifest: "",
  };
}
