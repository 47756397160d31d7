/** `helm test [RELEASE]`: run a release's test hooks and show the results (and, with --logs, the Pods' logs). */
import type { Command } from "@commander-js/extra-typings";
import { collect, defineCommand, settingsOf } from "../cli/program.ts";
import { timeoutMs } from "../cli/release-flags.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { statusText } from "./release-output.ts";

const LONG = `The test command runs the tests for a release.

The argument this command takes is the name of a deployed release.
The tests to be run are defined in the chart that was installed.`;

export function registerTest(root: Command): void {
  const cmd = defineCommand(root, {
    use: "test [RELEASE]",
    short: "run tests for a release",
    long: LONG,
    args: { exactly: 1 },
  })
    .option(
      "--filter <strings>",
      "specify tests by attribute (currently \"name\") using attribute=value syntax or '!attribute=value' to exclude a test (can specify multiple or separate values with commas: name=test1,name=test2)",
      collect,
    )
    .option(
      "--logs",
      "dump the logs from test pods (this runs after all tests are complete, but before any cleanup)",
    )
    .option(
      "--timeout <duration>",
      "time to wait for any individual Kubernetes operation (like Jobs for hooks)",
      "5m0s",
    );
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const service = await releaseService(settings);
    const result = await service.test({
      name: args[0]!,
      namespace: await releaseNamespace(settings),
      timeoutMs: timeoutMs(opts.timeout),
      filters: opts.filter,
      logs: opts.logs === true,
    });
    process.stdout.write(statusText(result.release, { hideNotes: true }));
    for (const l of result.logs) process.stdout.write(`\nPOD LOGS: ${l.pod}\n${l.text}`);
    if (result.logs.length > 0) process.stdout.write("\n");
    if (result.error) throw result.error;
  });
}
