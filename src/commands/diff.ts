/**
 * `helm diff upgrade|rollback|revision`: what an upgrade, a rollback or a step between revisions
 * changes, object by object — built in (helm-diff's commands, flags and output).
 */
import type { Command } from "@commander-js/extra-typings";
import { addChartSourceFlags, loadChartArg } from "../cli/chart-arg.ts";
import { UserError } from "../cli/errors.ts";
import { addPostRendererFlags } from "../cli/post-renderer-flag.ts";
import { defineCommand, defineGroup, settingsOf } from "../cli/program.ts";
import { deployFlags } from "../cli/release-flags.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { addValuesFlags, userValues } from "../cli/values-flags.ts";
import { addDiffReportFlags, diffScope, reportFormat, writeDiff } from "./diff-output.ts";

const LONG = `Show a diff explaining what a helm upgrade, rollback or revision change does.

Each object that would be added, removed or changed is listed with a unified diff of its YAML
(Secret values masked unless --show-secrets). 'diff upgrade' compares the live objects in the
cluster with a server-side dry-run apply of the new revision, so fields the API server defaults
do not show as changes; 'diff rollback' and 'diff revision' compare stored manifests.`;

/** A REVISION argument as a number, with Helm's message for one that is not. */
function revisionArg(value: string): number {
  if (!/^-?\d+$/.test(value))
    throw new UserError(
      `could not convert revision to a number: strconv.Atoi: parsing "${value}": invalid syntax`,
    );
  return Number(value);
}

export function registerDiff(root: Command): void {
  const group = defineGroup(root, {
    use: "diff",
    short: "preview what an upgrade or a rollback changes, or compare revisions",
    long: LONG,
  });

  const upgrade = addDiffReportFlags(
    addChartSourceFlags(
      addPostRendererFlags(
        addValuesFlags(
          defineCommand(group, {
            use: "upgrade [RELEASE] [CHART]",
            short: "show a diff explaining what a helm upgrade would change",
            long: `Show a diff explaining what a helm upgrade would change.

This compares the live objects of the release with what the upgrade would apply
(a server-side dry run: nothing is changed).

Example:
  helm diff upgrade my-release ./mychart --set image.tag=1.2.3`,
            args: { exactly: 2 },
          }),
        ),
      ),
    ),
  )
    .option("--install", "treat a release that does not exist yet as empty: every object is added")
    .option("--allow-unreleased", "the same as --install")
    .option("--reuse-values", "reuse the last release's values and merge in any new values")
    .option("--reset-values", "reset the values to the ones built into the chart and merge in any new values")
    .option(
      "--reset-then-reuse-values",
      "reset the values to the ones built into the chart, apply the last release's values and merge in any new values",
    )
    .option("--force-conflicts", "compare as 'upgrade --force-conflicts' would apply")
    .option("--skip-schema-validation", "if set, disables JSON schema validation");
  upgrade.action(async (args, opts) => {
    reportFormat(opts);
    const settings = settingsOf(upgrade);
    const [name, chartRef] = args as [string, string];
    const chart = await loadChartArg(chartRef, opts, settings);
    const values = await userValues(opts);
    const service = await releaseService(settings);
    const changes = await service.diffUpgrade({
      ...deployFlags(opts, settings.pluginsDirectory),
      name,
      namespace: await releaseNamespace(settings),
      chart,
      values,
      reuseValues: opts.reuseValues === true,
      resetValues: opts.resetValues === true,
      resetThenReuseValues: opts.resetThenReuseValues === true,
      install: opts.install === true || opts.allowUnreleased === true,
      ...diffScope(opts),
    });
    writeDiff(changes, opts);
  });

  const rollback = addDiffReportFlags(
    defineCommand(group, {
      use: "rollback [RELEASE] [REVISION]",
      short: "show a diff explaining what a helm rollback would change",
      long: `Show a diff explaining what a helm rollback would change: the deployed revision's
manifests against the target revision's (default: the previous revision).

Example:
  helm diff rollback my-release 2`,
      args: { min: 1, max: 2 },
    }),
  );
  rollback.action(async (args, opts) => {
    reportFormat(opts);
    const settings = settingsOf(rollback);
    const [name, rev] = args as [string, string | undefined];
    const revision = rev === undefined ? 0 : revisionArg(rev);
    const service = await releaseService(settings);
    const changes = await service.diffRollback({
      name,
      namespace: await releaseNamespace(settings),
      revision,
      ...diffScope(opts),
    });
    writeDiff(changes, opts);
  });

  const revision = addDiffReportFlags(
    defineCommand(group, {
      use: "revision [RELEASE] REVISION1 [REVISION2]",
      short: "show a diff between two revisions of a release",
      long: `Show the changes between two revisions' stored manifests; with one revision, between it
and the newest revision.

Examples:
  helm diff revision my-release 2
  helm diff revision my-release 1 3`,
      args: { min: 2, max: 3 },
    }),
  );
  revision.action(async (args, opts) => {
    reportFormat(opts);
    const settings = settingsOf(revision);
    const [name, from, to] = args as [string, string, string | undefined];
    const service = await releaseService(settings);
    const changes = await service.diffRevisions({
      name,
      namespace: await releaseNamespace(settings),
      from: revisionArg(from),
      to: to === undefined ? undefined : revisionArg(to),
      ...diffScope(opts),
    });
    writeDiff(changes, opts);
  });
}
