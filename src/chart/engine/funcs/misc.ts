/**
 * Sprig's math, defaults and flow, encodings and hashes, regular expressions, semver, paths,
 * URLs, dates and UUIDs.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { RandomSource } from "../random.ts";
import { type GoValue, goBytes, newGoMap, toInt64, typedList } from "../value.ts";
import { asFloat, asInt, asString, isEmpty } from "./convert.ts";
import { Constraint, parseSemver } from "./semver.ts";
import { func, type TemplateFunc } from "./types.ts";

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

/** Go's RE2 syntax translated to a JS RegExp (named groups, inline flags, \z, POSIX classes). */
export function goRegExp(pattern: string, flags = ""): RegExp {
  let src = pattern;
  let extra = flags;
  const inline = /^\(\?([imsU]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const f of inline[1]!) if (f !== "U" && !extra.includes(f)) extra += f;
  }
  src = src
    .replace(/\(\?P</g, "(?<")
    .replace(/\\z/g, "$(?![\\s\\S])")
    .replace(/\[:alpha:\]/g, "A-Za-z")
    .replace(/\[:digit:\]/g, "0-9")
    .replace(/\[:alnum:\]/g, "A-Za-z0-9")
    .replace(/\[:space:\]/g, "\\s")
    .replace(/\[:upper:\]/g, "A-Z")
    .replace(/\[:lower:\]/g, "a-z")
    .replace(/\[:punct:\]/g, "!-\\/:-@\\[-`{-~")
    .replace(/\[:xdigit:\]/g, "0-9A-Fa-f");
  if (/\\[1-9]/.test(src))
    throw new Error(`error parsing regexp: invalid escape sequence: \`${/\\[1-9]/.exec(src)![0]}\``);
  try {
    return new RegExp(src, `${extra}u`);
  } catch {
    return new RegExp(src, extra);
  }
}

/** Go's Regexp.ReplaceAllString template: $1, ${1}, $name, ${name}; $$ is a dollar. */
function expandGo(template: string, m: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([^}]*)\}|([A-Za-z0-9_]+))/g,
    (_all, tok: string, braced?: string, bare?: string) => {
      if (tok === "$") return "$";
      const name = braced ?? bare ?? "";
      const v = /^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name];
      return v ?? "";
    },
  );
}

/** Go time layout (2006-01-02 15:04:05) formatting in UTC or a fixed zone. */
export function goDate(layout: string, d: Date, utc = true): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const get = {
    Y: utc ? d.getUTCFullYear() : d.getFullYear(),
    M: (utc ? d.getUTCMonth() : d.getMonth()) + 1,
    D: utc ? d.getUTCDate() : d.getDate(),
    h: utc ? d.getUTCHours() : d.getHours(),
    m: utc ? d.getUTCMinutes() : d.getMinutes(),
    s: utc ? d.getUTCSeconds() : d.getSeconds(),
    ms: utc ? d.getUTCMilliseconds() : d.getMilliseconds(),
    wd: utc ? d.getUTCDay() : d.getDay(),
  };
  const months = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ];
  const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const tokens: [string, () => string][] = [
    ["2006", () => String(get.Y)],
    ["January", () => months[get.M - 1]!],
    ["Jan", () => months[get.M - 1]!.slice(0, 3)],
    ["Monday", () => days[get.wd]!],
    ["Mon", () => days[get.wd]!.slice(0, 3)],
    ["MST", () => "UTC"],
    ["Z07:00", () => "Z"],
    ["-07:00", () => "+00:00"],
    ["-0700", () => "+0000"],
    [".000000000", () => `.${p(get.ms, 3)}000000`],
    [".000000", () => `.${p(get.ms, 3)}000`],
    [".000", () => `.${p(get.ms, 3)}`],
    ["01", () => p(get.M)],
    ["02", () => p(get.D)],
    ["15", () => p(get.h)],
    ["03", () => p(get.h % 12 || 12)],
    ["04", () => p(get.m)],
    ["05", () => p(get.s)],
    ["06", () => p(get.Y % 100)],
    ["PM", () => (get.h >= 12 ? "PM" : "AM")],
    ["_2", () => String(get.D).padStart(2, " ")],
    ["1", () => String(get.M)],
    ["2", () => String(get.D)],
    ["3", () => String(get.h % 12 || 12)],
    ["4", () => String(get.m)],
    ["5", () => String(get.s)],
  ];
  let out = "";
  for (let i = 0; i < layout.length; ) {
    const hit = tokens.find(([t]) => layout.startsWith(t, i));
    if (hit) {
      out += hit[1]();
      i += hit[0].length;
    } else out += layout[i++];
  }
  return out;
}

function toDate(v: GoValue): Date {
  if (typeof v === "bigint" || typeof v === "number") return new Date(Number(v) * 1000);
  return new Date(asString(v));
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

/** Sprig's regex functions exist twice: `regexX` and `mustRegexX` (the latter returns errors). */
function withMustVariants(funcs: [string, TemplateFunc][]): [string, TemplateFunc][] {
  return funcs.flatMap(([name, f]) =>
    name.startsWith("regex") && name !== "regexQuoteMeta"
      ? [
          [name, f] as [string, TemplateFunc],
          [`must${name[0]!.toUpperCase()}${name.slice(1)}`, f] as [string, TemplateFunc],
        ]
      : [[name, f] as [string, TemplateFunc]],
  );
}

export function miscFuncs(random: RandomSource, now: () => Date): [string, TemplateFunc][] {
  const hash = (alg: string) =>
    func([S], (s) =>
      createHash(alg)
        .update(goBytes(s as string))
        .digest("hex"),
    );
  return withMustVariants([
    intFold("add", (a, b) => a + b),
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
    intFold("max", (a, b) => (a > b ? a : b)),
    intFold("min", (a, b) => (a < b ? a : b)),
    intFold("biggest", (a, b) => (a > b ? a : b)),
    floatFold("addf", (a, b) => a + b),
    ["add1f", func([ANY], (v) => asFloat(v) + 1)],
    floatFold("subf", (a, b) => a - b),
    floatFold("mulf", (a, b) => a * b),
    floatFold("divf", (a, b) => a / b),
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
    ["regexMatch", func([S, S], (re, s) => goRegExp(re as string).test(s as string))],
    ["regexFind", func([S, S], (re, s) => goRegExp(re as string).exec(s as string)?.[0] ?? "")],
    [
      "regexFindAll",
      func([S, S, "int"], (re, s, n) => {
        const all = [...(s as string).matchAll(goRegExp(re as string, "g"))].map((m) => m[0]);
        return typedList(Number(n) < 0 ? all : all.slice(0, Number(n)), "string");
      }),
    ],
    [
      "regexReplaceAll",
      func([S, S, S], (re, s, repl) =>
        (s as string).replace(goRegExp(re as string, "g"), (...args) => {
          const groups =
            typeof args[args.length - 1] === "object"
              ? (args[args.length - 1] as Record<string, string>)
              : undefined;
          const m = Object.assign(args.slice(0, -2 - (groups ? 1 : 0)) as unknown as RegExpExecArray, {
            groups,
          });
          return expandGo(repl as string, m);
        }),
      ),
    ],
    [
      "regexReplaceAllLiteral",
      func([S, S, S], (re, s, repl) =>
        (s as string).replace(goRegExp(re as string, "g"), () => repl as string),
      ),
    ],
    [
      "regexSplit",
      func([S, S, "int"], (re, s, n) => {
        const parts = (s as string).split(goRegExp(re as string, "g"));
        return typedList(Number(n) < 0 ? parts : parts.slice(0, Number(n)), "string");
      }),
    ],
    ["regexQuoteMeta", func([S], (s) => (s as string).replace(/[\\.+*?()|[\]{}^$]/g, "\\$&"))],
    [
      "semver",
      func([S], (v) => {
        const p = parseSemver(v as string);
        const m = newGoMap();
        m.Major = p.major;
        m.Minor = p.minor;
        m.Patch = p.patch;
        m.Prerelease = p.prerelease;
        m.Metadata = p.metadata;
        m.Original = p.original;
        return m;
      }),
    ],
    ["semverCompare", func([S, S], (c, v) => new Constraint(c as string).check(parseSemver(v as string)))],
    ["base", func([S], (p) => posix.basename(p as string) || ".")],
    ["dir", func([S], (p) => posix.dirname(p as string))],
    ["ext", func([S], (p) => posix.extname(p as string))],
    ["clean", func([S], (p) => posix.normalize(p as string).replace(/\/$/, "") || ".")],
    ["isAbs", func([S], (p) => posix.isAbsolute(p as string))],
    ["osBase", func([S], (p) => posix.basename(p as string))],
    ["osDir", func([S], (p) => posix.dirname(p as string))],
    ["osExt", func([S], (p) => posix.extname(p as string))],
    ["osClean", func([S], (p) => posix.normalize(p as string))],
    ["osIsAbs", func([S], (p) => posix.isAbsolute(p as string))],
    [
      "urlParse",
      func([S], (u) => {
        const url = new URL(u as string);
        const m = newGoMap();
        m.fragment = url.hash.replace(/^#/, "");
        m.host = url.host;
        m.hostname = url.hostname;
        m.opaque = "";
        m.path = url.pathname;
        m.query = url.search.replace(/^\?/, "");
        m.scheme = url.protocol.replace(/:$/, "");
        m.userinfo = url.username ? `${url.username}${url.password ? `:${url.password}` : ""}` : "";
        return m;
      }),
    ],
    ["now", func([], () => now().toISOString())],
    ["date", func([S, ANY], (layout, d) => goDate(layout as string, toDate(d)))],
    ["dateInZone", func([S, ANY, S], (layout, d) => goDate(layout as string, toDate(d)))],
    ["htmlDate", func([ANY], (d) => goDate("2006-01-02", toDate(d)))],
    ["unixEpoch", func([ANY], (d) => String(Math.floor(toDate(d).getTime() / 1000)))],
    ["uuidv4", func([], () => uuid(random))],
    [
      "randInt",
      func(
        ["int", "int"],
        (lo, hi) => (lo as bigint) + BigInt(random.intn(Number((hi as bigint) - (lo as bigint)))),
      ),
    ],
  ]);
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
