/**
 * Shell completion, on cobra's protocol so the generated scripts behave like Helm's:
 * the shell runs `helm __complete ARGS... PARTIAL`, which prints one `candidate<TAB>description`
 * per line and a last line `:DIRECTIVE` (a bit set: 1 error, 2 no space, 4 no file completion).
 */
import type { Command } from "@commander-js/extra-typings";

export const DIRECTIVE_ERROR = 1;
export const DIRECTIVE_NO_SPACE = 2;
export const DIRECTIVE_NO_FILE_COMP = 4;
/** Default: let the shell fall back to file names. */
export const DIRECTIVE_DEFAULT = 0;

/** Candidates for a command's positional arguments (release names, charts…). */
export type ArgCompleter = (args: string[], partial: string) => Promise<Completion> | Completion;

export interface Completion {
  candidates: { value: string; description?: string }[];
  directive: number;
}

const argCompleters = new WeakMap<Command, ArgCompleter>();

/** Register how a command's positional arguments complete. */
export function completeArgsWith(cmd: Command, completer: ArgCompleter): void {
  argCompleters.set(cmd, completer);
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
  let expectValue = false;
  for (const word of done) {
    if (expectValue) {
      expectValue = false;
      continue;
    }
    if (word.startsWith("-")) {
      const opt = optionsOf(cmd).find((o) => o.long === word || o.short === word);
      if (opt?.takesValue && !word.includes("=")) expectValue = true;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && positional.length === 0) {
      cmd = sub as Command;
      continue;
    }
    positional.push(word);
  }
  if (expectValue) return { candidates: [], directive: DIRECTIVE_DEFAULT };

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
  if (completer) return completer(positional, partial);
  return { candidates: [], directive: DIRECTIVE_DEFAULT };
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
    local line
    while IFS= read -r line; do
        [[ -n $line ]] && COMPREPLY+=("\${line%%$'\\t'*}")
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
    $out | Select-Object -SkipLast 1 | ForEach-Object {
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
