/** `helm upgrade [RELEASE] [CHART]`: upgrade a release to a new chart or new values (`--install` to create it). */
import type { Command } from "@commander-js/extra-typings";
import { loadChartArg } from "../cli/chart-arg.ts";
import { updateMissingDependencies } from "../cli/dependency-update.ts";
import { UserError } from "../cli/errors.ts";
import { defineCommand, intFlag, settingsOf, warnDeprecated } from "../cli/program.ts";
import { addDeployFlags, deployFlags } from "../cli/release-flags.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { userValues } from "../cli/values-flags.ts";
import { writeDiff } from "./diff-output.ts";
import { outputFormat, printRelease } from "./release-output.ts";

const LONG = `This command upgrades a release to a new version of a chart.

The upgrade arguments must be a release and chart. The chart
argument can be either: a chart reference('example/mariadb'), a path to a chart directory,
a packaged chart, or a fully qualified URL. For chart references, the latest
version will be specified unless the '--version' flag is set.

To override values in a chart, use either the '--values' flag and pass in a file
or use the '--set' flag and pass configuration from the command line, to force string
values, use '--set-string'.`;

export function registerUpgrade(root: Command): void {
  const cmd = addDeployFlags(
    defineCommand(root, {
      use: "upgrade [RELEASE] [CHART]",
      short: "upgrade a release",
      long: LONG,
      args: { exactly: 2 },
    }),
  )
    .option("-i, --install", "if a release by this name doesn't already exist, run an install")
    .option("--reuse-values", "when upgrading, reuse the last release's values and merge in any overrides")
    .option("--reset-values", "when upgrading, reset the values to the ones built into the chart")
    .option(
      "--reset-then-reuse-values",
      "when upgrading, reset the values to the ones built into the chart, apply the last release's values and merge in any overrides",
    )
    .option("--cleanup-on-fail", "allow deletion of new resources created in this upgrade when upgrade fails")
    .option(
      "--history-max <int>",
      "limit the maximum number of revisions saved per release. Use 0 for no limit",
      intFlag("--history-max"),
      10,
    )
    .option("--force", "deprecated: use --force-replace")
    .option(
      "--diff",
      "print what the upgrade changes, object by object (as 'helm diff upgrade'); with --dry-run, print only that",
    );
  warnDeprecated(cmd, "force", "use --force-replace instead");
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const format = outputFormat(opts.output);
    const [name, chartRef] = args as [string, string];
    const service = await releaseService(settings);
    const namespace = await releaseNamespace(settings);
    const flags = deployFlags(opts, settings.pluginsDirectory);
    if (opts.force) flags.forceReplace = true;
    const show = { showManifest: flags.dryRun !== undefined, hideNotes: opts.hideNotes };
    const chart = await (async () => {
      if (opts.dependencyUpdate) await updateMissingDependencies(chartRef, opts, settings);
      return loadChartArg(chartRef, opts, settings);
    })().catch((err: Error) => {
      throw new UserError(`${opts.install ? "INSTALLATION" : "UPGRADE"} FAILED: ${err.message}`);
    });
    const values = await userValues(opts);
    const upgradeOpts = {
      ...flags,
      name,
      namespace,
      chart,
      values,
      reuseValues: opts.reuseValues === true,
      resetValues: opts.resetValues === true,
      resetThenReuseValues: opts.resetThenReuseValues === true,
      cleanupOnFail: opts.cleanupOnFail === true,
      maxHistory: opts.historyMax,
    };
    if (opts.diff) {
      const changes = await service
        .diffUpgrade({ ...upgradeOpts, install: opts.install === true })
        .catch((err: Error) => {
          throw new UserError(`${opts.install ? "INSTALLATION" : "UPGRADE"} FAILED: ${err.message}`);
        });
      writeDiff(changes, {});
      if (flags.dryRun) return;
    }
    if (opts.install && !(await hasLiveHistory(service, name, namespace))) {
      if (format === "table") process.stdout.write(`Release "${name}" does not exist. Installing it now.\n`);
      try {
        const rls = await service.install({
          ...flags,
          name,
          namespace,
          chart,
          values,
          replace: true,
          createNamespace: opts.createNamespace === true,
        });
        printRelease(rls, format, show);
        return;
      } catch (err) {
        throw new UserError(`INSTALLATION FAILED: ${(err as Error).message}`);
      }
    }
    try {
      const rls = await service.upgrade(upgradeOpts);
      if (format === "table") process.stdout.write(`Release "${name}" has been upgraded. Happy Helming!\n`);
      printRelease(rls, format, show);
    } catch (err) {
      throw new UserError(`UPGRADE FAILED: ${(err as Error).message}`);
    }
  });
}

/** True unless the release has no history or only an uninstalled newest revision (then `--install` installs). */
async function hasLiveHistory(
  service: Awaited<ReturnType<typeof releaseService>>,
  name: string,
  namespace: string,
): Promise<boolean> {
  try {
    const history = await service.history(name, namespace);
    return history[history.length - 1]?.info.status !== "uninstalled";
  } catch (err) {
    if ((err as Error).message === "release: not found") return false;
    throw err;
  }
}
