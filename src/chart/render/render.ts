/**
 * Rendering a chart for a release, as Helm's engine does: dependencies processed, values
 * coalesced, every template of the chart and its subcharts parsed into one set (subcharts first,
 * so the parent's definitions win), each non-partial template executed with its own chart's
 * `.Values`, `.Chart`, `.Files` and `.Template`, and `<no value>` removed from the output.
 */
import type { Chart } from "../chart.ts";
import { isLibraryChart } from "../chart.ts";
import { buildFuncMap, type FuncMapOptions } from "../engine/funcs/index.ts";
import { TemplateSet } from "../engine/index.ts";
import { LIQUID_ANNOTATION, LIQUID_SUFFIX, LiquidRenderer, loadLiquid } from "../engine/liquid.ts";
import { type GoMap, type GoValue, isGoMap, newGoMap, typedList } from "../engine/value.ts";
import type { ValuesLog } from "../values/coalesce.ts";
import { computeValues } from "../values/compute.ts";
import { prepareSchemaValidation } from "../values/schema.ts";
import { type Capabilities, type ReleaseInput, releaseObject, templateObject } from "./builtins.ts";
import { filesObject } from "./files.ts";

export interface RenderOptions extends FuncMapOptions {
  release: ReleaseInput;
  capabilities: Capabilities;
  /** The user's values (from -f and --set), before coalescing. */
  values: GoMap;
  /** `missingkey=error`. */
  strict?: boolean;
  /** Render NOTES.txt of subcharts too (`--render-subchart-notes`). */
  subchartNotes?: boolean;
  /** Where Helm's values warnings go. */
  log?: ValuesLog;
  /** `--skip-schema-validation`. */
  skipSchemaValidation?: boolean;
  /** Where compiled values.schema.json validators are kept between runs. */
  schemaCacheDir?: string;
}

export interface RenderResult {
  /** Rendered templates by chart-qualified path (partials and NOTES.txt excluded). */
  files: Map<string, string>;
  /** The top chart's NOTES.txt (plus subcharts' with subchartNotes). */
  notes: string;
  /** The coalesced values of the top chart. */
  values: GoMap;
  /** The chart after dependency processing (disabled subcharts removed, aliases applied). */
  chart: Chart;
}

interface TemplateJob {
  /** Chart-qualified path, e.g. `app/charts/db/templates/svc.yaml`. */
  path: string;
  source: string;
  chart: Chart;
  values: GoMap;
  basePath: string;
  isRoot: boolean;
}

/** `.Chart` as Helm 4 gives it: a map of Chart.yaml's fields with Go's names. */
function chartObject(chart: Chart, isRoot: boolean): GoMap {
  const md = chart.metadata;
  const m = newGoMap();
  const list = (v: unknown): GoValue[] => (Array.isArray(v) ? (v as GoValue[]) : []);
  m.APIVersion = md.apiVersion ?? "";
  m.Annotations = (md.annotations as GoMap | undefined) ?? newGoMap();
  m.AppVersion = md.appVersion ?? "";
  m.Condition = md.condition ?? "";
  m.Dependencies = list(md.dependencies);
  m.Deprecated = md.deprecated ?? false;
  m.Description = md.description ?? "";
  m.Home = md.home ?? "";
  m.Icon = md.icon ?? "";
  m.IsRoot = isRoot;
  m.Keywords = typedList(list(md.keywords).map(String), "string");
  m.KubeVersion = md.kubeVersion ?? "";
  m.Maintainers = list(md.maintainers);
  m.Name = md.name;
  m.Sources = typedList(list(md.sources).map(String), "string");
  m.Tags = md.tags ?? "";
  m.Type = md.type ?? "";
  m.Version = md.version;
  return m;
}

function collectJobs(
  chart: Chart,
  values: GoMap,
  prefix: string,
  isRoot: boolean,
  jobs: TemplateJob[],
): void {
  for (const t of chart.templates) {
    jobs.push({
      path: `${prefix}/${t.name}`,
      source: Buffer.from(t.data).toString("utf8"),
      chart,
      values,
      basePath: `${prefix}/templates`,
      isRoot,
    });
  }
  for (const sub of chart.dependencies) {
    const section = values[sub.metadata.name];
    collectJobs(
      sub,
      isGoMap(section) ? section : newGoMap(),
      `${prefix}/charts/${sub.metadata.name}`,
      false,
      jobs,
    );
  }
}

/** `.Files` objects, built once per chart. */
function filesByChart(chart: Chart, out = new Map<Chart, GoMap>()): Map<Chart, GoMap> {
  out.set(chart, filesObject(chart.files));
  for (const sub of chart.dependencies) filesByChart(sub, out);
  return out;
}

/** Liquid templates: a `.liquid` file, or any template of a chart annotated `helm-ts/engine: liquid`. */
function isLiquid(job: TemplateJob): boolean {
  const annotations = job.chart.metadata.annotations as Record<string, unknown> | undefined;
  return job.path.endsWith(LIQUID_SUFFIX) || annotations?.[LIQUID_ANNOTATION] === "liquid";
}

/** Whether the chart or a subchart has Liquid templates. */
function usesLiquid(chart: Chart): boolean {
  const annotations = chart.metadata.annotations as Record<string, unknown> | undefined;
  return (
    annotations?.[LIQUID_ANNOTATION] === "liquid" ||
    chart.templates.some((t) => t.name.endsWith(LIQUID_SUFFIX)) ||
    chart.dependencies.some(usesLiquid)
  );
}

/**
 * Load what rendering this chart needs, and only that: liquidjs for Liquid charts, ajv's compiler
 * for schemas without a cached validator. Await it before {@link renderChart}.
 */
export async function prepareRender(
  chart: Chart,
  opts: Pick<RenderOptions, "schemaCacheDir" | "skipSchemaValidation">,
): Promise<void> {
  if (usesLiquid(chart)) await loadLiquid();
  if (!opts.skipSchemaValidation) await prepareSchemaValidation(chart, opts.schemaCacheDir);
}

/** One Liquid renderer per chart, whose partials are that chart's Liquid templates (by name in templates/). */
function liquidRenderers(jobs: readonly TemplateJob[]): Map<Chart, LiquidRenderer> {
  const partials = new Map<Chart, Map<string, string>>();
  for (const job of jobs) {
    if (!isLiquid(job)) continue;
    const own = partials.get(job.chart) ?? new Map<string, string>();
    own.set(job.path.slice(job.basePath.length + 1), job.source);
    partials.set(job.chart, own);
  }
  return new Map([...partials].map(([chart, own]) => [chart, new LiquidRenderer(own)]));
}

function isPartial(path: string): boolean {
  return path.slice(path.lastIndexOf("/") + 1).startsWith("_");
}

/** Render every template of a chart for a release. */
export function renderChart(input: Chart, opts: RenderOptions): RenderResult {
  const { chart, values } = computeValues(input, opts.values, {
    log: opts.log,
    skipSchemaValidation: opts.skipSchemaValidation,
    schemaCacheDir: opts.schemaCacheDir,
  });
  return renderComputed(chart, values, opts);
}

/** Render a chart whose dependencies are processed and whose values are final (`opts.values` unused). */
export function renderComputed(
  chart: Chart,
  values: GoMap,
  opts: Omit<RenderOptions, "values">,
): RenderResult {
  const jobs: TemplateJob[] = [];
  collectJobs(chart, values, chart.metadata.name, true, jobs);
  // Deeper paths first, so a parent's `define` replaces a subchart's of the same name.
  jobs.sort(
    (a, b) =>
      b.path.split("/").length - a.path.split("/").length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );

  const set = new TemplateSet({ strict: opts.strict }).addFuncs(buildFuncMap(opts));
  for (const job of jobs) if (!isLiquid(job)) set.parse(job.path, job.source);
  const liquid = liquidRenderers(jobs);

  const release = releaseObject(opts.release);
  const files = filesByChart(chart);
  /** The context a chart's templates see; `.Subcharts.NAME` is each subchart's own context. */
  const contextOf = (c: Chart, vals: GoMap, isRoot: boolean): GoMap => {
    const d = newGoMap();
    d.Values = vals;
    d.Release = release;
    d.Chart = chartObject(c, isRoot);
    d.Capabilities = opts.capabilities;
    d.Files = files.get(c)!;
    const subcharts = newGoMap();
    for (const sub of c.dependencies) {
      const section = vals[sub.metadata.name];
      subcharts[sub.metadata.name] = contextOf(sub, isGoMap(section) ? section : newGoMap(), false);
    }
    d.Subcharts = subcharts;
    return d;
  };
  const dataFor = (job: TemplateJob): GoMap => {
    const d = contextOf(job.chart, job.values, job.isRoot);
    d.Template = templateObject(job.path, job.basePath);
    return d;
  };

  const byPath = (a: TemplateJob, b: TemplateJob) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const depth = (j: TemplateJob) => j.path.split("/").length;
  // A Liquid file renders under its name without the suffix.
  const outputPath = (j: TemplateJob) =>
    isLiquid(j) && j.path.endsWith(LIQUID_SUFFIX) ? j.path.slice(0, -LIQUID_SUFFIX.length) : j.path;
  // Helm executes deepest paths first and, at one depth, names in reverse order; the first
  // failure is the error reported. Results are then kept in path order.
  const outputs = new Map<TemplateJob, string>();
  for (const job of [...jobs].sort((a, b) => depth(b) - depth(a) || byPath(b, a))) {
    if (isPartial(job.path) || isLibraryChart(job.chart)) continue;
    if (outputPath(job).endsWith("/templates/NOTES.txt") && !job.isRoot && !opts.subchartNotes) continue;
    outputs.set(
      job,
      isLiquid(job)
        ? liquid.get(job.chart)!.render(job.path, job.source, dataFor(job))
        : set.execute(job.path, dataFor(job)).replaceAll("<no value>", ""),
    );
  }
  const rendered = new Map<string, string>();
  const notes: string[] = [];
  for (const [job, out] of [...outputs].sort(([a], [b]) => byPath(a, b))) {
    const path = outputPath(job);
    if (path.endsWith("/templates/NOTES.txt")) notes.push(out);
    else rendered.set(path, out);
  }
  return { files: rendered, notes: notes.join("\n"), values, chart };
}
