/** `helm lint PATH…`: examine charts for possible issues and print Helm's report. */
import type { Command } from "@commander-js/extra-typings";
import { helmBuild } from "../cli/build-info.ts";
import { UserError } from "../cli/errors.ts";
import { logToStderr } from "../cli/log.ts";
import { defineCommand, settingsOf } from "../cli/program.ts";
import { addValuesFlags, userValues } from "../cli/values-flags.ts";

const LONG = `
This command takes a path to a chart and runs a series of tests to verify that
the chart is well-formed.

If the linter encounters things that will cause the chart to fail installation,
it will emit [ERROR] messages. If it encounters issues that break with convention
or recommendation, it will emit [WARNING] messages.`;

/** Register `helm lint`. */
export function registerLint(root: Command): void {
  const cmd = addValuesFlags(
    defineCommand(root, { use: "lint PATH", short: "examine a chart for possible issues", long: LONG }),
  )
    .option("--strict", "fail on lint warnings")
    .option("--with-subcharts", "lint dependent charts")
    .option("--quiet", "print only warnings and errors")
    .option("--skip-schema-validation", "if set, disables JSON schema validation")
    .option("--kube-version <string>", "Kubernetes version used for capabilities and deprecation checks");
  cmd.action(async (paths, opts) => {
    const settings = settingsOf(cmd);
    const { capabilities } = await import("../chart/render/builtins.ts");
    const { lintCharts } = await import("../chart/lint/lint.ts");
    // Lint loads its charts itself, synchronously: Liquid and ajv are made ready for any of them.
    await (await import("../chart/engine/liquid.ts")).loadLiquid();
    await (await import("../chart/values/schema.ts")).loadSchemaCompiler();
    let caps: ReturnType<typeof capabilities>;
    try {
      caps = capabilities({
        kubeVersion: opts.kubeVersion || undefined,
        helm: helmBuild(),
      });
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    const report = lintCharts(paths, {
      userValues: await userValues(opts),
      namespace: settings.namespace,
      capabilities: caps,
      strict: opts.strict ?? false,
      quiet: opts.quiet ?? false,
      withSubcharts: opts.withSubcharts ?? false,
      skipSchemaValidation: opts.skipSchemaValidation ?? false,
      schemaCacheDir: settings.schemaCache,
      log: logToStderr,
    });
    process.stdout.write(report.output);
    if (report.failure !== null) throw new UserError(report.failure);
  });
}
