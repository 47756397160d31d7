/**
 * The values flags every chart command shares (`-f`, `--set`, `--set-string`, `--set-json`,
 * `--set-file`, `--set-literal`). Merging them (Helm's order) is the chart layer's job; it is
 * loaded only when a command runs.
 */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { GoMap } from "../chart/engine/value.ts";
import { UserError } from "./errors.ts";
import { collect } from "./program.ts";

export interface ValuesFlags {
  values?: string[];
  set?: string[];
  setString?: string[];
  setJson?: string[];
  setFile?: string[];
  setLiteral?: string[];
}

/** Declare the values flags on a command. */
export function addValuesFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option(
      "-f, --values <strings>",
      "specify values in a YAML file or a URL (can specify multiple)",
      collect,
    )
    .option(
      "--set <stringArray>",
      "set values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)",
      collect,
    )
    .option(
      "--set-string <stringArray>",
      "set STRING values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)",
      collect,
    )
    .option(
      "--set-json <stringArray>",
      "set JSON values on the command line (can specify multiple or separate values with commas: key1=jsonval1,key2=jsonval2)",
      collect,
    )
    .option(
      "--set-file <stringArray>",
      "set values from respective files specified via the command line (can specify multiple or separate values with commas: key1=path1,key2=path2)",
      collect,
    )
    .option("--set-literal <stringArray>", "set a literal STRING value on the command line", collect);
}

/** The user's values from the flags, merged as Helm merges them; errors become user errors. */
export async function userValues(flags: ValuesFlags): Promise<GoMap> {
  const { defaultValueSources, mergeValueOptions, ValuesError } = await import("../chart/values/options.ts");
  try {
    return await mergeValueOptions(
      {
        valueFiles: flags.values,
        jsonValues: flags.setJson,
        values: flags.set,
        stringValues: flags.setString,
        fileValues: flags.setFile,
        literalValues: flags.setLiteral,
      },
      await defaultValueSources(),
    );
  } catch (err) {
    if (err instanceof ValuesError) throw new UserError(err.message);
    throw err;
  }
}
