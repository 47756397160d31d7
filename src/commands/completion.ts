/** `helm completion SHELL` and the hidden `helm __complete` that the scripts call. */
import type { Command } from "@commander-js/extra-typings";
import {
  type ArgCompleter,
  complete,
  completeArgsWith,
  completeFlagWith,
  completionScript,
  directiveNames,
  formatCompletion,
} from "../cli/complete.ts";
import { defineCommand, defineGroup } from "../cli/program.ts";

const SHELLS: Record<string, string> = {
  bash: `Generate the autocompletion script for Helm for the bash shell.

To load completions in your current shell session:

    source <(helm completion bash)

To load completions for every new session, execute once:
- Linux:

      helm completion bash > /etc/bash_completion.d/helm`,
  zsh: `Generate the autocompletion script for Helm for the zsh shell.

To load completions in your current shell session:

    source <(helm completion zsh)

To load completions for every new session, execute once:

    helm completion zsh > "\${fpath[1]}/_helm"`,
  fish: `Generate the autocompletion script for Helm for the fish shell.

To load completions in your current shell session:

    helm completion fish | source

To load completions for every new session, execute once:

    helm completion fish > ~/.config/fish/completions/helm.fish`,
  powershell: `Generate the autocompletion script for powershell.

To load completions in your current shell session:
PS C:\\> helm completion powershell | Out-String | Invoke-Expression`,
};

/** Where dynamic candidates come from (releases, repositories, the cluster): loaded only to complete. */
type Sources = typeof import("../cli/complete-sources.ts");

/** How each command's arguments complete, by command path (as Helm completes them). */
const argCompleters = ({
  chartAt,
  releaseArg,
  releaseArgs,
  releaseNames,
  releaseThenRevision,
  repoNames,
}: Sources): Record<string, ArgCompleter> => ({
  rollback: releaseThenRevision,
  history: releaseArg,
  status: releaseArg,
  test: releaseArg,
  "get all": releaseArg,
  "get hooks": releaseArg,
  "get manifest": releaseArg,
  "get metadata": releaseArg,
  "get notes": releaseArg,
  "get values": releaseArg,
  uninstall: releaseArgs,
  upgrade: (req) => (req.args.length === 0 ? releaseNames(req) : chartAt(1)(req)),
  install: chartAt(1),
  template: chartAt(1),
  pull: chartAt(0, false),
  "show all": chartAt(0),
  "show chart": chartAt(0),
  "show crds": chartAt(0),
  "show readme": chartAt(0),
  "show values": chartAt(0),
  "repo remove": repoNames,
  "repo update": repoNames,
});

/** Flags whose values complete dynamically; `--revision` only where it names a revision. */
const REVISION_FLAG = [
  "status",
  "get all",
  "get hooks",
  "get manifest",
  "get metadata",
  "get notes",
  "get values",
];

/** Commands whose `--version` names a version of the chart at this argument position. */
const VERSION_FLAG: Record<string, number> = {
  install: 1,
  upgrade: 1,
  template: 1,
  pull: 0,
  "show all": 0,
  "show chart": 0,
  "show crds": 0,
  "show readme": 0,
  "show values": 0,
};

function attachCompleters(root: Command, sources: Sources): void {
  completeFlagWith(root, "--namespace", sources.namespaces);
  completeFlagWith(root, "--kube-context", sources.kubeContexts);
  completeFlagWith(root, "--output", sources.outputFormats);
  const byPath = (path: string) =>
    path
      .split(" ")
      .reduce<Command | undefined>(
        (c, name) => c?.commands.find((x) => x.name() === name) as Command | undefined,
        root,
      );
  for (const [path, completer] of Object.entries(argCompleters(sources))) {
    const cmd = byPath(path);
    if (cmd) completeArgsWith(cmd, completer);
  }
  for (const path of REVISION_FLAG) {
    const cmd = byPath(path);
    if (cmd) completeFlagWith(cmd, "--revision", sources.revisionFlag);
  }
  for (const [path, position] of Object.entries(VERSION_FLAG)) {
    const cmd = byPath(path);
    if (cmd) completeFlagWith(cmd, "--version", sources.chartVersionsAt(position));
  }
}

/** Register `helm completion` (one subcommand per shell) and `helm __complete`. */
export function registerCompletion(root: Command): void {
  const group = defineGroup(root, {
    use: "completion",
    short: "generate autocompletion scripts for the specified shell",
    long: "Generate autocompletion scripts for Helm for the specified shell.",
  });
  for (const [shell, long] of Object.entries(SHELLS)) {
    defineCommand(group, {
      use: shell,
      short: `generate autocompletion script for ${shell}`,
      long,
      args: { none: true },
    })
      .option("--no-descriptions", "disable completion descriptions")
      .action(() => {
        process.stdout.write(completionScript(shell, "helm"));
      });
  }
  defineCommand(root, {
    use: "__complete [command-line]",
    short: "Request shell completion choices for the specified command-line",
    hidden: true,
    args: { any: true },
  })
    .helpOption(false)
    .allowUnknownOption(true)
    .action((args) => completeCommandLine(root, args));
}

/**
 * `helm __complete WORDS…`: print the candidates. The run loop calls this before commander parses
 * anything, so the words being completed (`-n`, `--kube-context`…) are not taken as global flags.
 */
export async function completeCommandLine(root: Command, words: string[]): Promise<void> {
  attachCompleters(root, await import("../cli/complete-sources.ts"));
  const result = await complete(root, words);
  process.stdout.write(formatCompletion(result));
  process.stderr.write(`Completion ended with directive: ${directiveNames(result.directive)}\n`);
}
