/**
 * The function map Helm gives templates: Sprig (less `env` and `expandenv`, which Helm removes)
 * plus Helm's own (toYaml, fromYaml, toJson, …, lookup). `include` and `tpl` come from the template set.
 */
import { cryptoRandom, type RandomSource } from "../random.ts";
import { type GoValue, newGoMap } from "../value.ts";
import { collectionFuncs } from "./collections.ts";
import { cryptoFuncs } from "./crypto.ts";
import { dateFuncs } from "./dates.ts";
import { miscFuncs } from "./misc.ts";
import { reflectFuncs } from "./reflect.ts";
import {
  fromJson,
  fromJsonArray,
  fromYaml,
  fromYamlArray,
  mustFromJson,
  toJson,
  toYaml,
} from "./serialize.ts";
import { stringFuncs } from "./strings.ts";
import { fromToml, toToml } from "./toml.ts";
import { type FuncMap, func, type TemplateFunc } from "./types.ts";

export { RequiredError } from "./misc.ts";

export interface FuncMapOptions {
  /** Source of randomness; cryptographic unless a seed is given. */
  random?: RandomSource;
  now?: () => Date;
  /** `lookup apiVersion kind namespace name`; an empty map when there is no cluster. */
  lookup?: (apiVersion: string, kind: string, namespace: string, name: string) => GoValue;
  /**
   * Lint mode (`helm lint`): `required` and `fail` do not stop the render; they log here (as Helm
   * logs them) and yield an empty string.
   */
  lintLog?: (level: "INFO" | "WARN", msg: string, attrs: [string, string][]) => void;
}

const ANY = "interface {}" as const;

function helmFuncs(opts: FuncMapOptions): [string, TemplateFunc][] {
  const must = (name: string, f: (v: GoValue) => string): [string, TemplateFunc][] => [
    [
      name,
      func([ANY], (v) => {
        try {
          return f(v);
        } catch {
          return "";
        }
      }),
    ],
    [`must${name[0]!.toUpperCase()}${name.slice(1)}`, func([ANY], f)],
  ];
  return [
    ...must("toYaml", (v) => toYaml(v)),
    ["toYamlPretty", func([ANY], (v) => toYaml(v, true))],
    ...must("toJson", (v) => toJson(v)),
    // json.MarshalIndent: the compact form re-indented, HTML characters escaped as in toJson.
    ...must("toPrettyJson", (v) =>
      JSON.stringify(JSON.parse(toJson(v)), null, 2).replace(
        /[<>&\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      ),
    ),
    ...must("toRawJson", (v) =>
      toJson(v)
        .replace(/\\u003c/g, "<")
        .replace(/\\u003e/g, ">")
        .replace(/\\u0026/g, "&"),
    ),
    ["fromYaml", func(["string"], (s) => fromYaml(s as string))],
    ["fromYamlArray", func(["string"], (s) => fromYamlArray(s as string))],
    ["fromJson", func(["string"], (s) => fromJson(s as string))],
    ["fromJsonArray", func(["string"], (s) => fromJsonArray(s as string))],
    ["mustFromJson", func(["string"], (s) => mustFromJson(s as string))],
    ["toToml", func([ANY], (v) => toToml(v))],
    ["fromToml", func(["string"], (s) => fromToml(s as string))],
    [
      "lookup",
      func(["string", "string", "string", "string"], (a, k, ns, n) =>
        opts.lookup ? opts.lookup(a as string, k as string, ns as string, n as string) : newGoMap(),
      ),
    ],
  ];
}

/**
 * With a seed, certificates must not embed the render's wall-clock time: their validity starts at
 * SOURCE_DATE_EPOCH when set, else at the start of the current UTC day.
 */
function reproducibleCertTime(now: Date): Date {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (Number.isFinite(epoch) && epoch > 0) return new Date(epoch * 1000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Build the full function map for one render. */
export function buildFuncMap(opts: FuncMapOptions = {}): FuncMap {
  const random = opts.random ?? cryptoRandom();
  const seeded = opts.random !== undefined;
  const now = opts.now ?? (() => new Date());
  return new Map<string, TemplateFunc>([
    ...stringFuncs(random),
    ...collectionFuncs(),
    ...reflectFuncs(),
    ...miscFuncs(random),
    ...dateFuncs(now),
    ...cryptoFuncs(random, seeded, seeded ? () => reproducibleCertTime(now()) : now),
    ...helmFuncs(opts),
    ...(opts.lintLog ? lintFuncs(opts.lintLog) : []),
  ]);
}

/** `required` and `fail` as Helm's lint mode has them: a log line instead of an error. */
function lintFuncs(log: NonNullable<FuncMapOptions["lintLog"]>): [string, TemplateFunc][] {
  return [
    [
      "required",
      func(["string", ANY], (msg, v) => {
        if (v !== null && v !== "") return v;
        log("WARN", "missing required value", [["message", msg as string]]);
        return "";
      }),
    ],
    [
      "fail",
      func(["string"], (msg) => {
        log("INFO", "funcMap fail", [["message", msg as string]]);
        return "";
      }),
    ],
  ];
}
