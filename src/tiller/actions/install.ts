/**
 * Install: the story of a new release, as Helm 3/4 tells it. Check the name, render, record the
 * release as pending-install, install CRDs, refuse to adopt objects another owner has, run
 * pre-install hooks, apply, wait, run post-install hooks, and record deployed — or failed (and
 * with `atomic`, uninstall again). A failure never leaves the record pending.
 */
import { validateReleaseName } from "../release/name.ts";
import type { JsonValue, Release, StoredChart } from "../release/release.ts";
import type { ActionContext, RenderedRelease, Resource } from "./context.ts";
import { runHooks } from "./hooks.ts";
import { checkOwnership, hooksOf, joinManifests, stampOwnership, toResources } from "./resources.ts";

export interface InstallRequest {
  name: string;
  namespace: string;
  /** The chart as stored in the release record. */
  chart: StoredChart;
  /** The user's values (what `helm get values` shows). */
  config: { [key: string]: JsonValue };
  /** Render the chart for this release; called after the name checks. */
  render: () => Promise<RenderedRelease>;
  description?: string;
  labels?: Record<string, string>;
  /** Render and validate, store nothing, change nothing. */
  dryRun?: boolean;
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
}

/** Install a release; resolves to the stored release (or the would-be release on a dry run). */
export async function install(ctx: ActionContext, req: InstallRequest): Promise<Release> {
  validateReleaseName(req.name);
  const history = await ctx.storage.history(req.name);
  const newest = history[history.length - 1];
  if (newest) {
    const reusable = req.replace && (newest.info.status === "uninstalled" || newest.info.status === "failed");
    if (!reusable) throw new Error("cannot re-use a name that is still in use");
  }
  const rendered = await req.render();
  const now = ctx.now().toISOString();
  const rls: Release = {
    name: req.name,
    namespace: req.namespace,
    version: newest ? newest.version + 1 : 1,
    info: {
      first_deployed: now,
      last_deployed: now,
      status: "pending-install",
      description: "Initial install underway",
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
  const resources = toResources(rendered.manifests);
  const crds = req.skipCrds ? [] : toResources(rendered.crds);

  if (req.dryRun) {
    rls.info.description = "Dry run complete";
    return rls;
  }
  if (!req.takeOwnership) await checkOwnership(ctx.kube, resources, req.name, req.namespace, "install");
  await ctx.storage.create(rls);
  try {
    if (req.createNamespace) await ensureNamespace(ctx, req.namespace);
    if (crds.length > 0) {
      await ctx.kube.apply(crds, { force: true });
      await ctx.kube.waitReady(crds, { timeoutMs: 60_000 });
    }
    if (!req.disableHooks) await runHooks(ctx, rls, "pre-install", req.timeoutMs);
    await ctx.kube.apply(stampOwnership(resources, req.name, req.namespace), { force: req.forceConflicts });
    if (req.wait || req.atomic) {
      await ctx.kube.waitReady(resources, { timeoutMs: req.timeoutMs, jobsMustComplete: req.waitForJobs });
    }
    if (!req.disableHooks) await runHooks(ctx, rls, "post-install", req.timeoutMs);
  } catch (err) {
    return failInstall(ctx, rls, resources, req, err as Error);
  }
  rls.info.status = "deployed";
  rls.info.description = req.description || "Install complete";
  await ctx.storage.update(rls);
  await ctx.storage.prune(rls.name);
  return rls;
}

async function ensureNamespace(ctx: ActionContext, namespace: string): Promise<void> {
  const ns: Resource = {
    manifest: { name: "", content: "", apiVersion: "v1", kind: "Namespace", metadataName: namespace },
    object: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
  };
  if (!(await ctx.kube.get(ns.object))) await ctx.kube.apply([ns], {});
}

/** Record the failure (Helm's wording), and with `atomic` remove what was installed. */
async function failInstall(
  ctx: ActionContext,
  rls: Release,
  resources: Resource[],
  req: InstallRequest,
  err: Error,
): Promise<never> {
  rls.info.status = "failed";
  rls.info.description = `Release "${rls.name}" failed: ${err.message}`;
  await ctx.storage.update(rls);
  if (req.atomic) {
    ctx.log(`install of "${rls.name}" failed; uninstalling it because of --atomic`);
    try {
      await ctx.kube.delete([...resources].reverse(), "Background");
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
