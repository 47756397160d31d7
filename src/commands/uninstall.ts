/** `helm uninstall RELEASE_NAME [...]`: remove releases (and, unless `--keep-history`, their history). */
import { type Command, Option } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, settingsOf } from "../cli/program.ts";
import { timeoutMs } from "../cli/release-flags.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";

const LONG = `This command takes a release name and uninstalls the release.

It removes all of the resources associated with the last release of the chart
as well as the release history, freeing it up for future use.

Use the '--dry-run' flag to see which releases will be uninstalled without actually
uninstalling them.`;

const CASCADES = ["background", "foreground", "orphan"] as const;

export function registerUninstall(root: Command): void {
  const cmd = defineCommand(root, {
    use: "uninstall RELEASE_NAME [...]",
    aliases: ["del", "delete", "un"],
    short: "uninstall a release",
    long: LONG,
    args: { min: 1 },
  })
    .option(
      "--cascade <string>",
      'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents. Defaults to background.',
      "background",
    )
    .option("--description <string>", "add a custom description")
    .option("--dry-run", "simulate a uninstall")
    .option("--ignore-not-found", 'Treat "release not found" as a successful uninstall')
    .option(
      "--keep-history",
      "remove all associated resources and mark the release as deleted, but retain the release history",
    )
    .option("--no-hooks", "prevent hooks from running during uninstallation")
    .option(
      "--timeout <duration>",
      "time to wait for any individual Kubernetes operation (like Jobs for hooks)",
      "5m0s",
    )
    .option("--wait [strategy]", "if specified, wait until all the resources are deleted before returning")
    .addOption(new Option("--purge", "Helm 2 form: history is removed unless --keep-history").hideHelp());
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const cascade = opts.cascade as (typeof CASCADES)[number];
    if (!CASCADES.includes(cascade))
      throw new UserError(
        "invalid cascade value (" + opts.cascade + '). Must be "background", "foreground", or "orphan"',
      );
    const service = await releaseService(settings);
    for (const name of args as string[]) {
      const result = await service.uninstall({
        name,
        namespace: await releaseNamespace(settings),
        keepHistory: opts.keepHistory === true,
        disableHooks: opts.hooks === false,
        cascade,
        wait: opts.wait !== undefined && opts.wait !== "hookOnly",
        timeoutMs: timeoutMs(opts.timeout),
        dryRun: opts.dryRun === true,
        description: opts.description,
        ignoreNotFound: opts.ignoreNotFound === true,
      });
      if (result.notFound) continue;
      if (result.kept.length > 0) {
        process.stdout.write("These resources were kept due to the resource policy:\n");
        for (const r of result.kept) process.stdout.write(`[${r.object.kind}] ${r.object.metadata.name}\n`);
      }
      process.stdout.write(`release "${name}" uninstalled\n`);
    }
  });
}
