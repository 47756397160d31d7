/** `helm repo add|list|remove|update`: manage chart repositories (thin: the work is in src/repo). */
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, defineGroup, settingsOf } from "../cli/program.ts";
import { withSpinner } from "../cli/spinner.ts";
import type { Output } from "../repo/actions.ts";
import { parseGoDuration } from "../repo/duration.ts";
import { parseOutputFormat, slogLine } from "../repo/output.ts";

const REPO_LONG = `
This command consists of multiple subcommands to interact with chart repositories.

It can be used to add, remove, list, and index chart repositories.`;

const UPDATE_LONG = `
Update gets the latest information about charts from the respective chart repositories.
Information is cached locally, where it is used by commands like 'helm search'.

You can optionally specify a list of repositories you want to update.
	$ helm repo update <repo_name> ...
To update all the repositories, use 'helm repo update'.`;

/** Writes to the process's stdout, warnings in Helm's log format. */
export const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  // Go's slog quoting (values like `~1.2` stay bare), as Helm prints these warnings.
  warn: (message, attrs) => process.stderr.write(slogLine("WARN", message, attrs)),
};

function outputFlag(value: string) {
  try {
    return parseOutputFormat(value);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}

function durationFlag(flag: string) {
  return (value: string) => {
    try {
      return parseGoDuration(value);
    } catch (err) {
      throw new UserError(`invalid argument "${value}" for "${flag}" flag: ${(err as Error).message}`);
    }
  };
}

/** All of standard input, as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const INDEX_LONG = `
Read the current directory, generate an index file based on the charts found
and write the result to 'index.yaml' in the current directory.

This tool is used for creating an 'index.yaml' file for a chart repository. To
set an absolute URL to the charts, use '--url' flag.

To merge the generated index with an existing index file, use the '--merge'
flag. In this case, the charts found in the current directory will be merged
into the index passed in with --merge, with local charts taking priority over
existing charts.
`;

/** Register `helm repo` and its subcommands. */
export function registerRepo(root: Command): void {
  const repo = defineGroup(root, {
    use: "repo",
    short: "add, list, remove, update, and index chart repositories",
    long: REPO_LONG,
  });

  const add = defineCommand(repo, {
    use: "add [NAME] [URL]",
    short: "add a chart repository",
    args: { exactly: 2 },
  })
    .option(
      "--allow-deprecated-repos",
      "by default, this command will not allow adding official repos that have been permanently deleted. This disables that behavior",
    )
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify HTTPS client using this SSL certificate file")
    .option("--force-update", "replace (overwrite) the repo if it already exists")
    .option("--insecure-skip-tls-verify", "skip tls certificate checks for the repository")
    .option("--key-file <string>", "identify HTTPS client using this SSL key file")
    .option("--pass-credentials", "pass credentials to all domains")
    .option("--password <string>", "chart repository password")
    .option("--password-stdin", "read chart repository password from stdin")
    .option(
      "--timeout <duration>",
      "time to wait for the index file download to complete (default 2m0s)",
      durationFlag("--timeout"),
    )
    .option("--username <string>", "chart repository username");
  add.action(async (args, opts) => {
    const settings = settingsOf(add);
    let password = opts.password;
    if (opts.passwordStdin) {
      if (opts.password !== undefined)
        throw new UserError("--password and --password-stdin are mutually exclusive");
      password = (await readStdin()).replace(/\r?\n$/, "");
    }
    const { addRepo } = await import("../repo/actions.ts");
    await addRepo(
      {
        name: args[0]!,
        url: args[1]!,
        username: opts.username,
        password,
        passCredentials: opts.passCredentials,
        caFile: opts.caFile,
        certFile: opts.certFile,
        keyFile: opts.keyFile,
        insecureSkipTlsVerify: opts.insecureSkipTlsVerify,
        forceUpdate: opts.forceUpdate,
        allowDeprecatedRepos: opts.allowDeprecatedRepos,
        timeoutMs: opts.timeout,
        repoConfig: settings.repositoryConfig,
        repoCache: settings.repositoryCache,
      },
      processOutput,
    );
  });

  const list = defineCommand(repo, {
    use: "list",
    short: "list chart repositories",
    aliases: ["ls"],
    args: { none: true },
  })
    .option("--no-headers", "suppress headers in the output")
    .option(
      "-o, --output <format>",
      "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
      outputFlag,
    );
  list.action(async (_args, opts) => {
    const { listRepos } = await import("../repo/actions.ts");
    listRepos(
      settingsOf(list).repositoryConfig,
      opts.output ?? "table",
      opts.headers === false,
      processOutput,
    );
  });

  const remove = defineCommand(repo, {
    use: "remove [REPO1 [REPO2 ...]]",
    short: "remove one or more chart repositories",
    aliases: ["rm"],
    args: { min: 1 },
  });
  remove.action(async (args) => {
    const settings = settingsOf(remove);
    const { removeRepos } = await import("../repo/actions.ts");
    await removeRepos(args, settings.repositoryConfig, settings.repositoryCache, processOutput);
  });

  const update = defineCommand(repo, {
    use: "update [REPO1 [REPO2 ...]]",
    short: "update information of available charts locally from chart repositories",
    long: UPDATE_LONG,
    aliases: ["up"],
    args: { any: true },
  }).option(
    "--timeout <duration>",
    "time to wait for the index file download to complete (default 2m0s)",
    durationFlag("--timeout"),
  );
  update.action(async (args, opts) => {
    const settings = settingsOf(update);
    const { updateRepositories } = await import("../repo/actions.ts");
    await withSpinner(
      "Updating repositories",
      () =>
        updateRepositories(
          args,
          settings.repositoryConfig,
          settings.repositoryCache,
          opts.timeout,
          processOutput,
        ),
      { debug: settings.debug },
    );
  });

  const index = defineCommand(repo, {
    use: "index [DIR]",
    short: "generate an index file given a directory containing packaged charts",
    long: INDEX_LONG,
    args: { exactly: 1 },
  })
    .option("--json", "output in JSON format")
    .option("--merge <string>", "merge the generated index into the given index")
    .option("--url <string>", "url of chart repository");
  index.action(async (args, opts) => {
    const { writeRepoIndex } = await import("../repo/repo-index.ts");
    writeRepoIndex({
      dir: args[0]!,
      url: opts.url,
      merge: opts.merge,
      json: opts.json,
      warn: (w) => processOutput.warn(w),
    });
  });
}
