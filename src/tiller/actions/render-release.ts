/**
 * Rendering a chart for a release operation: `.Release` for this revision, `.Capabilities` from the
 * cluster, values coalesced, then the output split into install-ordered manifests, hooks, CRDs
 * and notes — what install and upgrade record and apply.
 */
import type { Chart } from "../../chart/chart.ts";
import type { FuncMapOptions } from "../../chart/engine/funcs/index.ts";
import type { GoMap } from "../../chart/engine/value.ts";
import type { Capabilities } from "../../chart/render/builtins.ts";
import { formatRenderError } from "../../chart/render/errors.ts";
import { sortManifests } from "../../chart/render/manifests.ts";
import { crdManifests } from "../../chart/render/output.ts";
import { type PostRenderer, postRenderFiles } from "../../chart/render/post-render.ts";
import { renderChart } from "../../chart/render/render.ts";

export { prepareRender } from "../../chart/render/render.ts";

import type { ValuesLog } from "../../chart/values/coalesce.ts";
import type { RenderedRelease } from "./context.ts";

export interface ReleaseRenderInput {
  chart: Chart;
  /** The user's values for this revision (before coalescing with the chart's). */
  values: GoMap;
  name: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  capabilities: Capabilities;
  subchartNotes?: boolean;
  skipSchemaValidation?: boolean;
  schemaCacheDir?: string;
  log?: ValuesLog;
  /** `lookup` against the cluster; Helm's empty map when absent. */
  lookup?: FuncMapOptions["lookup"];
}

/** Render for a release; template errors read as Helm's. */
export function renderRelease(input: ReleaseRenderInput): RenderedRelease {
  let result: ReturnType<typeof renderChart>;
  try {
    result = renderChart(input.chart, {
      release: {
        name: input.name,
        namespace: input.namespace,
        revision: input.revision,
        isInstall: !input.isUpgrade,
        isUpgrade: input.isUpgrade,
      },
      capabilities: input.capabilities,
      values: input.values,
      subchartNotes: input.subchartNotes,
      skipSchemaValidation: input.skipSchemaValidation,
      schemaCacheDir: input.schemaCacheDir,
      log: input.log,
      lookup: input.lookup,
    });
  } catch (err) {
    throw new Error(formatRenderError(err));
  }
  const { manifests, hooks } = sortManifests(result.files);
  return { manifests, hooks, notes: result.notes, crds: crdManifests(result.chart), files: result.files };
}

/** Run `--post-renderer` over a release's rendered files and sort what it returns, as Helm does. */
export async function postRendered(rendered: RenderedRelease, run: PostRenderer): Promise<RenderedRelease> {
  const files = await postRenderFiles(rendered.files, run);
  return { ...rendered, ...sortManifests(files), files };
}
