/** `helm status RELEASE_NAME`: a release revision's state, its objects as they are now, and notes. */
import type { Command } from "@commander-js/extra-typings";
import { defineCommand, intFlag, settingsOf } from "../cli/program.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { formatResources } from "../tiller/status/resources.ts";
import { outputFormat, printRelease } from "./release-output.ts";

const LONG = `This command shows the status of a named release.
The status consists of:
- last deployment time
- k8s namespace in which the release lives
- state of the release (can be: unknown, deployed, uninstalled, superseded, failed, uninstalling, pending-install, pending-upgrade or pending-rollback)
- revision of the release
- description of the release (can be completion message or error message)
- list of resources that this release consists of
- details on last test suite run, if applicable
- additional notes provided by the chart`;

export function registerStatus(root: Command): void {
  const cmd = defineCommand(root, {
    use: "status RELEASE_NAME",
    short: "display the status of the named release",
    long: LONG,
    args: { exactly: 1 },
  })
    .option(
      "-o, --output <format>",
      "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
      "table",
    )
    .option(
      "--revision <int>",
      "if set, display the status of the named release with revision",
      intFlag("--revision"),
      0,
    );
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const format = outputFormat(opts.output);
    const service = await releaseService(settings);
    const { release, resources } = await service.status(
      args[0]!,
      await releaseNamespace(settings),
      opts.revision,
    );
    printRelease(release, format, { resources: formatResources(resources), forStatus: true });
  });
}
