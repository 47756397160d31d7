/** `helm template [NAME] [CHART]`: render a chart locally and print the manifests. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { goBytes } from "../chart/engine/value.ts";
import { helmBuild } from "../cli/build-info.ts";
import { addChartSourceFlags, loadChartArg } from "../cli/chart-arg.ts";
import { updateMissingDependencies } from "../cli/dependency-update.ts";
import { UserError } from "../cli/errors.ts";
import { logToStderr } from "../cli/log.ts";
import { addPostRendererFlags, postRendererOf } from "../cli/post-renderer-flag.ts";
import { collect, collectSlice, defineCommand, settingsOf } from "../cli/program.ts";
import { addValuesFlags, userValues } from "../cli/values-flags.ts";

const LONG = `Render chart templates locally and display the output.

Any values that would normally be looked up or retrieved in-cluster will be faked
locally. Additionally, none of the server-side testing of chart validity (e.g.
whether an API is supported) is done.

helm-ts addition: --random-seed (or HELM_RANDOM_SEED) makes every random function
(randAlphaNum, uuidv4, genCA, …) deterministic, so the same chart, values and seed
render the same bytes.`;

/** Register `helm template`. */
export function registerTemplate(root: Command): void {
  const cmd = addChartSourceFlags(
    addPostRendererFlags(
      addValuesFlags(
        defineCommand(root, {
          use: "template [NAME] [CHART]",
          short: "locally render templates",
          long: LONG,
          args: { min: 1, max: 2 },
        }),
      ),
    ),
  )
    .option("-s, --show-only <stringArray>", "only show manifests rendered from the given templates", collect)
    .option("--output-dir <string>", "writes the executed templates to files in output-dir instead of stdout")
    .option("--include-crds", "include CRDs in the templated output")
    .option("--skip-crds", "if set, no CRDs will be installed")
    .option("--skip-tests", "skip tests from templated output")
    .option("--no-hooks", "prevent hooks from running during install")
    .option("--is-upgrade", "set .Release.IsUpgrade instead of .Release.IsInstall")
    .option("--kube-version <string>", "Kubernetes version used for Capabilities.KubeVersion")
    .option(
      "-a, --api-versions <strings>",
      "Kubernetes api versions used for Capabilities.APIVersions",
      collectSlice,
    )
    .option("--dependency-update", "update dependencies if they are missing before installing the chart")
    .option("-g, --generate-name", "generate the name (and omit the NAME parameter)")
    .option("--release-name", "use release name in the output-dir path.")
    .option(
      "--random-seed <string>",
      "seed for random template functions, for reproducible output (helm-ts)",
    );
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const { renderTemplate, RenderFailure } = await import("../chart/render/template-service.ts");
    const [nameArg, chartArg] = args.length === 2 ? args : [undefined, args[0]!];
    if (nameArg !== undefined && opts.generateName)
      throw new UserError("cannot set --generate-name and also specify a name");
    if (opts.dependencyUpdate) await updateMissingDependencies(chartArg!, opts, settings);
    // Registry charts are pulled here; local paths are loaded by the template service.
    const chart = chartArg!.startsWith("oci://") ? await loadChartArg(chartArg!, opts, settings) : undefined;
    const postRender = postRendererOf(opts, settings.pluginsDirectory);
    const out = await renderTemplate({
      chartPath: chartArg!,
      chart,
      releaseName: nameArg,
      generateName: opts.generateName ?? false,
      namespace: settings.namespace,
      values: await userValues(opts),
      kubeVersion: opts.kubeVersion,
      apiVersions: opts.apiVersions,
      isUpgrade: opts.isUpgrade ?? false,
      showOnly: opts.showOnly,
      includeCrds: opts.includeCrds ?? false,
      skipTests: opts.skipTests ?? false,
      noHooks: opts.hooks === false,
      randomSeed: opts.randomSeed ?? process.env.HELM_RANDOM_SEED,
      postRender,
      log: logToStderr,
      helm: helmBuild(),
      schemaCacheDir: settings.schemaCache,
    }).catch((err: unknown) => {
      // Helm points render failures (not load or values errors) at --debug.
      if (err instanceof RenderFailure && !settings.debug) {
        throw new UserError(`${err.message}\n\nUse --debug flag to render out invalid YAML`);
      }
      throw err;
    });
    if (!opts.outputDir) {
      process.stdout.write(goBytes(out.text));
      return;
    }
    const base = resolve(opts.outputDir, opts.releaseName ? out.releaseName : "");
    for (const [name, text] of out.byFile) {
      const dest = resolve(base, name);
      if (!dest.startsWith(base + sep))
        throw new UserError(`refusing to write ${name} outside ${opts.outputDir}`);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, goBytes(text));
      process.stdout.write(`wrote ${join(opts.outputDir, opts.releaseName ? out.releaseName : "", name)}\n`);
    }
  });
}
