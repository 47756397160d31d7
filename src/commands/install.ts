/** `helm install [NAME] [CHART]`: install a chart as a new release. */
import { type Command, Option } from "@commander-js/extra-typings";
import { loadChartArg } from "../cli/chart-arg.ts";
import { updateMissingDependencies } from "../cli/dependency-update.ts";
import { UserError } from "../cli/errors.ts";
import { defineCommand, settingsOf } from "../cli/program.ts";
import { addDeployFlags, deployFlags } from "../cli/release-flags.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { userValues } from "../cli/values-flags.ts";
import { generateReleaseName } from "../tiller/release/name.ts";
import { outputFormat, printRelease } from "./release-output.ts";

const LONG = `This command installs a chart archive.

The install argument must be a chart reference, a path to a packaged chart,
a path to an unpacked chart directory or a URL.

To override values in a chart, use either the '--values' flag and pass in a file
or use the '--set' flag and pass configuration from the command line, to force
a string value use '--set-string'. You can use '--set-file' to set individual
values from a file when the value itself is too long for the command line
or is dynamically generated. You can also use '--set-json' to set json values
(scalars/objects/arrays) from the command line. Additionally, you can use '--set-json' and passing json object as a string.`;

export function registerInstall(root: Command): void {
  const cmd = addDeployFlags(
    defineCommand(root, {
      use: "install [NAME] [CHART]",
      short: "install a chart",
      long: LONG,
      args: { min: 1, max: 2 },
    }),
  )
    .option("-g, --generate-name", "generate the name (and omit the NAME parameter)")
    .option("--name-template <string>", "specify template used to name the release")
    .option(
      "--replace",
      "reuse the given name, only if that name is a deleted release which remains in the history",
    )
    .addOption(new Option("--name <string>", "Helm 2 form of the NAME argument").hideHelp());
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const format = outputFormat(opts.output);
    // Helm 2's `install --name NAME CHART` is the same as `install NAME CHART`.
    const argv = opts.name !== undefined && args.length === 1 ? [opts.name, args[0]!] : args;
    if (argv.length === 2 && opts.generateName)
      throw new UserError("cannot set --generate-name and also specify a name");
    if (argv.length === 1 && !opts.generateName && !opts.nameTemplate)
      throw new UserError("INSTALLATION FAILED: must either provide a name or specify --generate-name");
    const chartRef = argv.length === 2 ? argv[1]! : argv[0]!;
    const service = await releaseService(settings);
    try {
      if (opts.dependencyUpdate) await updateMissingDependencies(chartRef, opts, settings);
      const chart = await loadChartArg(chartRef, opts, settings);
      const name =
        argv.length === 2
          ? argv[0]!
          : opts.nameTemplate
            ? await nameFromTemplate(opts.nameTemplate)
            : generateReleaseName(chart.metadata.name);
      const flags = deployFlags(opts, settings.pluginsDirectory);
      const rls = await service.install({
        ...flags,
        name,
        namespace: await releaseNamespace(settings),
        chart,
        values: await userValues(opts),
        replace: opts.replace === true,
        createNamespace: opts.createNamespace === true,
      });
      printRelease(rls, format, { showManifest: flags.dryRun !== undefined, hideNotes: opts.hideNotes });
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`INSTALLATION FAILED: ${(err as Error).message}`);
    }
  });
}

/** `--name-template`: a Go template rendered with no data (Sprig functions available). */
async function nameFromTemplate(text: string): Promise<string> {
  const { TemplateSet } = await import("../chart/engine/index.ts");
  const { buildFuncMap } = await import("../chart/engine/funcs/index.ts");
  const set = new TemplateSet({}).addFuncs(buildFuncMap());
  set.parse("name-template", text);
  return set.execute("name-template", null);
}
