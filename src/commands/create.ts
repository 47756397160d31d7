/** `helm create NAME`: create a new chart directory from the scaffold or a starter. */
import { join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { defineCommand, settingsOf } from "../cli/program.ts";

const LONG = `
This command creates a chart directory along with the common files and
directories used in a chart.

For example, 'helm create foo' will create a directory structure that looks
something like this:

    foo/
    ├── .helmignore   # Contains patterns to ignore when packaging Helm charts.
    ├── Chart.yaml    # Information about your chart
    ├── values.yaml   # The default values for your templates
    ├── charts/       # Charts that this chart depends on
    └── templates/    # The template files
        └── tests/    # The test files

'helm create' takes a path for an argument. If directories in the given path
do not exist, Helm will attempt to create them as it goes. If the given
destination exists and there are files in that directory, conflicting files
will be overwritten, but other files will be left alone.
`;

/** Register `helm create`. */
export function registerCreate(root: Command): void {
  const cmd = defineCommand(root, {
    use: "create NAME",
    short: "create a new chart with the given name",
    long: LONG,
    args: { exactly: 1 },
  }).option("-p, --starter <string>", "the name or absolute path to Helm starter scaffold");
  cmd.action(async (args, opts) => {
    const name = args[0]!;
    process.stdout.write(`Creating ${name}\n`);
    const { createChart } = await import("../chart/create.ts");
    createChart({
      name,
      starter: opts.starter,
      starterDir: join(settingsOf(cmd).dataHome, "starters"),
      warn: (line) => process.stdout.write(line),
    });
  });
}
