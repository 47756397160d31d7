/** `helm dependency` (`dep`, `dependencies`): `list` shows declared dependencies and their state. */
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, defineGroup, settingsOf } from "../cli/program.ts";
import { withSpinner } from "../cli/spinner.ts";
import { logSymlink } from "./package.ts";
import { defaultKeyring } from "./verify.ts";

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

const UPDATE_LONG = `
Update the on-disk dependencies to mirror Chart.yaml.

This command verifies that the required charts, as expressed in 'Chart.yaml',
are present in 'charts/' and are at an acceptable version. It will pull down
the latest charts that satisfy the dependencies, and clean up old dependencies.

On successful update, this will generate a lock file that can be used to
rebuild the dependencies to an exact version.

Dependencies are not required to be represented in 'Chart.yaml'. For that
reason, an update command will not remove charts unless they are (a) present
in the Chart.yaml file, but (b) at the wrong version.
`;

const BUILD_LONG = `
Build out the charts/ directory from the Chart.lock file.

Build is used to reconstruct a chart's dependencies to the state specified in
the lock file. This will not re-negotiate dependencies, as 'helm dependency update'
does.

If no lock file is found, 'helm dependency build' will mirror the behavior
of 'helm dependency update'.
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

/** Helm's MaximumNArgs wording for the dependency subcommands (no "received N"). */
function atMostOneChart(args: string[], name: string): void {
  if (args.length > 1) {
    throw new UserError(
      `"helm dependency ${name}" accepts at most 1 argument`,
      1,
      `\nUsage:  helm dependency ${name} CHART [flags]`,
    );
  }
}

/** Register `helm dependency` and its `list`, `update` and `build` subcommands. */
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
    atMostOneChart(args, "list");
    const { listDependencies } = await import("../chart/dependency-status.ts");
    process.stdout.write(listDependencies(args[0] ?? ".", opts.maxColWidth ?? 80, { onSymlink: logSymlink }));
  });

  for (const [name, long, short] of [
    ["update", UPDATE_LONG, "update charts/ based on the contents of Chart.yaml"],
    ["build", BUILD_LONG, "rebuild the charts/ directory based on the Chart.lock file"],
  ] as const) {
    const cmd = defineCommand(group, {
      use: `${name} CHART`,
      short,
      long,
      aliases: name === "update" ? ["up"] : [],
      args: { any: true },
    })
      .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
      .option("--cert-file <string>", "identify HTTPS client using this SSL certificate file")
      .option("--insecure-skip-tls-verify", "skip tls certificate checks for the chart download")
      .option("--key-file <string>", "identify HTTPS client using this SSL key file")
      .option("--keyring <string>", `keyring containing public keys (default "${defaultKeyring()}")`)
      .option("--password <string>", "chart repository password where to locate the requested chart")
      .option("--plain-http", "use insecure HTTP connections for the chart download")
      .option("--skip-refresh", "do not refresh the local repository cache")
      .option("--username <string>", "chart repository username where to locate the requested chart")
      .option("--verify", "verify the packages against signatures");
    cmd.action(async (args, opts) => {
      atMostOneChart(args, name);
      const { dependencyOptions } = await import("../cli/dependency-update.ts");
      const manager = await import("../repo/deps/manager.ts");
      const settings = settingsOf(cmd);
      const options = await dependencyOptions(args[0] ?? ".", opts, settings);
      await withSpinner(
        "Fetching dependencies",
        () => (name === "update" ? manager.updateDependencies(options) : manager.buildDependencies(options)),
        { debug: settings.debug },
      );
    });
  }
}
