/** Sprig's string functions. Lengths and cuts count bytes where Go's do. */
import { goQuote } from "../fmt.ts";
import type { RandomSource } from "../random.ts";
import { type GoValue, goBytes, goString, newGoMap, typedList, withMethods } from "../value.ts";
import { asInt, asString } from "./convert.ts";
import { goBase32Decode, goBase64Decode } from "./encoding.ts";
import { func, type TemplateFunc } from "./types.ts";
import { delimitedCase, swapCase, upperCamelCase } from "./word-case.ts";

const S = "string" as const;
const I = "int" as const;
const ANY = "interface {}" as const;

function byteSlice(s: string, start: number, end?: number): string {
  return Buffer.from(s, "utf8").subarray(start, end).toString("utf8");
}

function byteLen(s: string): number {
  return Buffer.byteLength(s);
}

/** Go's strings.Title: upper-case the first letter of each word. */
function title(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

/** Go's strings.Repeat, which refuses a negative count. */
function goRepeat(s: string, n: bigint): string {
  if (n < 0n) throw new Error("strings: negative Repeat count");
  return s.repeat(Number(n));
}

function indent(n: bigint, s: string): string {
  const pad = goRepeat(" ", n);
  return pad + s.replace(/\n/g, `\n${pad}`);
}

function wrap(width: number, s: string, newline = "\n"): string {
  // Go's goutils.WrapCustom(s, width, newline, true): break at spaces, long words split.
  const out: string[] = [];
  for (const line of s.split("\n")) {
    let rest = line;
    while (rest.length > width) {
      let cut = rest.lastIndexOf(" ", width);
      // A word longer than the width stays whole (Sprig does not split long words).
      if (cut <= 0) cut = rest.indexOf(" ", width);
      if (cut <= 0) break;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^ /, "");
    }
    out.push(rest);
  }
  return out.join(newline);
}

function randomString(random: RandomSource, n: bigint, alphabet: string): string {
  let out = "";
  for (let i = 0n; i < n; i++) out += alphabet[random.intn(alphabet.length)]!;
  return out;
}

const ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";

/** String functions by name. */
export function stringFuncs(random: RandomSource): [string, TemplateFunc][] {
  return [
    ["trim", func([S], (s) => (s as string).trim())],
    ["trimAll", func([S, S], (cut, s) => trimChars(s as string, cut as string, true, true))],
    ["trimall", func([S, S], (cut, s) => trimChars(s as string, cut as string, true, true))],
    [
      "trimPrefix",
      func([S, S], (p, s) =>
        (s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : (s as string),
      ),
    ],
    [
      "trimSuffix",
      func([S, S], (x, s) =>
        (s as string).endsWith(x as string) && (x as string) !== ""
          ? (s as string).slice(0, -(x as string).length)
          : (s as string),
      ),
    ],
    ["upper", func([S], (s) => (s as string).toUpperCase())],
    ["lower", func([S], (s) => (s as string).toLowerCase())],
    ["title", func([S], (s) => title(s as string))],
    [
      "untitle",
      func([S], (s) =>
        (s as string).replace(/(^|\s)(\S)/g, (_m, p: string, c: string) => p + c.toLowerCase()),
      ),
    ],
    ["repeat", func([I, S], (n, s) => goRepeat(s as string, n as bigint))],
    [
      "substr",
      func([I, I, S], (start, end, s) => {
        const str = s as string;
        const a = Number(start);
        const b = Number(end);
        const len = byteLen(str);
        if (a < 0) return byteSlice(str, 0, Math.min(b, len));
        if (b < 0 || b > len) return byteSlice(str, a);
        if (a > b) throw new Error(`runtime error: slice bounds out of range [${a}:${b}]`);
        return byteSlice(str, a, b);
      }),
    ],
    ["nospace", func([S], (s) => (s as string).replace(/\s+/g, ""))],
    [
      "trunc",
      func([I, S], (n, s) => {
        const str = s as string;
        const c = Number(n);
        const len = byteLen(str);
        if (c < 0 && len + c > 0) return byteSlice(str, len + c);
        if (c >= 0 && len > c) return byteSlice(str, 0, c);
        return str;
      }),
    ],
    [
      "abbrev",
      func([I, S], (w, s) => {
        const width = Number(w);
        const str = s as string;
        if (width < 4 || str.length <= width) return str;
        return `${str.slice(0, width - 3)}...`;
      }),
    ],
    [
      "abbrevboth",
      func([I, I, S], (l, r, s) => {
        const str = s as string;
        const left = Number(l);
        const right = Number(r);
        if (right < 4 || (left > 0 && right < 7) || str.length <= right) return str;
        let offset = left;
        if (offset > str.length) offset = str.length;
        if (str.length - offset < right - 3) offset = str.length - (right - 3);
        if (offset <= 4) return `${str.slice(0, right - 3)}...`;
        if (right - 3 + offset < str.length) return `...${str.slice(offset, offset + right - 6)}...`;
        return `...${str.slice(str.length - (right - 3))}`;
      }),
    ],
    [
      "initials",
      func([S], (s) =>
        (s as string)
          .split(/\s+/)
          .filter(Boolean)
          .map((w) => [...w][0])
          .join(""),
      ),
    ],
    ["randAlphaNum", func([I], (n) => randomString(random, n as bigint, ALPHA + DIGITS))],
    ["randAlpha", func([I], (n) => randomString(random, n as bigint, ALPHA))],
    ["randNumeric", func([I], (n) => randomString(random, n as bigint, DIGITS))],
    [
      "randAscii",
      func([I], (n) =>
        randomString(
          random,
          n as bigint,
          Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(""),
        ),
      ),
    ],
    ["wrap", func([I, S], (n, s) => wrap(Number(n), s as string))],
    ["wrapWith", func([I, S, S], (n, nl, s) => wrap(Number(n), s as string, nl as string))],
    ["contains", func([S, S], (sub, s) => (s as string).includes(sub as string))],
    ["hasPrefix", func([S, S], (p, s) => (s as string).startsWith(p as string))],
    ["hasSuffix", func([S, S], (p, s) => (s as string).endsWith(p as string))],
    [
      "quote",
      func(
        [],
        (...a) =>
          a
            .filter((x) => x !== null)
            .map((x) => goQuote(asString(x)))
            .join(" "),
        ANY,
      ),
    ],
    [
      "squote",
      func(
        [],
        (...a) =>
          a
            .filter((x) => x !== null)
            .map((x) => `'${asString(x)}'`)
            .join(" "),
        ANY,
      ),
    ],
    [
      "cat",
      func(
        [],
        (...a) =>
          a
            .filter((x) => x !== null)
            .map(asString)
            .join(" "),
        ANY,
      ),
    ],
    ["indent", func([I, S], (n, s) => indent(n as bigint, s as string))],
    ["nindent", func([I, S], (n, s) => `\n${indent(n as bigint, s as string)}`)],
    [
      "replace",
      func([S, S, S], (o, n, s) =>
        // An empty old string matches before every character and at the end, as in Go.
        o === ""
          ? n + [...(s as string)].map((c) => c + n).join("")
          : (s as string).split(o as string).join(n as string),
      ),
    ],
    ["plural", func([S, S, I], (one, many, n) => (n === 1n ? (one as string) : (many as string)))],
    ["snakecase", func([S], (s) => delimitedCase(s as string, "_"))],
    ["camelcase", func([S], (s) => upperCamelCase(s as string))],
    ["kebabcase", func([S], (s) => delimitedCase(s as string, "-"))],
    ["swapcase", func([S], (s) => swapCase(s as string))],
    ["shuffle", func([S], (s) => random.shuffle([...(s as string)]).join(""))],
    ["toString", func([ANY], (v) => asString(v))],
    [
      "toStrings",
      func([ANY], (v) =>
        typedList((Array.isArray(v) ? v : [v]).filter((x) => x !== null).map(asString), "string"),
      ),
    ],
    [
      "join",
      func([S, ANY], (sep, v) =>
        (Array.isArray(v) ? v.filter((x) => x !== null).map(asString) : [asString(v)]).join(sep as string),
      ),
    ],
    ["split", func([S, S], (sep, s) => splitMap(s as string, sep as string, -1))],
    ["splitn", func([S, I, S], (sep, n, s) => splitMap(s as string, sep as string, Number(n)))],
    ["splitList", func([S, S], (sep, s) => typedList((s as string).split(sep as string), "string"))],
    [
      "sortAlpha",
      func([ANY], (v) => typedList((Array.isArray(v) ? v.map(asString) : [asString(v)]).sort(), "string")),
    ],
    ["atoi", func([S], (s) => (/^[+-]?\d+$/.test(s as string) ? asInt(s) : 0n))],
    ["b64enc", func([S], (s) => goBytes(s as string).toString("base64"))],
    // Sprig returns the decoder's error message as the result.
    ["b64dec", func([S], (s) => decodedOrError(() => goString(goBase64Decode(s as string))))],
    ["b32enc", func([S], (s) => base32Encode(Buffer.from(s as string, "utf8")))],
    ["b32dec", func([S], (s) => decodedOrError(() => goString(goBase32Decode(s as string))))],
    ["seq", func([], (...a) => seq(a.map(asInt)), I)],
  ];
}

function decodedOrError(decode: () => string): string {
  try {
    return decode();
  } catch (err) {
    return (err as Error).message;
  }
}

function trimChars(s: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set(cut);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (left && a < b && set.has(chars[a]!)) a++;
  while (right && b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join("");
}

/** Sprig's split/splitn: a `map[string]string` with keys `_0`, `_1`… */
function splitMap(s: string, sep: string, n: number): GoValue {
  const m = withMethods(newGoMap(), {
    goType: "map[string]string",
    methods: {},
    elemType: "string",
    elemZero: "",
  });
  if (n === 0) return m;
  const parts = s.split(sep);
  const limited =
    n < 0 || parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  limited.forEach((p, i) => {
    m[`_${i}`] = p;
  });
  return m;
}

function seq(args: bigint[]): string {
  const [a, b, c] = args;
  let start = 1n;
  let end: bigint;
  let step = 1n;
  if (args.length === 1) {
    end = a!;
    step = end >= 1n ? 1n : -1n;
  } else if (args.length === 2) {
    start = a!;
    end = b!;
    step = start <= end ? 1n : -1n;
  } else if (args.length === 3) {
    start = a!;
    step = b!;
    end = c!;
  } else return "";
  const out: string[] = [];
  if (step === 0n) return "";
  for (let i = start; step > 0n ? i <= end : i >= end; i += step) out.push(i.toString());
  return out.join(" ");
}

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}
