/** `helm show` (`inspect`): print a chart's definition, values, README, CRDs or all of them. */
import { homedir } from "node:os";
import { join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import type { Chart } from "../chart/chart.ts";
import { goBytes } from "../chart/engine/value.ts";
import type { ShowFormat } from "../chart/show.ts";
import { formatTable } from "../chart/uitable.ts";
import { parseSchema, SchemaHelpError, schemaRows } from "../chart/values/schema-help.ts";
import { UserError } from "../cli/errors.ts";
import { withLocatedChart } from "../cli/locate-chart.ts";
import { type AnyCommand, defineCommand, defineGroup, settingsOf } from "../cli/program.ts";
import { logSymlink } from "./package.ts";
import { processOutput } from "./repo.ts";

const SUBCOMMANDS: [ShowFormat, string, string][] = [
  [
    "all",
    "show all information of the chart",
    "\nThis command inspects a chart (directory, file, or URL) and displays all its content\n(values.yaml, Chart.yaml, README)\n",
  ],
  [
    "chart",
    "show the chart's definition",
    "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the Chart.yaml file\n",
  ],
  [
    "crds",
    "show the chart's CRDs",
    "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the CustomResourceDefinition files\n",
  ],
  [
    "readme",
    "show the chart's README",
    "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the README file\n",
  ],
  [
    "values",
    "show the chart's values",
    "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the values.yaml file\n",
  ],
];

/** The chart-reference flags Helm's show subcommands share with pull. */
function addChartRefFlags(cmd: AnyCommand) {
  return cmd
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify HTTPS client using this SSL certificate file")
    .option(
      "--devel",
      "use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored",
    )
    .option("--insecure-skip-tls-verify", "skip tls certificate checks for the chart download")
    .option("--key-file <string>", "identify HTTPS client using this SSL key file")
    .option(
      "--keyring <string>",
      `location of public keys used for verification (default "${join(homedir(), ".gnupg", "pubring.gpg")}")`,
    )
    .option("--pass-credentials", "pass credentials to all domains")
    .option("--password <string>", "chart repository password where to locate the requested chart")
    .option("--plain-http", "use insecure HTTP connections for the chart download")
    .option("--repo <string>", "chart repository url where to locate the requested chart")
    .option("--username <string>", "chart repository username where to locate the requested chart")
    .option("--verify", "verify the package before using it")
    .option(
      "--version <string>",
      "specify a version constraint for the chart version to use. This constraint can be a specific tag (e.g. 1.1.1) or it may reference a valid range (e.g. ^2.0.0). If this is not specified, the latest version is used",
    );
}

/** `show values --schema`: the chart's values.schema.json as a table (beyond Helm). */
function schemaTable(chart: Chart): string {
  if (chart.schema === null) throw new UserError(`chart "${chart.metadata.name}" has no values.schema.json`);
  try {
    const rows = schemaRows(parseSchema(chart.schema), chart.values);
    if (rows.length === 0) return "values.schema.json declares no keys\n";
    return formatTable([
      ["KEY", "TYPE", "DEFAULT", "DESCRIPTION"],
      ...rows.map((r) => [r.key, r.type, r.default, r.description]),
    ]);
  } catch (err) {
    if (err instanceof SchemaHelpError) throw new UserError(err.message);
    throw err;
  }
}

/** Register `helm show` and its subcommands. */
export function registerShow(root: Command): void {
  const group = defineGroup(root, {
    use: "show",
    short: "show information of a chart",
    long: "\nThis command consists of multiple subcommands to display information about a chart\n",
    aliases: ["inspect"],
  });
  for (const [format, short, long] of SUBCOMMANDS) {
    const cmd = addChartRefFlags(
      defineCommand(group, { use: `${format} [CHART]`, short, long, args: { exactly: 1 } }),
    );
    if (format === "values")
      cmd
        .option("--jsonpath <string>", "supply a JSONPath expression to filter the output")
        .option(
          "--schema",
          "print values.schema.json as a table of keys, types, defaults and descriptions (helm-ts)",
        );
    cmd.action(async (...params: unknown[]) => {
      const args = params[0] as string[];
      const opts = params[1] as Record<string, string | boolean | undefined>;
      if (opts.verify)
        throw new UserError("provenance verification (--verify) is not supported yet by helm-ts");
      const ref = args[0]!;
      if (ref.startsWith("oci://")) throw new UserError("OCI registries are not supported yet by helm-ts");
      const settings = settingsOf(cmd);
      const { showChart } = await import("../chart/show.ts");
      const { loadChart } = await import("../chart/loader.ts");
      const jsonPath = (opts.jsonpath as string | undefined) ?? "";
      const text = await withLocatedChart(
        ref,
        {
          version: opts.version as string | undefined,
          devel: opts.devel as boolean | undefined,
          repoUrl: opts.repo as string | undefined,
          username: opts.username as string | undefined,
          password: opts.password as string | undefined,
          passCredentials: opts.passCredentials as boolean | undefined,
          caFile: opts.caFile as string | undefined,
          certFile: opts.certFile as string | undefined,
          keyFile: opts.keyFile as string | undefined,
          insecureSkipTlsVerify: opts.insecureSkipTlsVerify as boolean | undefined,
          repoConfig: settings.repositoryConfig,
          repoCache: settings.repositoryCache,
          warn: processOutput.warn,
        },
        (path) => {
          const chart = loadChart(path, { onSymlink: logSymlink });
          return opts.schema ? schemaTable(chart) : showChart(chart, format, jsonPath);
        },
      );
      process.stdout.write(goBytes(text));
    });
  }
}
