/**
 * The values flags every chart command shares (`-f`, `--set`, `--set-string`, `--set-json`,
 * `--set-file`, `--set-literal`) and their merge in Helm's order.
 */
import { readFileSync } from "node:fs";
import type { Command, OptionValues } from "@commander-js/extra-typings";
import { parseYamlValue } from "../chart/engine/funcs/serialize.ts";
import { type GoMap, isGoMap, newGoMap } from "../chart/engine/value.ts";
import { mergeMaps, parseSet, type ValueMode } from "../chart/values/strvals.ts";
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

function readValuesFile(path: string, stdin: () => string): GoMap {
  let text: string;
  try {
    text = path === "-" ? stdin() : readFileSync(path, "utf8");
  } catch (err) {
    throw new UserError(
      `open ${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`,
    );
  }
  let v: ReturnType<typeof parseYamlValue>;
  try {
    v = parseYamlValue(text);
  } catch (err) {
    throw new UserError(
      `failed to parse ${path}: error converting YAML to JSON: ${(err as Error).message.split("\n")[0]}`,
    );
  }
  if (v === null) return newGoMap();
  if (!isGoMap(v))
    throw new UserError(
      `failed to parse ${path}: error unmarshaling JSON: the file must hold a YAML mapping`,
    );
  return v;
}

/** Merge the user's values in Helm's order: files, then --set-json, --set, --set-string, --set-file, --set-literal. */
export function mergeUserValues(
  flags: ValuesFlags,
  stdin: () => string = () => readFileSync(0, "utf8"),
): GoMap {
  let base = newGoMap();
  for (const f of flags.values ?? []) base = mergeMaps(base, readValuesFile(f, stdin));
  const apply = (args: string[] | undefined, mode: ValueMode, label: string) => {
    for (const a of args ?? []) {
      try {
        parseSet(a, base, mode, (p) => readFileSync(p, "utf8"));
      } catch (err) {
        throw new UserError(`failed parsing ${label} data: ${(err as Error).message}`);
      }
    }
  };
  apply(flags.setJson, "json", "--set-json");
  apply(flags.set, "typed", "--set");
  apply(flags.setString, "string", "--set-string");
  apply(flags.setFile, "file", "--set-file");
  apply(flags.setLiteral, "literal", "--set-literal");
  return base;
}
