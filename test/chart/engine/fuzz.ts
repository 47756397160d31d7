/**
 * Fuzzing the template engine: random and mutated template text through the lexer, the parser,
 * and (for texts that parse) the executor with the full function map. An input fails when it
 * throws anything but the engine's clean errors (a TypeError, a stack overflow…) or takes longer
 * than the time bound. `fuzz.test.ts` runs each target briefly; for long runs:
 * `bun test/chart/engine/fuzz.ts --minutes 10 [lexer|parser|exec]`.
 */
import { buildFuncMap } from "../../../src/chart/engine/funcs/index.ts";
import { ExecError, ParseError, TemplateSet, TemplateSyntaxError } from "../../../src/chart/engine/index.ts";
import { lex } from "../../../src/chart/engine/lexer.ts";
import { parse } from "../../../src/chart/engine/parser.ts";
import { seededRandom } from "../../../src/chart/engine/random.ts";
import { FUNCTION_CASES_FILE, FUNCTION_VALUES } from "./function-cases.ts";
import { caseData, loadCases } from "./language-cases.ts";

export type FuzzTarget = "lexer" | "parser" | "exec";
export const FUZZ_TARGETS: readonly FuzzTarget[] = ["lexer", "parser", "exec"];

/**
 * Longest time one input may take (ms of CPU time, so other work on a busy machine does not count;
 * the worst inputs, 20,000 nested blocks, take about 0.1–0.3 s).
 */
export const TIME_BOUND_MS = 2000;

/** CPU time of this process so far (ms). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface FuzzReport {
  target: FuzzTarget;
  inputs: number;
  failures: { input: string; problem: string }[];
}

const FRAGMENTS = [
  "{{",
  "}}",
  "{{-",
  "-}}",
  "{{/*",
  "*/}}",
  " ",
  "\n",
  ".",
  "$",
  "$x",
  ":=",
  "=",
  "|",
  "(",
  ")",
  ",",
  "if",
  "else",
  "else if",
  "end",
  "range",
  "with",
  "define",
  "template",
  "block",
  "break",
  "continue",
  "nil",
  "true",
  "false",
  '"s"',
  "`raw`",
  "'c'",
  "1",
  "-1",
  "1.5",
  "1e3",
  "0x1F",
  "99999999999999999999",
  ".Values",
  ".Values.m",
  ".Values.l",
  ".Release.Name",
  "include",
  "tpl",
  "toYaml",
  "printf",
  '"%v"',
  "list",
  "dict",
  "default",
  "index",
  "len",
  "eq",
  "and",
  "or",
  "not",
  "print",
  "upper",
  "indent 2",
  "required",
  "fail",
  "fromYaml",
  "toJson",
  "until 3",
  "repeat 3",
  "$.Values",
  "else with",
  '"\\n"',
];

/** Functions whose honest cost (RSA keys, scrypt, bcrypt) would trip the time bound. */
const SLOW = /gen(PrivateKey|CA|SelfSigned|Signed)|derivePassword|bcrypt|htpasswd/;

/** Seed texts: every recorded case, language and functions (but the slow ones). */
function seeds(): string[] {
  return [...loadCases(), ...loadCases(FUNCTION_CASES_FILE)]
    .map((c) => c.template)
    .filter((t) => !SLOW.test(t));
}

type Rand = ReturnType<typeof seededRandom>;

function pick<T>(r: Rand, items: readonly T[]): T {
  return items[r.intn(items.length)]!;
}

/** A random input: a mutated seed, a splice of fragments, or deep nesting. */
function nextInput(r: Rand, seedTexts: string[]): string {
  const kind = r.intn(10);
  if (kind === 0) {
    const depth = 1 + r.intn(20000);
    const open = pick(r, ["(", "{{ if true }}", "{{ with . }}", "{{ range until 1 }}", "[", "{{ ("]);
    const close = open === "(" ? ")" : open === "[" ? "]" : open === "{{ (" ? ")}}" : "{{ end }}";
    return `{{ ${open.repeat(depth)}1${close.repeat(r.intn(2) === 0 ? depth : r.intn(depth + 1))} }}`;
  }
  if (kind < 4) {
    let s = "";
    const n = 1 + r.intn(30);
    for (let i = 0; i < n; i++) s += pick(r, FRAGMENTS) + (r.intn(2) === 0 ? " " : "");
    return s;
  }
  let s = pick(r, seedTexts);
  const edits = 1 + r.intn(4);
  for (let i = 0; i < edits; i++) {
    const at = r.intn(s.length + 1);
    switch (r.intn(4)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + 1 + r.intn(5));
        break;
      case 1:
        s = s.slice(0, at) + pick(r, FRAGMENTS) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + String.fromCharCode(r.intn(0x250)) + s.slice(at);
        break;
      default:
        s = s.slice(0, at) + pick(r, seedTexts) + s.slice(at);
    }
  }
  return s;
}

/** Whether an error is one the engine means to raise (Go's template errors and Helm's). */
function isCleanError(err: unknown): boolean {
  if (err instanceof TemplateSyntaxError || err instanceof ParseError || err instanceof ExecError)
    return true;
  if (!(err instanceof Error) || err.constructor !== Error) return false;
  return /^(template: |error during tpl|cannot parse template|rendering template has a nested reference)/.test(
    err.message,
  );
}

const isFunc = (() => {
  const names = new Set([...buildFuncMap().keys(), "include", "tpl"]);
  return (n: string) => names.has(n);
})();

function runOne(target: FuzzTarget, input: string): void {
  if (target === "lexer") {
    lex(input);
    return;
  }
  if (target === "parser") {
    parse("fuzz", input, { isFunc });
    return;
  }
  const set = new TemplateSet({ maxOutput: 1024 * 1024 }).addFuncs(
    buildFuncMap({ random: seededRandom("fuzz") }),
  );
  set.parse("fuzz", input);
  set.execute("fuzz", caseData(FUNCTION_VALUES));
}

/** Fuzz one target for `ms` milliseconds from a seed; returns what was tried and what failed. */
export function fuzz(target: FuzzTarget, ms: number, seed = "helm-ts"): FuzzReport {
  const r = seededRandom(`${seed}/${target}`);
  const seedTexts = seeds();
  const report: FuzzReport = { target, inputs: 0, failures: [] };
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const input = nextInput(r, seedTexts);
    report.inputs++;
    const t0 = cpuMs();
    try {
      runOne(target, input);
    } catch (err) {
      if (!isCleanError(err)) {
        report.failures.push({
          input,
          problem: `${(err as Error)?.name}: ${(err as Error)?.message}`.slice(0, 300),
        });
      }
    }
    const took = cpuMs() - t0;
    if (took > TIME_BOUND_MS) report.failures.push({ input, problem: `took ${took.toFixed(0)} ms of CPU` });
  }
  return report;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--minutes");
  const minutes = at >= 0 ? Number(args[at + 1]) : 1;
  const named = args.filter((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1)) as FuzzTarget[];
  for (const target of named.length > 0 ? named : FUZZ_TARGETS) {
    const rep = fuzz(target, minutes * 60_000, `long-${Date.now()}`);
    console.log(`${target}: ${rep.inputs} inputs, ${rep.failures.length} failures`);
    for (const f of rep.failures.slice(0, 20))
      console.log(`  ${JSON.stringify(f.input).slice(0, 200)}\n    ${f.problem}`);
  }
}
