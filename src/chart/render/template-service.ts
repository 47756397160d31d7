/** The service behind `helm template`: load, render, sort and print a chart without a cluster. */
import { existsSync } from "node:fs";
import type { Chart } from "../chart.ts";
import { seededRandom } from "../engine/random.ts";
import type { GoMap } from "../engine/value.ts";
import { loadChart } from "../loader.ts";
import type { ValuesLog } from "../values/coalesce.ts";
import { MissingDependenciesError } from "../values/compute.ts";
import { capabilities, type HelmBuildInfo } from "./builtins.ts";
import { formatRenderError } from "./errors.ts";
import { printManifests, type SortedManifests, sortManifests } from "./manifests.ts";
import { crdManifests, templateOutput } from "./output.ts";
import { type PostRenderer, postRenderFiles } from "./post-render.ts";
import { prepareRender, renderChart } from "./render.ts";

export interface TemplateRequest {
  chartPath: string;
  /** The chart, when the caller already loaded it (e.g. pulled from a registry). */
  chart?: Chart;
  releaseName?: string;
  generateName: boolean;
  namespace: string;
  values: GoMap;
  kubeVersion?: string;
  apiVersions?: string[];
  isUpgrade: boolean;
  showOnly?: string[];
  includeCrds: boolean;
  skipTests: boolean;
  noHooks: boolean;
  randomSeed?: string;
  /** `--post-renderer`. */
  postRender?: PostRenderer;
  /** Where warnings go (Helm logs them to stderr). */
  log?: ValuesLog;
  helm: HelmBuildInfo;
  /** Where compiled values.schema.json validators are kept between runs. */
  schemaCacheDir?: string;
}

/** The chart loaded but rendering it failed: Helm points such errors at `--debug`. */
export class RenderFailure extends Error {
  override name = "RenderFailure";
}

export interface TemplateResult {
  releaseName: string;
  /** Everything, as printed to stdout. */
  text: string;
  /** Per template file, for `--output-dir`. */
  byFile: Map<string, string>;
}

/** Render a chart as `helm template` does; errors are worded as Helm's. */
export async function renderTemplate(req: TemplateRequest): Promise<TemplateResult> {
  if (!req.chart && !existsSync(req.chartPath)) {
    const repo = req.chartPath.split("/")[0];
    throw new Error(
      req.chartPath.includes("/") ? `repo ${repo} not found` : `path "${req.chartPath}" not found`,
    );
  }
  const chart = req.chart ?? loadChart(req.chartPath);
  if (chart.metadata.deprecated) req.log?.("WARN", "this chart is deprecated");
  const releaseName =
    req.releaseName ??
    (req.generateName ? `${chart.metadata.name}-${Math.floor(Date.now() / 1000)}` : "release-name");
  const caps = capabilities({
    kubeVersion: req.kubeVersion,
    extraApiVersions: req.apiVersions,
    helm: req.helm,
  });
  await prepareRender(chart, req);
  let files: ReadonlyMap<string, string>;
  let sorted: SortedManifests;
  // The chart as rendered: subcharts disabled by conditions or tags are gone.
  let rendered: Chart;
  try {
    const result = renderChart(chart, {
      release: {
        name: releaseName,
        namespace: req.namespace,
        revision: 1,
        isInstall: !req.isUpgrade,
        isUpgrade: req.isUpgrade,
      },
      capabilities: caps,
      values: req.values,
      random: req.randomSeed !== undefined ? seededRandom(req.randomSeed) : undefined,
      log: req.log,
      schemaCacheDir: req.schemaCacheDir,
    });
    rendered = result.chart;
    files = req.postRender ? await postRenderFiles(result.files, req.postRender) : result.files;
    sorted = sortManifests(files);
  } catch (err) {
    // Helm checks dependencies before it renders: that error is not a render failure.
    if (err instanceof MissingDependenciesError) throw err;
    throw new RenderFailure(formatRenderError(err));
  }
  const text = templateOutput(sorted, rendered, {
    showOnly: req.showOnly,
    includeCrds: req.includeCrds,
    skipTests: req.skipTests,
    noHooks: req.noHooks,
  });
  const byFile = new Map<string, string>();
  for (const m of [
    ...(req.includeCrds ? crdManifests(rendered) : []),
    ...sorted.manifests,
    ...(req.noHooks ? [] : sorted.hooks),
  ]) {
    byFile.set(m.name, (byFile.get(m.name) ?? "") + printManifests([m]));
  }
  return { releaseName, text, byFile };
}
