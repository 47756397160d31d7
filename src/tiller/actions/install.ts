/**
 * Install: the story of a new release, as Helm 3/4 tells it. Check the name, render, record the
 * release as pending-install, refuse to adopt objects another owner has, deploy (CRDs, hooks,
 * apply, wait), and record deployed — or failed (and with `atomic`, uninstall again). A failure
 * never leaves the record pending.
 */
import { goJsonTime } from "../release/go-time.ts";
import { validateReleaseName } from "../release/name.ts";
import type { JsonValue, Release, StoredChart } from "../release/release.ts";
import type { ActionContext, RenderedRelease } from "./context.ts";
import { deploy, uninstallOrder } from "./deploy.ts";
import { withOperation } from "./operation.ts";
import { checkOwnership, hooksOf, joinManifests, toResources } from "./resources.ts";

export interface InstallRequest {
  name: string;
  namespace: string;
  /** The chart as stored in the release record. */
  chart: StoredChart;
  /** The user's values (what `helm get values` shows). */
  config: { [key: string]: JsonValue };
  /** Render the chart for this release (revision given); called after the name checks. */
  render: (revision: number) => Promise<RenderedRelease>;
  description?: string;
  labels?: Record<string, string>;
  /** Render (`client`) or render and build objects (`server`); store nothing, change nothing. */
  dryRun?: "client" | "server";
  /** Re-use the name of an uninstalled or failed release. */
  replace?: boolean;
  createNamespace?: boolean;
  wait?: boolean;
  waitForJobs?: boolean;
  timeoutMs: number;
  /** On failure, uninstall what was installed (`--atomic` / `--rollback-on-failure`). */
  atomic?: boolean;
  skipCrds?: boolean;
  disableHooks?: boolean;
  takeOwnership?: boolean;
  forceConflicts?: boolean;
  /** Replace existing objects whole (PUT) instead of applying (`--force-replace`). */
  forceReplace?: boolean;
}

/** Install a release; resolves to the stored release (or the would-be release on a dry run). */
export async function install(ctx: ActionContext, req: InstallRequest): Promise<Release> {
  validateReleaseName(req.name);
  if (req.dryRun) {
    const history = await ctx.storage.history(req.name);
    return prepare(req, history, await req.render(nextRevision(history)), ctx.now()).rls;
  }
  return withOperation(ctx, req.name, req.namespace, async (history) => {
    const rendered = await req.render(nextRevision(history));
    const { rls, resources, crds } = prepare(req, history, rendered, ctx.now());
    if (!req.takeOwnership) await checkOwnership(ctx.kube, resources, req.name, req.namespace, "install");
    if (req.createNamespace) await ensureNamespace(ctx, req.namespace);
    await ctx.storage.create(rls);
    try {
      await deploy(ctx, {
        rls,
        resources,
        removed: [],
        crds,
        hooks: req.disableHooks ? null : { pre: "pre-install", post: "post-install" },
        wait: req.wait === true || req.atomic === true,
        waitForJobs: req.waitForJobs === true,
        timeoutMs: req.timeoutMs,
        forceConflicts: req.forceConflicts === true,
        forceReplace: req.forceReplace === true,
      });
    } catch (err) {
      return failInstall(ctx, rls, resources, req, err as Error);
    }
    rls.info.status = "deployed";
    rls.info.description = req.description || "Install complete";
    await ctx.storage.update(rls);
    await ctx.storage.prune(rls.name);
    return rls;
  });
}

function nextRevision(history: Release[]): number {
  const newest = history[history.length - 1];
  return newest ? newest.version + 1 : 1;
}

function prepare(req: InstallRequest, history: Release[], rendered: RenderedRelease, now: Date) {
  const newest = history[history.length - 1];
  if (newest) {
    const reusable = req.replace && (newest.info.status === "uninstalled" || newest.info.status === "failed");
    if (!reusable) throw new Error("release name check failed: cannot reuse a name that is still in use");
  }
  const at = goJsonTime(now);
  const rls: Release = {
    name: req.name,
    namespace: req.namespace,
    version: nextRevision(history),
    info: {
      first_deployed: at,
      last_deployed: at,
      status: "pending-install",
      description: req.dryRun ? "Dry run complete" : "Initial install underway",
      notes: rendered.notes,
    },
    chart: req.chart,
    config: req.config,
    manifest: joinManifests(rendered.manifests),
    hooks: req.disableHooks ? [] : hooksOf(rendered.hooks),
    apply_method: "ssa",
    ...(req.labels && Object.keys(req.labels).length > 0 ? { labels: req.labels } : {}),
  };
  if (rls.hooks?.length === 0) delete rls.hooks;
  // A client-side dry run only renders, as Helm's: objects are not built.
  const build = (m: typeof rendered.manifests) => (req.dryRun === "client" ? [] : toResources(m));
  return { rls, resources: build(rendered.manifests), crds: req.skipCrds ? [] : build(rendered.crds) };
}

async function ensureNamespace(ctx: ActionContext, namespace: string): Promise<void> {
  const object = { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } };
  if (await ctx.kube.get(object)) return;
  const manifest = { name: "", content: "", apiVersion: "v1", kind: "Namespace", metadataName: namespace };
  await ctx.kube.apply([{ manifest, object }], {});
}

/** Record the failure (Helm's wording), and with `atomic` remove what was installed. */
async function failInstall(
  ctx: ActionContext,
  rls: Release,
  resources: ReturnType<typeof toResources>,
  req: InstallRequest,
  err: Error,
): Promise<never> {
  rls.info.status = "failed";
  rls.info.description = `Release "${rls.name}" failed: ${err.message}`;
  await ctx.storage.update(rls);
  if (req.atomic) {
    ctx.log(`install of "${rls.name}" failed; uninstalling it because of --atomic`);
    try {
      await ctx.kube.delete(uninstallOrder(resources), "Background");
      await ctx.storage.delete(rls.name, rls.version);
    } catch (cleanupErr) {
      throw new Error(
        `an error occurred while uninstalling the release. original install error: ${err.message}: ${(cleanupErr as Error).message}`,
      );
    }
    throw new Error(
      `release ${rls.name} failed, and has been uninstalled due to rollback-on-failure being set: ${err.message}`,
    );
  }
  throw err;
}
