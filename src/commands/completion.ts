/** `helm completion SHELL` and the hidden `helm __complete` that the scripts call. */
import type { Command } from "@commander-js/extra-typings";
import { complete, completionScript, formatCompletion } from "../cli/complete.ts";
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
    .action(async (args) => {
      const result = await complete(root, args);
      process.stdout.write(formatCompletion(result));
    });
}
