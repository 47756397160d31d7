/** `helm dependency` (`dep`, `dependencies`): `list` shows declared dependencies and their state. */
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, defineGroup } from "../cli/program.ts";
import { logSymlink } from "./package.ts";

const LONG = `
Manage the dependencies of a chart.

Helm charts store their dependencies in 'charts/'. For chart developers, it is
often easier to manage dependencies in 'Chart.yaml' which declares all
dependencies.

The dependency commands operate on that file, making it easy to synchronize
between the desired dependencies and the actual dependencies stored in the
'charts/' directory.

For example, this Chart.yaml declares two dependencies:

    # Chart.yaml
    dependencies:
    - name: nginx
      version: "1.2.3"
      repository: "https://example.com/charts"
    - name: memcached
      version: "3.2.1"
      repository: "https://another.example.com/charts"


The 'name' should be the name of a chart, where that name must match the name
in that chart's 'Chart.yaml' file.

The 'version' field should contain a semantic version or version range.

The 'repository' URL should point to a Chart Repository. Helm expects that by
appending '/index.yaml' to the URL, it should be able to retrieve the chart
repository's index. Note: 'repository' can be an alias. The alias must start
with 'alias:' or '@'.

Starting from 2.2.0, repository can be defined as the path to the directory of
the dependency charts stored locally. The path should start with a prefix of
"file://". For example,

    # Chart.yaml
    dependencies:
    - name: nginx
      version: "1.2.3"
      repository: "file://../dependency_chart/nginx"

If the dependency chart is retrieved locally, it is not required to have the
repository added to helm by "helm add repo". Version matching is also supported
for this case.
`;

const LIST_LONG = `
List all of the dependencies declared in a chart.

This can take chart archives and chart directories as input. It will not alter
the contents of a chart.

This will produce an error if the chart cannot be loaded.
`;

/** pflag's uint parser, with its error wording. */
function uintFlag(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new UserError(
      `invalid argument "${value}" for "--max-col-width" flag: strconv.ParseUint: parsing "${value}": invalid syntax`,
    );
  }
  return Number(value);
}

/** Register `helm dependency` and its `list` subcommand. */
export function registerDependency(root: Command): void {
  const group = defineGroup(root, {
    use: "dependency update|build|list",
    short: "manage a chart's dependencies",
    long: LONG,
    aliases: ["dep", "dependencies"],
  });
  const list = defineCommand(group, {
    use: "list CHART",
    short: "list the dependencies for the given chart",
    long: LIST_LONG,
    aliases: ["ls"],
    args: { any: true },
  }).option("--max-col-width <uint>", "maximum column width for output table (default 80)", uintFlag);
  list.action(async (args, opts) => {
    // Helm's MaximumNArgs wording here has no "received N".
    if (args.length > 1) {
      throw new UserError(
        '"helm dependency list" accepts at most 1 argument',
        1,
        "\nUsage:  helm dependency list CHART [flags]",
      );
    }
    const { listDependencies } = await import("../chart/dependency-status.ts");
    process.stdout.write(listDependencies(args[0] ?? ".", opts.maxColWidth ?? 80, { onSymlink: logSymlink }));
  });
}
