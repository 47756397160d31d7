/** `helm search repo`: search the cached indexes of the configured repositories. */
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, defineGroup, settingsOf } from "../cli/program.ts";
import { parseOutputFormat } from "../repo/output.ts";
import { processOutput } from "./repo.ts";

const SEARCH_LONG = `
Search provides the ability to search for Helm charts in the various places
they can be stored including the Artifact Hub and repositories you have added.
Use search subcommands to search different locations for charts.`;

const SEARCH_REPO_LONG = `
Search reads through all of the repositories configured on the system, and
looks for matches. Search of these repositories uses the metadata stored on
the system.

It will display the latest stable versions of the charts found. If you
specify the --devel flag, the output will include pre-release versions.
If you want to search using a version constraint, use --version.

Examples:

    # Search for stable release versions matching the keyword "nginx"
    $ helm search repo nginx

    # Search for release versions matching the keyword "nginx", including pre-release versions
    $ helm search repo nginx --devel

    # Search for the latest stable release for nginx-ingress with a major version of 1
    $ helm search repo nginx-ingress --version ^1.0.0

Repositories are managed with 'helm repo' commands.`;

function uintFlag(flag: string) {
  return (value: string) => {
    if (!/^\+?\d+$/.test(value)) {
      throw new UserError(
        `invalid argument "${value}" for "${flag}" flag: strconv.ParseUint: parsing "${value}": invalid syntax`,
      );
    }
    return Number(value);
  };
}

/** Register `helm search` and `helm search repo`. */
export function registerSearch(root: Command): void {
  const search = defineGroup(root, {
    use: "search [keyword]",
    short: "search for a keyword in charts",
    long: SEARCH_LONG,
  });
  const repo = defineCommand(search, {
    use: "repo [keyword]",
    short: "search repositories for a keyword in charts",
    long: SEARCH_REPO_LONG,
    args: { any: true },
  })
    .option(
      "--devel",
      "use development versions (alpha, beta, and release candidate releases), too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored",
    )
    .option("--fail-on-no-result", "search fails if no results are found")
    .option(
      "--max-col-width <uint>",
      "maximum column width for output table (default 50)",
      uintFlag("--max-col-width"),
    )
    .option(
      "-o, --output <format>",
      "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
      (v: string) => {
        try {
          return parseOutputFormat(v);
        } catch (err) {
          throw new UserError((err as Error).message);
        }
      },
    )
    .option("-r, --regexp", "use regular expressions for searching repositories you have added")
    .option(
      "--version <string>",
      "search using semantic versioning constraints on repositories you have added",
    )
    .option(
      "-l, --versions",
      "show the long listing, with each version of each chart on its own line, for repositories you have added",
    );
  repo.action(async (args, opts) => {
    const settings = settingsOf(repo);
    const { searchRepo } = await import("../repo/actions.ts");
    searchRepo(
      {
        keywords: args,
        regexp: opts.regexp,
        version: opts.version,
        versions: opts.versions,
        devel: opts.devel,
        maxColWidth: opts.maxColWidth ?? 50,
        format: opts.output ?? "table",
        failOnNoResult: opts.failOnNoResult,
        repoConfig: settings.repositoryConfig,
        repoCache: settings.repositoryCache,
      },
      processOutput,
    );
  });
}
