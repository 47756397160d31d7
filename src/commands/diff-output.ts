/** Printing a diff's changes (shared by `helm diff …` and `helm upgrade --diff`). */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import { colorEnabled } from "../cli/color.ts";
import { ExitStatus, UserError } from "../cli/errors.ts";
import { logToStderr } from "../cli/log.ts";
import { collect, intFlag } from "../cli/program.ts";
import type { DiffReport } from "../diff/changes.ts";
import { type DiffOutputFormat, diffOutputFormat, formatChanges } from "../diff/format.ts";

/** Declare the flags that shape a diff report (helm-diff's names and defaults). */
export function addDiffReportFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option(
      "-C, --context <int>",
      "output NUM lines of context around changes (-1: every line)",
      intFlag("--context"),
      -1,
    )
    .option(
      "--suppress <stringArray>",
      "allows suppression of the kinds listed in the diff output (can specify multiple, like '--suppress Deployment --suppress Service')",
      collect,
    )
    .option("-q, --suppress-secrets", "suppress secrets in the output")
    .option("--show-secrets", "do not redact secret values in the output")
    .option("--no-hooks", "disable diffing of hooks")
    .option("--include-tests", "enable the diffing of the helm test hooks")
    .option("-o, --output <string>", "Possible values: diff, simple, json, dyff", "diff")
    .option("--detailed-exitcode", "return exit code 2 when there are changes (0 when none)")
    .option("--no-color", "remove colors from the output");
}

export interface DiffReportFlags {
  context: number;
  suppress?: string[];
  suppressSecrets?: boolean;
  showSecrets?: boolean;
  hooks?: boolean;
  includeTests?: boolean;
  output: string;
  detailedExitcode?: boolean;
  color?: boolean;
}

/** What the service is asked to compare and reveal. */
export function diffScope(flags: Pick<DiffReportFlags, "showSecrets" | "hooks" | "includeTests">) {
  return {
    showSecrets: flags.showSecrets === true,
    disableHooks: flags.hooks === false,
    includeTests: flags.includeTests === true,
  };
}

/** The `-o` value, checked before any work is done. */
export function reportFormat(flags: Pick<DiffReportFlags, "output">): DiffOutputFormat {
  try {
    return diffOutputFormat(flags.output);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}

/**
 * Print the report (its warnings on stderr); with `--detailed-exitcode`, changes end the command
 * with exit status 2.
 */
export function writeDiff({ changes, warnings }: DiffReport, flags: Partial<DiffReportFlags>): void {
  for (const w of warnings) logToStderr("WARN", w);
  const suppress = [...(flags.suppress ?? []), ...(flags.suppressSecrets ? ["Secret"] : [])];
  process.stdout.write(
    formatChanges(changes, {
      output: reportFormat({ output: flags.output ?? "diff" }),
      context: flags.context ?? -1,
      suppress,
      color: flags.color !== false && colorEnabled(),
    }),
  );
  if (flags.detailedExitcode && changes.length > 0) throw new ExitStatus(2);
}
