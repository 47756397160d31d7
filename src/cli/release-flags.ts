/**
 * Flags install and upgrade share (Helm 4's names and defaults), and their translation into the
 * release service's deploy options.
 */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import { parseGoDuration } from "../repo/duration.ts";
import type { DeployOptions } from "../tiller/service.ts";
import { addChartSourceFlags } from "./chart-arg.ts";
import { UserError } from "./errors.ts";
import { logToStderr } from "./log.ts";
import { addPostRendererFlags, postRendererOf } from "./post-renderer-flag.ts";
import { collect, warnDeprecated } from "./program.ts";
import { addValuesFlags } from "./values-flags.ts";

/** Declare the shared flags (values flags included). */
export function addDeployFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  warnDeprecated(cmd, "atomic", "use --rollback-on-failure instead");
  return addChartSourceFlags(addPostRendererFlags(addValuesFlags(cmd)))
    .option("--create-namespace", "create the release namespace if not present")
    .option("--description <string>", "add a custom description")
    .option(
      "--dry-run [string]",
      'simulates the operation without persisting changes. Must be one of: "none" (default), "client", or "server"',
    )
    .option("--force-conflicts", "if set server-side apply will force changes against conflicts")
    .option("--force-replace", "force resource updates by replacement")
    .option("--hide-notes", "if set, do not show notes in the output")
    .option("--hide-secret", "hide Kubernetes Secrets when also using the --dry-run flag")
    .option("-l, --labels <stringToString>", "Labels that would be added to release metadata", collect)
    .option("--no-hooks", "prevent hooks from running")
    .option(
      "-o, --output <format>",
      "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
      "table",
    )
    .option("--render-subchart-notes", "if set, render subchart notes along with the parent")
    .option("--rollback-on-failure", "if set, Helm will roll back (or uninstall) upon failure")
    .option("--atomic", "deprecated: use --rollback-on-failure")
    .option("--skip-crds", "if set, no CRDs will be installed")
    .option("--skip-schema-validation", "if set, disables JSON schema validation")
    .option(
      "--take-ownership",
      "if set, ignore the check for helm annotations and take ownership of the existing resources",
    )
    .option(
      "--timeout <duration>",
      "time to wait for any individual Kubernetes operation (like Jobs for hooks)",
      "5m0s",
    )
    .option(
      "--wait [strategy]",
      "if specified, wait until resources are ready (up to --timeout). Values: 'watcher', 'hookOnly', and 'legacy'.",
    )
    .option("--wait-for-jobs", "if set and --wait enabled, will wait until all Jobs have been completed")
    .option("--server-side <string>", "object updates run in the server instead of the client")
    .option("--disable-openapi-validation", "do not validate rendered templates against the OpenAPI schema")
    .option("--enable-dns", "enable DNS lookups when rendering templates")
    .option("--dependency-update", "update dependencies if they are missing before installing the chart");
}

export interface DeployFlags {
  createNamespace?: boolean;
  description?: string;
  dryRun?: string | boolean;
  forceConflicts?: boolean;
  forceReplace?: boolean;
  labels?: string[];
  postRenderer?: string;
  postRendererArgs?: string[];
  hooks?: boolean;
  renderSubchartNotes?: boolean;
  rollbackOnFailure?: boolean;
  atomic?: boolean;
  skipCrds?: boolean;
  skipSchemaValidation?: boolean;
  takeOwnership?: boolean;
  timeout?: string;
  wait?: string | boolean;
  waitForJobs?: boolean;
}

/** `--dry-run` as the service understands it; bare `--dry-run` means client, as in Helm 3. */
export function dryRunMode(v: string | boolean | undefined): DeployOptions["dryRun"] {
  if (v === undefined || v === false || v === "none" || v === "false") return undefined;
  if (v === true || v === "unset") {
    logToStderr("WARN", "--dry-run is deprecated and should be replaced with '--dry-run=client'");
    return "client";
  }
  if (v === "client" || v === "true") return "client";
  if (v === "server") return "server";
  throw new UserError(`invalid dry-run value (${v}). Must be "none", "server", or "client"`);
}

/** Milliseconds of `--timeout`. */
export function timeoutMs(v: string | undefined): number {
  try {
    return parseGoDuration(v ?? "5m0s");
  } catch (err) {
    throw new UserError(`invalid argument "${v}" for "--timeout" flag: ${(err as Error).message}`);
  }
}

/** Whether `--wait[=strategy]` asks to wait for resources (hookOnly waits only for hooks). */
function waitsForResources(v: string | boolean | undefined): boolean {
  if (v === undefined || v === false || v === "hookOnly") return false;
  if (v === true || v === "watcher" || v === "legacy") return true;
  throw new UserError(`invalid wait strategy "${v}": must be one of watcher, hookOnly, legacy`);
}

/** `-l a=b,c=d` (repeatable) as a map; Helm's stringToString rules. */
export function parseLabels(items: string[] | undefined): Record<string, string> | undefined {
  if (!items?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of items) {
    for (const pair of item.split(",")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      if (eq <= 0)
        throw new UserError(
          `invalid argument "${item}" for "-l, --labels" flag: ${pair} must be formatted as key=value`,
        );
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return out;
}

/** The deploy options for the service, minus chart, values and namespace. */
export function deployFlags(f: DeployFlags, pluginsDirectory: string) {
  const atomic = f.rollbackOnFailure === true || f.atomic === true;
  return {
    dryRun: dryRunMode(f.dryRun),
    wait: waitsForResources(f.wait) || atomic,
    waitForJobs: f.waitForJobs === true,
    timeoutMs: timeoutMs(f.timeout),
    atomic,
    skipCrds: f.skipCrds === true,
    disableHooks: f.hooks === false,
    takeOwnership: f.takeOwnership === true,
    forceConflicts: f.forceConflicts === true,
    forceReplace: f.forceReplace === true,
    description: f.description,
    labels: parseLabels(f.labels),
    subchartNotes: f.renderSubchartNotes === true,
    skipSchemaValidation: f.skipSchemaValidation === true,
    postRender: postRendererOf(f, pluginsDirectory),
  };
}
