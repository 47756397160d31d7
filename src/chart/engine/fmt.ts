/**
 * Go's fmt for the template value model: `%v` formatting of every kind (floats as Go's shortest
 * `%g`, maps sorted, slices in brackets, structs in braces), Sprint/Sprintln spacing, and Sprintf
 * with the verbs, flags, widths and precisions charts use, including Go's `%!verb(type=value)` marks.
 */
import { goQuote } from "./quote.ts";
import { elemTypeOf, GoStruct, type GoValue, goBytes, isGoMap, mapMethodsOf, sortedKeys } from "./value.ts";

/** Go's type name of a value, as `%T` and `typeOf` print it. */
export function goTypeOf(v: GoValue | undefined): string {
  if (v === null || v === undefined) return "<nil>";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "number":
      return "float64";
    case "bigint":
      // Go distinguishes int (template constants, len, atoi) from int64 (Sprig math, --set); both are
      // bigint here and print identically. `int` is what templates most often meet in messages.
      return "int";
  }
  if (v instanceof Uint8Array) return "[]uint8";
  if (v instanceof GoStruct) return v.goType;
  if (Array.isArray(v)) return mapMethodsOf(v)?.goType ?? `[]${elemTypeOf(v)}`;
  return mapMethodsOf(v)?.goType ?? "map[string]interface {}";
}

/** Shortest decimal digits and exponent of a finite non-zero float (like strconv's shortest). */
function shortest(f: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(f).toExponential().split("e") as [string, string];
  return { digits: mant.replace(".", ""), exp: Number(e) };
}

function expSuffix(exp: number, upper = false): string {
  const sign = exp < 0 ? "-" : "+";
  const abs = Math.abs(exp);
  return `${upper ? "E" : "e"}${sign}${abs < 10 ? `0${abs}` : abs}`;
}

/** strconv.FormatFloat(f, 'g', -1, 64): Go's %v for float64. */
export function formatFloatG(f: number, upper = false): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const neg = f < 0 ? "-" : "";
  const { digits, exp } = shortest(f);
  // Shortest %g switches to exponent form at exponent < -4 or ≥ 6 (checked with real Helm: 1e+06).
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${neg}${mant}${expSuffix(exp, upper)}`;
  }
  return neg + fixedFromDigits(digits, exp);
}

/** Decimal notation from digits d1d2… with decimal exponent `exp` (value = d1.d2… × 10^exp). */
function fixedFromDigits(digits: string, exp: number): string {
  if (exp < 0) return `0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + "0".repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** %g with an explicit precision (trailing zeros dropped), or the shortest form without one. */
function formatG(f: number, prec: number, upper: boolean): string {
  if (prec < 0 || !Number.isFinite(f)) return formatFloatG(f, upper);
  const p = prec === 0 ? 1 : prec;
  if (f === 0) return "0";
  const exp = Number(
    Math.abs(f)
      .toExponential(p - 1)
      .split("e")[1],
  );
  if (exp < -4 || exp >= p) {
    const [m, e] = Math.abs(f)
      .toExponential(p - 1)
      .split("e") as [string, string];
    const mant = m.includes(".") ? m.replace(/\.?0+$/, "") : m;
    return `${f < 0 ? "-" : ""}${mant}${expSuffix(Number(e), upper)}`;
  }
  let s = Math.abs(f).toFixed(Math.max(0, p - 1 - exp));
  if (s.includes(".")) s = s.replace(/\.?0+$/, "");
  return (f < 0 ? "-" : "") + s;
}

/** `%v` of a value (Go's default format), with `plusV` for `%+v` field names. */
export function formatValue(v: GoValue | undefined, plusV = false, depth = 0): string {
  if (v === null || v === undefined) return "<nil>";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return v;
    case "number":
      return formatFloatG(v);
    case "bigint":
      return v.toString();
  }
  if (v instanceof Uint8Array) return `[${Array.from(v).join(" ")}]`;
  if (v instanceof GoStruct) {
    if ((depth === 0 || v.valueStringer) && v.goMethods.has("String")) {
      return String((v as unknown as { String(): string }).String());
    }
    const fields = Object.entries(v).filter(([k]) => k !== "goType" && k !== "goMethods");
    const body = fields
      .map(([k, f]) => (plusV ? `${k}:` : "") + formatValue(f as GoValue, plusV, depth + 1))
      .join(" ");
    return `${v.goType.startsWith("*") && depth === 0 ? "&" : ""}{${body}}`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, plusV, depth + 1)).join(" ")}]`;
  if (isGoMap(v)) {
    return `map[${sortedKeys(v)
      .map((k) => `${k}:${formatValue(v[k], plusV, depth + 1)}`)
      .join(" ")}]`;
  }
  return String(v);
}

/** Go's Sprint: operands formatted with %v, a space between two operands when neither is a string. */
export function sprint(...args: GoValue[]): string {
  let out = "";
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== "string" && typeof args[i - 1] !== "string") out += " ";
    out += formatValue(args[i]);
  }
  return out;
}

/** Go's Sprintln: operands with %v, always space-separated, newline-terminated. */
export function sprintln(...args: GoValue[]): string {
  return `${args.map((a) => formatValue(a)).join(" ")}\n`;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, spec: Spec, numeric = false): string {
  if (spec.width === undefined || [...s].length >= spec.width) return s;
  const n = spec.width - [...s].length;
  if (spec.minus) return s + " ".repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : "";
    return sign + "0".repeat(n) + s.slice(sign.length);
  }
  return " ".repeat(n) + s;
}

function bad(verb: string, v: GoValue): string {
  return v === null ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeOf(v)}=${formatValue(v)})`;
}

/** `%#v`: the value as Go syntax (`[]interface {}{1, "a"}`, `map[string]interface {}{"a":1}`). */
function formatGoSyntax(v: GoValue, inInterface = false): string {
  if (v === null) return inInterface ? "interface {}(nil)" : "<nil>";
  switch (typeof v) {
    case "boolean":
    case "bigint":
      return String(v);
    case "string":
      return goQuote(v);
    case "number":
      return formatFloatG(v);
  }
  if (v instanceof Uint8Array) return `[]byte{${Array.from(v, (b) => `0x${b.toString(16)}`).join(", ")}}`;
  if (v instanceof GoStruct) {
    const fields = Object.entries(v).filter(([k]) => k !== "goType" && k !== "goMethods");
    const type = v.goType.startsWith("*") ? `&${v.goType.slice(1)}` : v.goType;
    return `${type}{${fields.map(([k, f]) => `${k}:${formatGoSyntax(f as GoValue, true)}`).join(", ")}}`;
  }
  const type = goTypeOf(v);
  if (Array.isArray(v)) return `${type}{${v.map((x) => formatGoSyntax(x, true)).join(", ")}}`;
  return `${type}{${sortedKeys(v)
    .map((k) => `${goQuote(k)}:${formatGoSyntax(v[k]!, true)}`)
    .join(", ")}}`;
}

/** strconv's `%b` of a float: the integer mantissa and binary exponent (`4503599627370496p-52`). */
function floatBinary(f: number): string {
  const { mant, exp, neg } = floatParts(f);
  return `${neg ? "-" : ""}${mant}p${exp >= 0 ? "+" : ""}${exp}`;
}

/** strconv's `%x` of a float: `0x1.cp+01` (shortest hex mantissa, exponent of at least two digits). */
function floatHex(f: number, upper: boolean): string {
  const { mant, exp, neg } = floatParts(f);
  let hex = "0x0";
  let e = 0;
  if (mant !== 0n) {
    // Normalise to 1.xxx with 52 fraction bits.
    const shift = 52 - (mant.toString(2).length - 1);
    const m = mant << BigInt(shift);
    e = exp - shift + 52;
    const frac = (m & ((1n << 52n) - 1n)).toString(16).padStart(13, "0").replace(/0+$/, "");
    hex = frac === "" ? "0x1" : `0x1.${frac}`;
  }
  const out = `${neg ? "-" : ""}${hex}p${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return upper ? out.toUpperCase() : out;
}

/** A float64 as mantissa × 2^exp, as strconv decomposes it. */
function floatParts(f: number): { mant: bigint; exp: number; neg: boolean } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, f);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { mant: frac, exp: -1074, neg };
  return { mant: frac | (1n << 52n), exp: biased - 1075, neg };
}

export { goQuote } from "./quote.ts";

function intOf(v: GoValue): bigint | undefined {
  if (typeof v === "bigint") return v;
  return undefined;
}

function formatInt(n: bigint, verb: string, spec: Spec): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let digits: string;
  let prefix = "";
  switch (verb) {
    case "d":
    case "v":
      digits = abs.toString(10);
      break;
    case "x":
      digits = abs.toString(16);
      if (spec.sharp) prefix = "0x";
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = "0X";
      break;
    case "o":
      digits = abs.toString(8);
      if (spec.sharp) prefix = "0";
      break;
    case "O":
      digits = abs.toString(8);
      prefix = "0o";
      break;
    case "b":
      digits = abs.toString(2);
      break;
    default:
      digits = abs.toString(10);
  }
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, "0");
  const sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  return pad(sign + prefix + digits, { ...spec, zero: spec.zero && spec.prec === undefined }, true);
}

function formatFloat(f: number, verb: string, spec: Spec): string {
  let s: string;
  const prec = spec.prec;
  switch (verb) {
    case "e":
    case "E": {
      if (!Number.isFinite(f)) {
        s = formatFloatG(f);
        break;
      }
      const [m, e] = f.toExponential(prec ?? 6).split("e") as [string, string];
      s = m + expSuffix(Number(e), verb === "E");
      break;
    }
    case "f":
    case "F":
      s = Number.isFinite(f) ? f.toFixed(prec ?? 6) : formatFloatG(f);
      break;
    case "g":
    case "G":
      s = formatG(f, prec ?? -1, verb === "G");
      break;
    case "b":
      s = floatBinary(f);
      break;
    case "x":
    case "X":
      s = Number.isFinite(f) ? floatHex(f, verb === "X") : formatFloatG(f);
      break;
    default:
      s = prec === undefined ? formatFloatG(f) : formatG(f, prec, false);
  }
  if (spec.plus && !s.startsWith("-") && !s.startsWith("+")) s = `+${s}`;
  else if (spec.space && !s.startsWith("-")) s = ` ${s}`;
  if (s === "+Inf" && !spec.plus) s = "+Inf";
  return pad(s, spec, Number.isFinite(f));
}

/** An element of a list or map: a nil there prints as `<nil>` whatever the verb. */
function formatElem(verb: string, v: GoValue, spec: Spec): string {
  return v === null ? "<nil>" : formatOne(verb, v, spec);
}

function formatOne(verb: string, v: GoValue, spec: Spec): string {
  if (verb === "T") return pad(goTypeOf(v), spec);
  if (verb === "v") {
    if (spec.sharp) return pad(formatGoSyntax(v), spec);
    if (typeof v === "bigint") return formatInt(v, "d", spec);
    if (typeof v === "number") return formatFloat(v, "v", spec);
    if (typeof v === "string" && spec.prec !== undefined)
      return pad([...v].slice(0, spec.prec).join(""), spec);
    return pad(formatValue(v, spec.plus), spec);
  }
  switch (verb) {
    case "s":
    case "q": {
      if (typeof v === "string" || v instanceof Uint8Array) {
        let s = typeof v === "string" ? v : Buffer.from(v).toString("utf8");
        if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join("");
        return pad(
          verb === "q" ? (spec.sharp && !s.includes("`") ? `\`${s}\`` : goQuote(s, spec.plus)) : s,
          spec,
        );
      }
      if (verb === "q" && typeof v === "bigint") return pad(`'${String.fromCodePoint(Number(v))}'`, spec);
      const inner = { ...spec, width: undefined };
      if (Array.isArray(v)) return pad(`[${v.map((x) => formatElem(verb, x, inner)).join(" ")}]`, spec);
      if (isGoMap(v)) {
        return pad(
          `map[${sortedKeys(v)
            .map((k) => `${k}:${formatElem(verb, v[k]!, inner)}`)
            .join(" ")}]`,
          spec,
        );
      }
      if (verb === "s" && v instanceof GoStruct && v.goMethods.has("String"))
        return pad(formatValue(v), spec);
      return bad(verb, v);
    }
    case "d":
    case "o":
    case "O":
    case "b":
    case "x":
    case "X": {
      const n = intOf(v);
      if (n !== undefined) return formatInt(n, verb, spec);
      if ((verb === "x" || verb === "X") && (typeof v === "string" || v instanceof Uint8Array)) {
        const bytes = typeof v === "string" ? goBytes(v) : Buffer.from(v);
        const each = Array.from(bytes.subarray(0, spec.prec ?? bytes.length), (b) =>
          b.toString(16).padStart(2, "0"),
        );
        // ' ' puts a space between bytes; '#' a 0x before each (with ' ') or before all.
        const prefix = spec.sharp ? "0x" : "";
        const hex = spec.space
          ? each.map((b) => prefix + b).join(" ")
          : each.length
            ? prefix + each.join("")
            : "";
        return pad(verb === "X" ? hex.toUpperCase() : hex, spec);
      }
      if (typeof v === "number" && (verb === "x" || verb === "X" || verb === "b"))
        return formatFloat(v, verb, spec);
      if (Array.isArray(v))
        return `[${v.map((x) => formatElem(verb, x, { ...spec, width: undefined })).join(" ")}]`;
      return bad(verb, v);
    }
    case "c": {
      const n = intOf(v);
      return n === undefined ? bad(verb, v) : pad(String.fromCodePoint(Number(n)), spec);
    }
    case "U": {
      const n = intOf(v);
      if (n === undefined) return bad(verb, v);
      const u = `U+${n.toString(16).toUpperCase().padStart(4, "0")}`;
      return pad(spec.sharp ? `${u} '${String.fromCodePoint(Number(n))}'` : u, spec);
    }
    case "t":
      return typeof v === "boolean" ? pad(String(v), spec) : bad(verb, v);
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G":
      if (typeof v === "number") return formatFloat(v, verb, spec);
      if (Array.isArray(v))
        return `[${v.map((x) => formatElem(verb, x, { ...spec, width: undefined })).join(" ")}]`;
      return bad(verb, v);
    default:
      return `%!${verb}(${goTypeOf(v)}=${formatValue(v)})`;
  }
}

/** Go's Sprintf. */
export function sprintf(format: string, ...args: GoValue[]): string {
  let out = "";
  let argIndex = 0;
  let reordered = false;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (;;) {
      const c = format[i];
      if (c === "-") {
        spec.minus = true;
        spec.zero = false;
      } else if (c === "+") spec.plus = true;
      else if (c === "#") spec.sharp = true;
      else if (c === " ") spec.space = true;
      else if (c === "0") spec.zero = !spec.minus;
      else break;
      i++;
    }
    // An explicit argument index `[n]` may come before a `*` width, a `*` precision and the verb.
    let goodIndex = true;
    let afterIndex = false;
    const argNumber = (): void => {
      afterIndex = false;
      if (format[i] !== "[") return;
      reordered = true;
      const close = format.indexOf("]", i + 1);
      const n =
        close < 0
          ? Number.NaN
          : /^\d+$/.test(format.slice(i + 1, close))
            ? Number(format.slice(i + 1, close))
            : Number.NaN;
      i = close < 0 || format.length - i < 3 ? i + 1 : close + 1;
      if (n >= 1 && n <= args.length) {
        argIndex = n - 1;
        afterIndex = true;
      } else goodIndex = false;
    };
    const intArg = (): number | undefined => {
      if (argIndex >= args.length) return undefined;
      const v = args[argIndex++];
      return typeof v === "bigint" && v >= -1000000n && v <= 1000000n ? Number(v) : undefined;
    };
    argNumber();
    if (format[i] === "*") {
      i++;
      const w = intArg();
      if (w === undefined) out += "%!(BADWIDTH)";
      else if (w < 0) {
        spec.width = -w;
        spec.minus = true;
        spec.zero = false;
      } else spec.width = w;
      afterIndex = false;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
        if (afterIndex) goodIndex = false;
      }
    }
    if (i + 1 < format.length && format[i] === ".") {
      i++;
      if (afterIndex) goodIndex = false;
      argNumber();
      if (format[i] === "*") {
        i++;
        const p = intArg();
        // A negative precision counts as none.
        if (p === undefined || p < 0) out += "%!(BADPREC)";
        else spec.prec = p;
        afterIndex = false;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        spec.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    if (!afterIndex) argNumber();
    const verb = format[i];
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    i++;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[argIndex++]!, spec);
  }
  if (!reordered && argIndex < args.length) {
    out += `%!(EXTRA ${args
      .slice(argIndex)
      .map((a) => `${goTypeOf(a)}=${formatValue(a)}`)
      .join(", ")})`;
  }
  return out;
}
