/** `helm list` (`ls`): the releases in a namespace (or all), filtered, sorted and printed as Helm does. */
import type { Command } from "@commander-js/extra-typings";
import { goRegExp } from "../chart/engine/re2.ts";
import { formatTable } from "../chart/uitable.ts";
import { colorHeader, colorNamespace, colorStatus } from "../cli/color.ts";
import { UserError } from "../cli/errors.ts";
import { defineCommand, intFlag, settingsOf } from "../cli/program.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { chartAppVersion, chartLabel } from "../tiller/release/chart-record.ts";
import { goTimeLayout, goTimeString } from "../tiller/release/go-time.ts";
import type { Release, ReleaseStatus } from "../tiller/release/release.ts";
import { formatStructured, outputFormat } from "./release-output.ts";

const LONG = `This command lists all of the releases for a specified namespace (uses current namespace context if namespace not specified).

By default, it lists only releases that are deployed or failed. Flags like
'--uninstalled' and '--all' will alter this behavior. Such flags can be combined:
'--uninstalled --failed'.

By default, items are sorted alphabetically. Use the '-d' flag to sort by
release date.

If the --filter flag is provided, it will be treated as a filter. Filters are
regular expressions (Perl compatible) that are applied to the list of releases.
Only items that match the filter will be returned.

    $ helm list --filter 'ara[a-z]+'
    NAME                UPDATED                                  CHART
    maudlin-arachnid    2020-06-18 14:17:46.125134977 +0000 UTC  alpine-0.1.0

If no results are found, 'helm list' will exit 0, but with no output (or in
the case of no '-q' flag, only headers).

By default, up to 256 items may be returned. To limit this, use the '--max' flag.
Setting '--max' to 0 will not return all results. Rather, it will return the
server's default, which may be much higher than 256. Pairing the '--max'
flag with the '--offset' flag allows you to page through results.`;

export function registerList(root: Command): void {
  const cmd = defineCommand(root, {
    use: "list",
    aliases: ["ls"],
    short: "list releases",
    long: LONG,
    args: { none: true },
  })
    .option("-A, --all-namespaces", "list releases across all namespaces")
    .option("-d, --date", "sort by release date")
    .option("--deployed", "show deployed releases")
    .option("--failed", "show failed releases")
    .option(
      "-f, --filter <string>",
      "a regular expression (Perl compatible). Any releases that match the expression will be included in the results",
    )
    .option("-m, --max <int>", "maximum number of releases to fetch", intFlag("--max"), 256)
    .option("--no-headers", "don't print headers when using the default output format")
    .option(
      "--offset <int>",
      "next release index in the list, used to offset from start value",
      intFlag("--offset"),
      0,
    )
    .option(
      "-o, --output <format>",
      "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
      "table",
    )
    .option("--pending", "show pending releases")
    .option("-r, --reverse", "reverse the sort order")
    .option(
      "-l, --selector <string>",
      "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Works only for secret(default) and configmap storage backends.",
    )
    .option("-q, --short", "output short (quiet) listing format")
    .option("--superseded", "show superseded releases")
    .option(
      "--time-format <string>",
      'format time using golang time formatter. Example: --time-format "2006-01-02 15:04:05Z0700"',
    )
    .option("--uninstalled", "show uninstalled releases (if 'helm uninstall --keep-history' was used)")
    .option("--uninstalling", "show releases that are currently being uninstalled");
  cmd.action(async (_args, opts) => {
    const settings = settingsOf(cmd);
    const format = outputFormat(opts.output);
    const statuses: ReleaseStatus[] = [];
    if (opts.deployed) statuses.push("deployed");
    if (opts.uninstalled) statuses.push("uninstalled");
    if (opts.uninstalling) statuses.push("uninstalling");
    if (opts.pending) statuses.push("pending-install", "pending-upgrade", "pending-rollback");
    if (opts.failed) statuses.push("failed");
    if (opts.superseded) statuses.push("superseded");
    let filter: RegExp | undefined;
    if (opts.filter !== undefined) {
      try {
        filter = goRegExp(opts.filter);
      } catch (err) {
        throw new UserError((err as Error).message);
      }
    }
    const service = await releaseService(settings);
    let rels = await service.list({
      namespace: await releaseNamespace(settings),
      allNamespaces: opts.allNamespaces === true,
      statuses,
      selector: opts.selector,
    });
    if (filter) rels = rels.filter((r) => filter.test(r.name));
    rels = sortReleases(rels, opts.date === true, opts.reverse === true);
    if (opts.offset >= rels.length) rels = [];
    else rels = rels.slice(opts.offset, opts.max > 0 ? opts.offset + opts.max : undefined);
    const updated = (r: Release) =>
      opts.timeFormat
        ? goTimeLayout(r.info.last_deployed, opts.timeFormat)
        : goTimeString(r.info.last_deployed);
    if (opts.short) {
      process.stdout.write(
        format === "table"
          ? rels.map((r) => `${r.name}\n`).join("")
          : formatStructured(
              rels.map((r) => r.name),
              format,
            ),
      );
      return;
    }
    if (format !== "table") {
      const rows = rels.map((r) => ({
        name: r.name,
        namespace: r.namespace,
        revision: String(r.version),
        updated: updated(r),
        status: r.info.status,
        chart: chartLabel(r.chart),
        app_version: chartAppVersion(r.chart),
      }));
      process.stdout.write(formatStructured(rows, format));
      return;
    }
    const header =
      opts.headers === false
        ? []
        : [
            ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"].map((h) =>
              colorHeader(h),
            ),
          ];
    const body = rels.map((r) => [
      r.name,
      colorNamespace(r.namespace),
      String(r.version),
      updated(r),
      colorStatus(r.info.status),
      chartLabel(r.chart),
      chartAppVersion(r.chart),
    ]);
    process.stdout.write(formatTable([...header, ...body]));
  });
}

/** Helm's orders: by name; `-r` by name descending; `-d` by date (oldest first), `-d -r` newest first. */
function sortReleases(rels: Release[], byDate: boolean, reverse: boolean): Release[] {
  const byName = (a: Release, b: Release) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const seconds = (r: Release) => Math.floor(Date.parse(r.info.last_deployed ?? "") / 1000) || 0;
  const sorted = [...rels].sort(byDate ? (a, b) => seconds(a) - seconds(b) : byName);
  return reverse ? sorted.reverse() : sorted;
}
