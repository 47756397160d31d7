/**
 * The user's values from the command line, merged as Helm merges them: `-f/--values` files in
 * order (a path, `-` for stdin, or an http(s) URL), then every `--set-json`, `--set`,
 * `--set-string`, `--set-file` and `--set-literal` — in that fixed order, whatever the order of the
 * flags. Errors read as Helm's (`failed to parse x.yaml: …`, `failed parsing --set data: …`).
 */
import { type GoMap, newGoMap } from "../engine/value.ts";
import { parseValues } from "../engine/yaml.ts";
import { applySetJson, mergeMaps, parseSet, StrvalsError, type ValueMode } from "./strvals.ts";

/** The values flags of install/upgrade/template/lint. */
export interface ValueOptions {
  /** `-f/--values`: paths, `-` or URLs. */
  valueFiles?: string[];
  /** `--set-json`. */
  jsonValues?: string[];
  /** `--set`. */
  values?: string[];
  /** `--set-string`. */
  stringValues?: string[];
  /** `--set-file`. */
  fileValues?: string[];
  /** `--set-literal`. */
  literalValues?: string[];
}

/** Where values come from; tests and the remote client substitute their own. */
export interface ValueSources {
  /** A local file's text; throws with Go-like messages (`open x: no such file or directory`). */
  readFile(path: string): string;
  /** Standard input's text (for `-`). */
  readStdin(): string;
  /** An http(s) URL's text. */
  fetchUrl(url: string): Promise<string>;
}

/** A values flag that cannot be used; the message is Helm's. */
export class ValuesError extends Error {
  override name = "ValuesError";
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

async function readSource(path: string, sources: ValueSources): Promise<string> {
  if (path.trim() === "-") return sources.readStdin();
  if (isUrl(path)) return sources.fetchUrl(path);
  return sources.readFile(path);
}

/** Parse one `-f` file's text as Helm does (`failed to parse NAME: …`). */
export function parseValuesFile(name: string, text: string): GoMap {
  try {
    return parseValues(text);
  } catch (err) {
    throw new ValuesError(`failed to parse ${name}: ${(err as Error).message}`);
  }
}

const FLAG: Record<Exclude<ValueMode, "json">, string> = {
  typed: "--set",
  string: "--set-string",
  file: "--set-file",
  literal: "--set-literal",
};

/** Merge the user's values from all flags into one map, in Helm's order. */
export async function mergeValueOptions(opts: ValueOptions, sources: ValueSources): Promise<GoMap> {
  let base = newGoMap();
  for (const f of opts.valueFiles ?? []) {
    let text: string;
    try {
      text = await readSource(f, sources);
    } catch (err) {
      throw new ValuesError((err as Error).message);
    }
    base = mergeMaps(base, parseValuesFile(f, text));
  }
  for (const arg of opts.jsonValues ?? []) {
    try {
      applySetJson(arg, base);
    } catch (err) {
      throw new ValuesError((err as Error).message);
    }
  }
  const apply = (
    args: string[] | undefined,
    mode: Exclude<ValueMode, "json">,
    read?: (p: string) => string,
  ) => {
    for (const arg of args ?? []) {
      try {
        parseSet(arg, base, mode, read);
      } catch (err) {
        const msg = err instanceof StrvalsError ? err.message : String((err as Error).message);
        throw new ValuesError(`failed parsing ${FLAG[mode]} data: ${msg}`);
      }
    }
  };
  apply(opts.values, "typed");
  apply(opts.stringValues, "string");
  // --set-file may name URLs: fetch them first, then parse with everything at hand.
  const fetched = new Map<string, string>();
  for (const arg of opts.fileValues ?? []) {
    const wanted: string[] = [];
    try {
      parseSet(arg, newGoMap(), "file", (p) => {
        wanted.push(p);
        return "";
      });
    } catch {
      // The real pass reports the error.
    }
    for (const p of wanted) {
      if ((isUrl(p) || p.trim() === "-") && !fetched.has(p)) {
        try {
          fetched.set(p, await readSource(p, sources));
        } catch (err) {
          throw new ValuesError(`failed parsing --set-file data: ${(err as Error).message}`);
        }
      }
    }
  }
  apply(opts.fileValues, "file", (p) => fetched.get(p) ?? sources.readFile(p));
  apply(opts.literalValues, "literal");
  return base;
}

/** Go-worded reading errors for local files. */
function goReadError(path: string, err: NodeJS.ErrnoException): Error {
  switch (err.code) {
    case "ENOENT":
      return new Error(`open ${path}: no such file or directory`);
    case "EISDIR":
      return new Error(`read ${path}: is a directory`);
    case "EACCES":
      return new Error(`open ${path}: permission denied`);
    default:
      return new Error(`open ${path}: ${err.message}`);
  }
}

/** Value sources backed by the local filesystem, stdin and `fetch`. */
export async function defaultValueSources(): Promise<ValueSources> {
  const fs = await import("node:fs");
  return {
    readFile(path: string): string {
      try {
        return fs.readFileSync(path, "utf8");
      } catch (err) {
        throw goReadError(path, err as NodeJS.ErrnoException);
      }
    },
    readStdin(): string {
      return fs.readFileSync(0, "utf8");
    },
    async fetchUrl(url: string): Promise<string> {
      let res: Response;
      try {
        res = await fetch(url);
      } catch (err) {
        throw new Error(`Get ${JSON.stringify(url)}: ${(err as Error).message}`);
      }
      if (!res.ok) throw new Error(`failed to fetch ${url} : ${res.status} ${res.statusText}`);
      return res.text();
    },
  };
}
