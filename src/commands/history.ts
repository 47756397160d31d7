/** `helm history RELEASE` (`hist`): a release's revisions, as Helm prints them. */
import type { Command } from "@commander-js/extra-typings";
import { formatTable } from "../chart/uitable.ts";
import { defineCommand, intFlag, settingsOf } from "../cli/program.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { chartAppVersion, chartLabel } from "../tiller/release/chart-record.ts";
import { goAnsic, goRfc3339Nano } from "../tiller/release/go-time.ts";
import { formatStructured, outputFormat } from "./release-output.ts";

const LONG = `History prints historical revisions for a given release.

A default maximum of 256 revisions will be returned. Setting '--max'
configures the maximum length of the revision list returned.`;

export function registerHistory(root: Command): void {
  const cmd = defineCommand(root, {
    use: "history RELEASE_NAME",
    aliases: ["hist"],
    short: "fetch release history",
    long: LONG,
    args: { exactly: 1 },
  })
    .option("--max <int>", "maximum number of revision to include in history", intFlag("--max"), 256)
    .option(
      "-o, --output <format>",
      "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
      "table",
    );
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const format = outputFormat(opts.output);
    const service = await releaseService(settings);
    const all = await service.history(args[0]!, await releaseNamespace(settings));
    const shown = opts.max > 0 ? all.slice(-opts.max) : all;
    if (format !== "table") {
      const rows = shown.map((r) => ({
        revision: r.version,
        updated: goRfc3339Nano(r.info.last_deployed),
        status: r.info.status,
        chart: chartLabel(r.chart),
        app_version: chartAppVersion(r.chart),
        description: r.info.description ?? "",
      }));
      process.stdout.write(formatStructured(rows, format));
      return;
    }
    process.stdout.write(
      formatTable([
        ["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"],
        ...shown.map((r) => [
          String(r.version),
          goAnsic(r.info.last_deployed),
          r.info.status,
          chartLabel(r.chart),
          chartAppVersion(r.chart),
          r.info.description ?? "",
        ]),
      ]),
    );
  });
}
