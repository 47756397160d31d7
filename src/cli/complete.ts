/**
 * Shell completion, on cobra's protocol so the generated scripts behave like Helm's:
 * the shell runs `helm __complete ARGS... PARTIAL`, which prints one `candidate<TAB>description`
 * per line and a last line `:DIRECTIVE` (a bit set: 1 error, 2 no space, 4 no file completion).
 */
import type { Command } from "@commander-js/extra-typings";
import { type EnvSettings, type GlobalFlags, resolveSettings } from "./settings.ts";

export const DIRECTIVE_ERROR = 1;
export const DIRECTIVE_NO_SPACE = 2;
export const DIRECTIVE_NO_FILE_COMP = 4;
/** Default: let the shell fall back to file names. */
export const DIRECTIVE_DEFAULT = 0;

/** What is typed so far: the positional arguments, the flag values (by long name) and the partial word. */
export interface CompletionRequest {
  args: string[];
  partial: string;
  flags: Record<string, string>;
  /** The effective settings, with the global flags typed on the line (`-n`, `--kube-context`…). */
  settings(): EnvSettings;
}

/** Candidates for a command's positional arguments or a flag's value (release names, charts…). */
export type ArgCompleter = (req: CompletionRequest) => Promise<Completion> | Completion;

export interface Completion {
  candidates: { value: string; description?: string }[];
  directive: number;
}

const argCompleters = new WeakMap<Command, ArgCompleter>();
const flagCompleters = new WeakMap<Command, Map<string, ArgCompleter>>();

/** Register how a command's positional arguments complete. */
export function completeArgsWith(cmd: Command, completer: ArgCompleter): void {
  argCompleters.set(cmd, completer);
}

/** Register how the value of a command's flag (long name, e.g. `--revision`) completes; subcommands inherit it. */
export function completeFlagWith(cmd: Command, flag: string, completer: ArgCompleter): void {
  const map = flagCompleters.get(cmd) ?? new Map<string, ArgCompleter>();
  map.set(flag, completer);
  flagCompleters.set(cmd, map);
}

function flagCompleter(cmd: Command, flag: string): ArgCompleter | undefined {
  for (let c: Command | null = cmd; c; c = c.parent as Command | null) {
    const hit = flagCompleters.get(c)?.get(flag);
    if (hit) return hit;
  }
  return undefined;
}

/** Global flags typed on the line, as the settings resolver takes them (`--kube-context` → kubeContext). */
function globalFlags(values: Record<string, string>): GlobalFlags {
  const flags: Record<string, unknown> = {};
  for (const [long, v] of Object.entries(values)) {
    const key = long.slice(2).replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
    flags[key] = key === "kubeAsGroup" ? [v] : key === "burstLimit" || key === "qps" ? Number(v) : v;
  }
  return flags as GlobalFlags;
}

interface OptionInfo {
  long?: string;
  short?: string;
  description: string;
  takesValue: boolean;
}

function optionsOf(cmd: Command): OptionInfo[] {
  const out: OptionInfo[] = [];
  for (let c: Command | null = cmd; c; c = c.parent as Command | null) {
    for (const o of c.options) {
      if (o.hidden) continue;
      out.push({
        long: o.long,
        short: o.short,
        description: o.description,
        takesValue: o.required || o.optional,
      });
    }
  }
  out.push({ long: "--help", short: "-h", description: `help for ${cmd.name()}`, takesValue: false });
  return out;
}

/** Work out the candidates for `words` (everything after `helm`; the last word is the one being typed). */
export async function complete(root: Command, words: string[]): Promise<Completion> {
  const partial = words.length > 0 ? words[words.length - 1]! : "";
  const done = words.slice(0, -1);
  let cmd = root;
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  let expectValue: string | undefined;
  for (const word of done) {
    if (expectValue !== undefined) {
      flags[expectValue] = word;
      expectValue = undefined;
      continue;
    }
    if (word.startsWith("-")) {
      const [name, value] = word.includes("=")
        ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]
        : [word, undefined];
      const opt = optionsOf(cmd).find((o) => o.long === name || o.short === name);
      if (opt?.takesValue && opt.long) {
        if (value === undefined) expectValue = opt.long;
        else flags[opt.long] = value;
      }
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && positional.length === 0) {
      cmd = sub as Command;
      continue;
    }
    positional.push(word);
  }
  let settings: EnvSettings | undefined;
  const request = (args: string[]): CompletionRequest => ({
    args,
    partial,
    flags,
    settings: () => {
      settings ??= resolveSettings(globalFlags(flags));
      return settings;
    },
  });
  if (expectValue !== undefined) {
    const completer = flagCompleter(cmd, expectValue);
    return completer ? completer(request(positional)) : { candidates: [], directive: DIRECTIVE_DEFAULT };
  }

  if (partial.startsWith("-")) {
    const candidates = optionsOf(cmd)
      .flatMap((o) => {
        const names = partial.startsWith("--") || !o.short ? [o.long] : [o.short, o.long];
        return names
          .filter((n): n is string => n !== undefined)
          .map((n) => ({ value: n, description: o.description }));
      })
      .filter((c) => c.value.startsWith(partial));
    return { candidates, directive: DIRECTIVE_NO_FILE_COMP };
  }

  const subs =
    positional.length === 0
      ? cmd.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden)
      : [];
  if (subs.length > 0) {
    const candidates = subs
      .filter((c) => c.name().startsWith(partial))
      .sort((a, b) => a.name().localeCompare(b.name()))
      .map((c) => ({ value: c.name(), description: c.summary() || c.description() }));
    return { candidates, directive: DIRECTIVE_NO_FILE_COMP };
  }
  const completer = argCompleters.get(cmd);
  if (completer) return completer(request(positional));
  return { candidates: [], directive: DIRECTIVE_DEFAULT };
}

/** cobra's names for a directive's bits, as it reports them on stderr. */
export function directiveNames(directive: number): string {
  if (directive === DIRECTIVE_DEFAULT) return "ShellCompDirectiveDefault";
  const names: [number, string][] = [
    [DIRECTIVE_ERROR, "ShellCompDirectiveError"],
    [DIRECTIVE_NO_SPACE, "ShellCompDirectiveNoSpace"],
    [DIRECTIVE_NO_FILE_COMP, "ShellCompDirectiveNoFileComp"],
  ];
  return names
    .filter(([bit]) => (directive & bit) !== 0)
    .map(([, n]) => n)
    .join(", ");
}

/** Print a completion in the protocol's format. */
export function formatCompletion(c: Completion): string {
  const lines = c.candidates.map((x) =>
    x.description ? `${x.value}\t${x.description.split("\n")[0]}` : x.value,
  );
  return `${[...lines, `:${c.directive}`].join("\n")}\n`;
}

/** Completion scripts for each shell; each calls `PROG __complete` and honours the directive. */
export function completionScript(shell: string, prog: string): string {
  const fn = `__${prog.replace(/[^A-Za-z0-9_]/g, "_")}`;
  switch (shell) {
    case "bash":
      return `# bash completion for ${prog} (helm-ts)
${fn}_complete() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local -a args=("\${COMP_WORDS[@]:1:COMP_CWORD}")
    local out directive
    out=$("\${COMP_WORDS[0]}" __complete "\${args[@]}" 2>/dev/null) || return
    directive=\${out##*:}
    out=\${out%:*}
    COMPREPLY=()
    if (( directive & 1 )); then return; fi
    local line comp
    while IFS= read -r line; do
        comp=\${line%%$'\\t'*}
        # Like cobra's script, keep only candidates that start with the word typed.
        [[ -n $comp && $comp == "$cur"* ]] && COMPREPLY+=("$comp")
    done <<< "$out"
    if (( \${#COMPREPLY[@]} == 0 )) && (( (directive & 4) == 0 )); then
        compopt -o default 2>/dev/null
    fi
    if (( directive & 2 )); then compopt -o nospace 2>/dev/null; fi
}
complete -o nosort -F ${fn}_complete ${prog} 2>/dev/null || complete -F ${fn}_complete ${prog}
`;
    case "zsh":
      return `#compdef ${prog}
# zsh completion for ${prog} (helm-ts)
${fn}_complete() {
    local -a args completions
    args=("\${words[@]:1:$((CURRENT-1))}")
    local out directive
    out=$("\${words[1]}" __complete "\${args[@]}" 2>/dev/null) || return 1
    directive=\${out##*:}
    out=\${out%:*}
    (( directive & 1 )) && return 1
    local line
    for line in "\${(@f)out}"; do
        [[ -n $line ]] || continue
        completions+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    done
    if (( \${#completions} == 0 )); then
        (( directive & 4 )) || _files
        return
    fi
    _describe 'completions' completions
}
compdef ${fn}_complete ${prog}
`;
    case "fish":
      return `# fish completion for ${prog} (helm-ts)
function ${fn}_complete
    set -l args (commandline -opc)[2..-1] (commandline -ct)
    set -l out (command ${prog} __complete $args 2>/dev/null)
    set -l directive (string replace -r '^:' '' -- $out[-1])
    if test (math "$directive % 2") -eq 1
        return
    end
    for line in $out[1..-2]
        echo $line
    end
end
complete -c ${prog} -f -a '(${fn}_complete)'
`;
    case "powershell":
      return `# powershell completion for ${prog} (helm-ts)
Register-ArgumentCompleter -CommandName '${prog}' -Native -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $words = $CommandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() }
    if ($WordToComplete -eq '') { $words += '' }
    $out = & '${prog}' __complete @words 2>$null
    if (-not $out) { return }
    $directive = [int]($out[-1].TrimStart(':'))
    if ($directive -band 1) { return }
    $out | Select-Object -SkipLast 1 | Where-Object { $_.StartsWith($WordToComplete) } | ForEach-Object {
        $parts = $_ -split "\`t", 2
        $desc = if ($parts.Length -gt 1 -and $parts[1]) { $parts[1] } else { $parts[0] }
        [System.Management.Automation.CompletionResult]::new($parts[0], $parts[0], 'ParameterValue', $desc)
    }
}
`;
    default:
      throw new Error(`unsupported shell "${shell}"`);
  }
}
