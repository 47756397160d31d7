/**
 * The language case table: template snippets with what real Helm v4.1.4 made of them (output, or
 * Go's error), recorded by `bun test/chart/engine/record-cases.ts language` into
 * fixtures/language-cases.json. Each case is rendered as a chart's `templates/x.yaml` with
 * CASE_VALUES as values.yaml; the engine test runs the same text with the same data.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type FuncMap, func, type TemplateFunc } from "../../../src/chart/engine/funcs/types.ts";
import { ExecError, ParseError, TemplateSet } from "../../../src/chart/engine/index.ts";
import {
  type GoMap,
  type GoValue,
  isGoMap,
  newGoMap,
  typedList,
  withMethods,
} from "../../../src/chart/engine/value.ts";
import { parseValues } from "../../../src/chart/engine/yaml.ts";
import { capabilities, releaseObject, templateObject } from "../../../src/chart/render/builtins.ts";
import { formatRenderError } from "../../../src/chart/render/errors.ts";
import { filesObject } from "../../../src/chart/render/files.ts";
import { CASE_FILE, type HelmResult } from "./helm-oracle.ts";

export const CASE_VALUES = `s: str
num: 3
f: 1.5
big: 1000000
neg: -2
t: true
z: 0
e: ""
nul: null
l: [a, b, c]
nl: [1, 2, 3]
el: []
m: {b: 2, a: 1, c: {d: x}}
em: {}
nested: {a: {b: {c: deep}}}
`;

export interface LanguageCase {
  template: string;
  /** values.yaml, when not CASE_VALUES. */
  values?: string;
  want?: HelmResult;
}

export const CASES_FILE = join(import.meta.dir, "fixtures", "language-cases.json");

export function loadCases(file = CASES_FILE): LanguageCase[] {
  return JSON.parse(readFileSync(file, "utf8")) as LanguageCase[];
}

/** Stand-ins for the Sprig functions the cases use, with Sprig's Go signatures. */
export function stubFuncs(): Map<string, TemplateFunc> {
  const str = (v: GoValue): string => (typeof v === "string" ? v : String(v));
  return new Map<string, TemplateFunc>([
    ["upper", func(["string"], (s) => str(s).toUpperCase())],
    ["lower", func(["string"], (s) => str(s).toLowerCase())],
    [
      "indent",
      func(["int", "string"], (n, s) => {
        const pad = " ".repeat(Number(n));
        return pad + str(s).replaceAll("\n", `\n${pad}`);
      }),
    ],
    [
      "hasKey",
      func(["map[string]interface {}", "string"], (m, k) => isGoMap(m) && Object.hasOwn(m, k as string)),
    ],
    ["ternary", func(["interface {}", "interface {}", "bool"], (a, b, c) => (c ? a : b))],
    ["list", func([], (...items) => items, "interface {}")],
    [
      "quote",
      func(
        [],
        (...a) =>
          a
            .filter((x) => x !== null)
            .map((x) => JSON.stringify(str(x)))
            .join(" "),
        "interface {}",
      ),
    ],
  ]);
}

/** The top-level data Helm gives templates/x.yaml of chart `t` (release `t`, namespace default). */
export function caseData(values: string): GoMap {
  const d = newGoMap();
  d.Values = withMethods(parseValues(values), { goType: "common.Values", methods: {} });
  d.Release = releaseObject({
    name: "t",
    namespace: "default",
    revision: 1,
    isInstall: true,
    isUpgrade: false,
  });
  const chart = newGoMap();
  chart.Name = "t";
  chart.Version = "0.1.0";
  chart.APIVersion = "v2";
  chart.Keywords = typedList([], "string");
  d.Chart = chart;
  d.Capabilities = capabilities({
    helm: {
      version: "v4.1.4",
      gitCommit: "05fa37973dc9e42b76e1d2883494c87174b6074f",
      gitTreeState: "clean",
      goVersion: "go1.25.9",
      kubeClientVersion: "v1.35",
    },
  });
  d.Template = templateObject(CASE_FILE, "t/templates");
  d.Files = filesObject([]);
  return withMethods(d, { goType: "common.Values", methods: {} });
}

/** Helm prints only the last ": "-separated part of a parse error's message. */
function helmParseError(message: string): string {
  const tokens = message.split(": ");
  return `template: ${tokens[1]}: ${tokens[tokens.length - 1]}`;
}

/** Render a case with the engine (and these functions), in the form the table records. */
export function renderCase(
  c: LanguageCase,
  funcs: FuncMap = stubFuncs(),
  defaultValues = CASE_VALUES,
): HelmResult {
  const set = new TemplateSet().addFuncs(funcs);
  try {
    set.parse(CASE_FILE, c.template);
    return {
      output: set.execute(CASE_FILE, caseData(c.values ?? defaultValues)).replaceAll("<no value>", ""),
    };
  } catch (err) {
    if (err instanceof ParseError) return { error: helmParseError(err.message) };
    if (err instanceof ExecError) {
      // fail and required read as Helm prints them: `execution error at (FILE:L:C): MESSAGE`.
      const helm = formatRenderError(err);
      return { error: helm.startsWith("execution error at ") ? helm : err.message };
    }
    return { error: `unexpected ${(err as Error).stack}` };
  }
}
