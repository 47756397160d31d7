/**
 * Sprig's math, defaults and flow, encodings and hashes, regular expressions, semver, paths,
 * URLs and UUIDs.
 */
import { createHash } from "node:crypto";
import type { RandomSource } from "../random.ts";
import {
  compileGoRegexp,
  goExpand,
  goFindAll,
  goMatch,
  goReplaceAll,
  goSplit,
  mustCompileGoRegexp,
} from "../re2.ts";
import { type GoValue, goBytes, toInt64, typedList } from "../value.ts";
import { asFloat, asInt, asString, isEmpty } from "./convert.ts";
import { Constraint, parseSemver } from "./semver.ts";
import { SemverVersion } from "./semver-version.ts";
import { func, type TemplateFunc } from "./types.ts";
import { urlJoin, urlParse } from "./url.ts";

const ANY = "interface {}" as const;
const S = "string" as const;

function intFold(name: string, op: (a: bigint, b: bigint) => bigint): [string, TemplateFunc] {
  return [
    name,
    func(
      [ANY],
      (first, ...rest) => rest.reduce<bigint>((acc, x) => toInt64(op(acc, asInt(x))), asInt(first)),
      ANY,
    ),
  ];
}

function floatFold(name: string, op: (a: number, b: number) => number): [string, TemplateFunc] {
  return [
    name,
    func(
      [ANY],
      (first, ...rest) => rest.reduce<number>((acc, x) => op(acc, asFloat(x)), asFloat(first)),
      ANY,
    ),
  ];
}

/** A float64 as an exact decimal: digits (as a bigint) and a power of ten. */
function toDecimal(x: number): { n: bigint; exp: number } {
  const [mant, e] = x.toExponential().split("e") as [string, string];
  const [int, frac = ""] = mant.split(".") as [string, string?];
  return { n: BigInt(int + frac), exp: Number(e) - frac.length };
}

function fromDecimal(n: bigint, exp: number): number {
  return Number(`${n}e${exp}`);
}

/**
 * Sprig's float arithmetic goes through shopspring/decimal: the shortest decimal form of each
 * operand, exact sums and products (so `addf 0.1 0.2` is 0.3), quotients to 16 decimal places.
 */
function decimalOp(op: "add" | "sub" | "mul" | "div", a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b))
    return op === "add" ? a + b : op === "sub" ? a - b : op === "mul" ? a * b : a / b;
  const x = toDecimal(a);
  const y = toDecimal(b);
  if (op === "mul") return fromDecimal(x.n * y.n, x.exp + y.exp);
  if (op === "div") {
    if (b === 0) throw new Error("decimal division by 0");
    const scale = 16;
    // x / y rounded half away from zero at 16 places after the point.
    const shift = scale + x.exp - y.exp;
    let num = x.n * 10n;
    let den = y.n;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    let q = num / den;
    q = q >= 0n ? (q + 5n) / 10n : (q - 5n) / 10n;
    return fromDecimal(q, -scale);
  }
  const exp = Math.min(x.exp, y.exp);
  const xa = x.n * 10n ** BigInt(x.exp - exp);
  const ya = y.n * 10n ** BigInt(y.exp - exp);
  return fromDecimal(op === "add" ? xa + ya : xa - ya, exp);
}

function decimalFold(
  name: string,
  op: "add" | "sub" | "mul" | "div",
  atLeastOne: boolean,
): [string, TemplateFunc] {
  const fold = (...xs: GoValue[]): number => {
    if (xs.length === 0) return 0;
    return xs.slice(1).reduce<number>((acc, x) => decimalOp(op, acc, asFloat(x)), asFloat(xs[0]!));
  };
  return [name, atLeastOne ? func([ANY], fold, ANY) : func([], fold, ANY)];
}

function uuid(random: RandomSource): string {
  const b = Buffer.from(random.bytes(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Helm's `required`. */
function required(msg: GoValue, v: GoValue): GoValue {
  if (v === null || (typeof v === "string" && v === "")) throw new RequiredError(asString(msg));
  return v;
}

/** Raised by `fail` and `required`: Helm prints it as `execution error at (FILE:L:C): MESSAGE`. */
export class RequiredError extends Error {}

/**
 * Sprig's regex functions, each twice: `regexX` panics on a bad pattern (Go's MustCompile text;
 * `regexMatch` says false instead) and `mustRegexX` returns Go's compile error.
 */
function regexFuncs(): [string, TemplateFunc][] {
  const variants = (must: boolean): [string, TemplateFunc][] => {
    const compile = must ? compileGoRegexp : mustCompileGoRegexp;
    const name = (n: string) => (must ? `mustR${n.slice(1)}` : n);
    return [
      [
        name("regexMatch"),
        func([S, S], (re, s) => {
          if (must) return goMatch(compileGoRegexp(re as string), s as string);
          try {
            return goMatch(compileGoRegexp(re as string), s as string);
          } catch {
            return false;
          }
        }),
      ],
      [
        name("regexFind"),
        func([S, S], (re, s) => goFindAll(compile(re as string), s as string, 1)[0]?.[0] ?? ""),
      ],
      [
        name("regexFindAll"),
        func([S, S, "int"], (re, s, n) =>
          typedList(
            goFindAll(compile(re as string), s as string, Number(n)).map((m) => m[0]),
            "string",
          ),
        ),
      ],
      [
        name("regexReplaceAll"),
        func([S, S, S], (re, s, repl) => {
          const g = compile(re as string);
          return goReplaceAll(g, s as string, (m) => goExpand(g, repl as string, m));
        }),
      ],
      [
        name("regexReplaceAllLiteral"),
        func([S, S, S], (re, s, repl) =>
          goReplaceAll(compile(re as string), s as string, () => repl as string),
        ),
      ],
      [
        name("regexSplit"),
        func([S, S, "int"], (re, s, n) =>
          typedList(goSplit(compile(re as string), re as string, s as string, Number(n)), "string"),
        ),
      ],
    ];
  };
  return [...variants(false), ...variants(true)];
}

export function miscFuncs(random: RandomSource): [string, TemplateFunc][] {
  const hash = (alg: string) =>
    func([S], (s) =>
      createHash(alg)
        .update(goBytes(s as string))
        .digest("hex"),
    );
  return [
    ["add", func([], (...xs) => xs.reduce<bigint>((acc, x) => toInt64(acc + asInt(x)), 0n), ANY)],
    ["add1", func([ANY], (v) => toInt64(asInt(v) + 1n))],
    intFold("sub", (a, b) => a - b),
    intFold("mul", (a, b) => a * b),
    [
      "div",
      func([ANY, ANY], (a, b) => {
        const d = asInt(b);
        if (d === 0n) throw new Error("runtime error: integer divide by zero");
        return asInt(a) / d;
      }),
    ],
    [
      "mod",
      func([ANY, ANY], (a, b) => {
        const d = asInt(b);
        if (d === 0n) throw new Error("runtime error: integer divide by zero");
        return asInt(a) % d;
      }),
    ],
    // biome-ignore lint/complexity/useMathMinMax: bigint operands (Math.max takes numbers)
    intFold("max", (a, b) => (a > b ? a : b)),
    // biome-ignore lint/complexity/useMathMinMax: bigint operands
    intFold("min", (a, b) => (a < b ? a : b)),
    // biome-ignore lint/complexity/useMathMinMax: bigint operands
    intFold("biggest", (a, b) => (a > b ? a : b)),
    decimalFold("addf", "add", false),
    ["add1f", func([ANY], (v) => decimalOp("add", asFloat(v), 1))],
    decimalFold("subf", "sub", true),
    decimalFold("mulf", "mul", true),
    decimalFold("divf", "div", true),
    floatFold("maxf", Math.max),
    floatFold("minf", Math.min),
    ["int", func([ANY], (v) => asInt(v))],
    ["int64", func([ANY], (v) => asInt(v))],
    ["float64", func([ANY], (v) => asFloat(v))],
    [
      "toDecimal",
      func([ANY], (v) => {
        const n = Number.parseInt(asString(v), 8);
        return Number.isNaN(n) ? 0n : BigInt(n);
      }),
    ],
    ["floor", func([ANY], (v) => Math.floor(asFloat(v)))],
    ["ceil", func([ANY], (v) => Math.ceil(asFloat(v)))],
    [
      "round",
      func(
        [ANY, "int"],
        (v, p, ...rest) => {
          const roundOn = rest.length > 0 ? asFloat(rest[0]!) : 0.5;
          const pow = 10 ** Number(p);
          const digit = asFloat(v) * pow;
          const [intPart] = [Math.trunc(digit)];
          const frac = digit - intPart;
          return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
        },
        ANY,
      ),
    ],
    [
      "default",
      func([ANY], (def, ...given) => (given.length === 0 || isEmpty(given[0]!) ? def : given[0]!), ANY),
    ],
    ["empty", func([ANY], (v) => isEmpty(v))],
    ["coalesce", func([], (...vs) => vs.find((v) => !isEmpty(v)) ?? null, ANY)],
    ["all", func([], (...vs) => vs.every((v) => !isEmpty(v)), ANY)],
    ["any", func([], (...vs) => vs.some((v) => !isEmpty(v)), ANY)],
    ["ternary", func([ANY, ANY, "bool"], (t, f, c) => (c ? t : f))],
    [
      "fail",
      func([S], (m) => {
        throw new RequiredError(m as string);
      }),
    ],
    ["required", func([S, ANY], required)],
    ["sha1sum", hash("sha1")],
    ["sha256sum", hash("sha256")],
    ["sha512sum", hash("sha512")],
    ["adler32sum", func([S], (s) => String(adler32(Buffer.from(s as string))))],
    ...regexFuncs(),
    ["regexQuoteMeta", func([S], (s) => (s as string).replace(/[\\.+*?()|[\]{}^$]/g, "\\$&"))],
    ["semver", func([S], (v) => new SemverVersion(parseSemver(v as string)))],
    ["semverCompare", func([S, S], (c, v) => new Constraint(c as string).check(parseSemver(v as string)))],
    ["base", func([S], (p) => goBase(p as string))],
    ["dir", func([S], (p) => goDir(p as string))],
    ["ext", func([S], (p) => goExt(p as string))],
    ["clean", func([S], (p) => goClean(p as string))],
    ["isAbs", func([S], (p) => (p as string).startsWith("/"))],
    ["osBase", func([S], (p) => goBase(p as string))],
    ["osDir", func([S], (p) => goDir(p as string))],
    ["osExt", func([S], (p) => goExt(p as string))],
    ["osClean", func([S], (p) => goClean(p as string))],
    ["osIsAbs", func([S], (p) => (p as string).startsWith("/"))],
    // Helm gives getHostByName an empty answer unless DNS lookups are enabled (--enable-dns).
    ["getHostByName", func([S], () => "")],
    ["urlParse", func([S], (u) => urlParse(u as string))],
    ["urlJoin", func(["map[string]interface {}"], (d) => urlJoin(d))],
    ["uuidv4", func([], () => uuid(random))],
    [
      "randInt",
      func(["int", "int"], (lo, hi) => {
        const span = (hi as bigint) - (lo as bigint);
        if (span <= 0n) throw new Error("invalid argument to Intn");
        return (lo as bigint) + BigInt(random.intn(Number(span)));
      }),
    ],
  ];
}

/** Go's path.Clean: lexical processing of `.`, `..` and repeated slashes. */
export function goClean(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
    } else out.push(part);
  }
  const joined = out.join("/");
  return rooted ? `/${joined}` : joined || ".";
}

/** Go's path.Base. */
function goBase(p: string): string {
  if (p === "") return ".";
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Go's path.Dir. */
function goDir(p: string): string {
  return goClean(p.slice(0, p.lastIndexOf("/") + 1));
}

/** Go's path.Ext: from the last dot of the last element. */
function goExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== "/"; i--) if (p[i] === ".") return p.slice(i);
  return "";
}

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
