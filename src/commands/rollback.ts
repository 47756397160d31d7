/** `helm rollback <RELEASE> [REVISION]`: roll a release back to an earlier revision. */
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, intFlag, settingsOf, warnDeprecated } from "../cli/program.ts";
import { timeoutMs } from "../cli/release-flags.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";

const LONG = `This command rolls back a release to a previous revision.

The first argument of the rollback command is the name of a release, and the
second is a revision (version) number. If this argument is omitted or set to
0, it will roll back to the previous release.

To see revision numbers, run 'helm history RELEASE'.`;

export function registerRollback(root: Command): void {
  const cmd = defineCommand(root, {
    use: "rollback <RELEASE> [REVISION]",
    short: "roll back a release to a previous revision",
    long: LONG,
    args: { min: 1, max: 2 },
  })
    .option(
      "--cleanup-on-fail",
      "allow deletion of new resources created in this rollback when rollback fails",
    )
    .option("--dry-run [string]", "simulate a rollback")
    .option("--force-conflicts", "if set server-side apply will force changes against conflicts")
    .option("--force-replace", "force resource update through delete/recreate if needed")
    .option("--force", "deprecated: use --force-replace")
    .option(
      "--history-max <int>",
      "limit the maximum number of revisions saved per release. Use 0 for no limit",
      intFlag("--history-max"),
      10,
    )
    .option("--no-hooks", "prevent hooks from running during rollback")
    .option(
      "--recreate-pods",
      "performs pods restart for the resource if applicable (not supported; see README)",
    )
    .option("--server-side <string>", "object updates run in the server instead of the client")
    .option(
      "--timeout <duration>",
      "time to wait for any individual Kubernetes operation (like Jobs for hooks)",
      "5m0s",
    )
    .option("--wait [strategy]", "if specified, wait until resources are ready (up to --timeout)")
    .option("--wait-for-jobs", "if set and --wait enabled, will wait until all Jobs have been completed");
  warnDeprecated(cmd, "force", "use --force-replace instead");
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const [name, revArg] = args as [string, string | undefined];
    let revision = 0;
    if (revArg !== undefined) {
      revision = Number(revArg);
      if (!/^-?\d+$/.test(revArg))
        throw new UserError(
          `could not convert revision to a number: strconv.Atoi: parsing "${revArg}": invalid syntax`,
        );
    }
    const service = await releaseService(settings);
    await service.rollback({
      name,
      namespace: await releaseNamespace(settings),
      revision,
      wait: opts.wait !== undefined && opts.wait !== "hookOnly",
      waitForJobs: opts.waitForJobs === true,
      timeoutMs: timeoutMs(opts.timeout),
      disableHooks: opts.hooks === false,
      forceConflicts: opts.forceConflicts === true,
      forceReplace: opts.forceReplace === true || opts.force === true,
      cleanupOnFail: opts.cleanupOnFail === true,
      dryRun: opts.dryRun !== undefined && opts.dryRun !== "none",
      maxHistory: opts.historyMax,
    });
    process.stdout.write("Rollback was a success! Happy Helming!\n");
  });
}
