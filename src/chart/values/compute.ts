/**
 * The values pipeline Helm runs before rendering a release (install, upgrade, template): check
 * that declared dependencies are present, process dependencies (conditions, tags, aliases,
 * import-values), coalesce the user's values with every chart's defaults, and validate each
 * chart's values against its `values.schema.json`. Errors carry Helm's wording and wrapping.
 */
import type { Chart } from "../chart.ts";
import { missingDependencies, processDependencies } from "../dependencies.ts";
import { type GoMap, isGoMap, newGoMap } from "../engine/value.ts";
import { coalesceValues, silentLog, type ValuesLog } from "./coalesce.ts";
import { validateValuesAgainstSchemas } from "./schema.ts";

export interface ComputeValuesOptions {
  /** Receives Helm's log lines (coalesce warnings, non-bool conditions…). */
  log?: ValuesLog;
  /** `--skip-schema-validation`. */
  skipSchemaValidation?: boolean;
  /** Skip the "missing in charts/ directory" check (Helm skips it when `--dependency-update` runs). */
  skipDependencyCheck?: boolean;
  /** Where compiled values.schema.json validators are kept between runs (none: compile each time). */
  schemaCacheDir?: string;
}

export interface ComputedValues {
  /** The chart after dependency processing: disabled subcharts gone, aliases applied. */
  chart: Chart;
  /** The top chart's final `.Values`. */
  values: GoMap;
}

/** A values pipeline failure; the message is Helm's. */
export class ValuesPipelineError extends Error {
  override name = "ValuesPipelineError";
}

/** Declared dependencies are missing from `charts/` (checked before rendering starts). */
export class MissingDependenciesError extends ValuesPipelineError {
  override name = "MissingDependenciesError";
}

/** Helm's CheckDependencies message, or null when every declared dependency is in `charts/`. */
export function checkDependencies(chart: Chart): string | null {
  const missing = missingDependencies(chart);
  if (missing.length === 0) return null;
  return `found in Chart.yaml, but missing in charts/ directory: ${missing.join(", ")}`;
}

/** Compute the final values for rendering `chart` with the user's values. */
export function computeValues(
  chart: Chart,
  userValues: GoMap | null,
  opts: ComputeValuesOptions = {},
): ComputedValues {
  try {
    return computeValuesUnguarded(chart, userValues, opts);
  } catch (err) {
    // Pathologically deep values exhaust the stack while being copied or merged.
    if (err instanceof RangeError) throw new ValuesPipelineError("values are too deeply nested");
    throw err;
  }
}

function computeValuesUnguarded(
  chart: Chart,
  userValues: GoMap | null,
  opts: ComputeValuesOptions,
): ComputedValues {
  const log = opts.log ?? silentLog;
  if (!opts.skipDependencyCheck) {
    const missing = checkDependencies(chart);
    if (missing !== null) {
      throw new MissingDependenciesError(
        `an error occurred while checking for chart dependencies. You may need to run \`helm dependency build\` to fetch missing dependencies: ${missing}`,
      );
    }
  }
  let processed: Chart;
  try {
    processed = processDependencies(chart, userValues, log);
  } catch (err) {
    log("ERROR", "chart dependencies processing failed", [["error", (err as Error).message]]);
    throw new ValuesPipelineError(`chart dependencies processing failed: ${(err as Error).message}`);
  }
  let values: GoMap;
  try {
    values = coalesceValues(processed, userValues, log);
  } catch (err) {
    throw new ValuesPipelineError((err as Error).message);
  }
  if (!opts.skipSchemaValidation) {
    const problem = validateValuesAgainstSchemas(processed, values, opts.schemaCacheDir);
    if (problem !== null) throw new ValuesPipelineError(problem);
  }
  return { chart: processed, values };
}

/** One chart of a processed tree with the `.Values` its templates see. */
export interface ChartScope {
  chart: Chart;
  /** `""` for the top chart, `charts/a/charts/b` below it. */
  path: string;
  values: GoMap;
}

/**
 * Every chart of a processed tree with its `.Values`: the top chart gets `values`, a subchart its
 * parent's section under its name (an empty map when that is not a map).
 */
export function chartScopes(chart: Chart, values: GoMap, path = ""): ChartScope[] {
  const out: ChartScope[] = [{ chart, path, values }];
  for (const sub of chart.dependencies) {
    const section = values[sub.metadata.name];
    const subPath = path === "" ? `charts/${sub.metadata.name}` : `${path}/charts/${sub.metadata.name}`;
    out.push(...chartScopes(sub, section !== undefined && isGoMap(section) ? section : newGoMap(), subPath));
  }
  return out;
}
