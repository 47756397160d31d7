/**
 * Go's regexp (RE2 syntax) on a JS RegExp: the pattern is parsed with Go's rules — accepting what
 * Go accepts, failing with Go's `error parsing regexp: CODE: `EXPR`` for what it rejects (Perl-only
 * lookarounds and backreferences included) — and rewritten into an equivalent JS pattern. Matching
 * then follows Go's rules for successive matches (FindAll, ReplaceAll, Split), which differ from
 * JS's around empty matches.
 */
import { goQuote } from "./quote.ts";

/** A regexp syntax error, worded as Go's regexp/syntax.Error. */
export class RegexpSyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.name = "RegexpSyntaxError";
  }
}

/** A compiled Go regexp. */
export interface GoRegexp {
  /** Matches anywhere (global, so `lastIndex` picks where a search starts). */
  readonly re: RegExp;
  /** Capture group names by group number (Go's SubexpNames; "" for unnamed groups). */
  readonly names: readonly string[];
}

interface Flags {
  fold: boolean;
  multiLine: boolean;
  dotNL: boolean;
  nonGreedy: boolean;
}

/** One parsed piece: its JS source, and what Go's repetition checks need to know of it. */
interface Piece {
  src: string;
  /** A zero-width assertion: JS cannot repeat one bare. */
  assertion: boolean;
  /** Chains of nested counted repeats in it, outermost first (Go bounds their product). */
  counts: number[][];
}

/** An open group: its pieces so far, finished alternatives, and the flags to restore on `)`. */
interface Frame {
  open: string;
  alternatives: string[];
  pieces: Piece[];
  saved: Flags;
  alternativeCounts: number[][];
}

const PERL_CLASSES: Record<string, string> = {
  d: "0-9",
  s: "\\t\\n\\f\\r ",
  w: "0-9A-Za-z_",
};

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7f",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`\\{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const MAX_REPEAT = 1000;
const MAX_NESTING = 1000;

/** A JS class body for the complement of an ASCII class body (`[^…]` cannot nest in a JS class). */
function complement(body: string): string {
  const inside = new RegExp(`[${body}]`);
  let out = "";
  let start = -1;
  for (let c = 0; c <= 0x80; c++) {
    const outside = c === 0x80 || !inside.test(String.fromCharCode(c));
    if (outside && c < 0x80 && start < 0) start = c;
    if ((!outside || c === 0x80) && start >= 0) {
      out += `${jsClassChar(start)}-${jsClassChar(c === 0x80 ? 0x7f : c - 1)}`;
      start = -1;
    }
  }
  return `${out}\\u{80}-\\u{10ffff}`;
}

function jsChar(cp: number, inClass: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (/[0-9A-Za-z_ ]/.test(ch) || (cp > 0x7f && cp !== 0x2028 && cp !== 0x2029 && cp < 0xd800)) return ch;
  if (cp > 0x20 && cp < 0x7f && /[\\^$.*+?()[\]{}|/]/.test(ch)) return `\\${ch}`;
  if (inClass && ch === "-") return "\\-";
  if (cp > 0x20 && cp < 0x7f) return ch;
  return `\\u{${cp.toString(16)}}`;
}

function jsClassChar(cp: number): string {
  return jsChar(cp, true);
}

const ANY_BODY = "\\u{0}-\\u{10ffff}";

/** The JS class body for a Unicode class name as Go knows it (categories and scripts), or undefined. */
function unicodeClass(name: string): string | undefined {
  if (name === "Any") return ANY_BODY;
  for (const form of [`gc=${name}`, `sc=${name}`]) {
    try {
      new RegExp(`\\p{${form}}`, "u");
      return `\\p{${form}}`;
    } catch {}
  }
  return undefined;
}

class Parser {
  private t: string;
  private flags: Flags = { fold: false, multiLine: false, dotNL: false, nonGreedy: false };
  private readonly frames: Frame[] = [];
  readonly names: string[] = [""];
  /** Whether case folding is on for some pieces and off for others (then each piece carries it). */
  foldStates = new Set<boolean>();

  constructor(
    private readonly whole: string,
    private readonly foldEach: boolean,
  ) {
    this.t = whole;
    this.frames.push(this.frame("", this.flags));
  }

  private frame(open: string, saved: Flags): Frame {
    return { open, alternatives: [], pieces: [], saved: { ...saved }, alternativeCounts: [] };
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private push(src: string, matchesText = true, assertion = false): void {
    if (matchesText) this.foldStates.add(this.flags.fold);
    const folded = matchesText && this.foldEach ? `(?${this.flags.fold ? "i" : "-i"}:${src})` : src;
    this.top.pieces.push({ src: folded, assertion, counts: [] });
  }

  parse(): string {
    let lastRepeat = "";
    while (this.t !== "") {
      let repeat = "";
      const c = this.t[0]!;
      switch (c) {
        case "(":
          if (this.t.length >= 2 && this.t[1] === "?") this.perlFlags();
          else {
            this.names.push("");
            this.openGroup("(");
            this.t = this.t.slice(1);
          }
          break;
        case "|":
          this.bar();
          this.t = this.t.slice(1);
          break;
        case ")":
          this.closeGroup();
          this.t = this.t.slice(1);
          break;
        case "^":
          this.push(this.flags.multiLine ? "(?<![^\\n])" : "(?<![\\s\\S])", false, true);
          this.t = this.t.slice(1);
          break;
        case "$":
          this.push(this.flags.multiLine ? "(?![^\\n])" : "(?![\\s\\S])", false, true);
          this.t = this.t.slice(1);
          break;
        case ".":
          this.push(this.flags.dotNL ? "[\\s\\S]" : "[^\\n]", false);
          this.t = this.t.slice(1);
          break;
        case "[":
          this.push(this.charClass());
          break;
        case "*":
        case "+":
        case "?": {
          const before = this.t;
          this.t = this.t.slice(1);
          this.repeat(c, before, lastRepeat, -1);
          repeat = before;
          break;
        }
        case "{": {
          const before = this.t;
          const r = this.repeatCount();
          if (r === undefined) {
            this.push("\\{");
            this.t = this.t.slice(1);
            break;
          }
          this.t = r.rest;
          const text = before.slice(0, before.length - r.rest.length);
          if (r.min < 0 || r.min > MAX_REPEAT || r.max > MAX_REPEAT || (r.max >= 0 && r.min > r.max))
            throw new RegexpSyntaxError("invalid repeat count", text);
          const q = r.max === r.min ? `{${r.min}}` : r.max < 0 ? `{${r.min},}` : `{${r.min},${r.max}}`;
          this.repeat(q, before, lastRepeat, r.max < 0 ? r.min : r.max, r.min >= 2 || r.max >= 2);
          repeat = before;
          break;
        }
        case "\\":
          this.escape();
          break;
        default: {
          const cp = this.t.codePointAt(0)!;
          this.push(jsChar(cp, false));
          this.t = this.t.slice(cp > 0xffff ? 2 : 1);
        }
      }
      lastRepeat = repeat;
    }
    if (this.frames.length !== 1) throw new RegexpSyntaxError("missing closing )", this.whole);
    return this.alternation(this.top);
  }

  private openGroup(open: string): void {
    if (this.frames.length > MAX_NESTING)
      throw new RegexpSyntaxError("expression nests too deeply", this.whole);
    this.frames.push(this.frame(open, this.flags));
  }

  private alternation(f: Frame): string {
    return [...f.alternatives, f.pieces.map((p) => p.src).join("")].join("|");
  }

  private bar(): void {
    const f = this.top;
    f.alternatives.push(f.pieces.map((p) => p.src).join(""));
    for (const p of f.pieces) f.alternativeCounts.push(...p.counts);
    f.pieces = [];
  }

  private closeGroup(): void {
    if (this.frames.length < 2) throw new RegexpSyntaxError("unexpected )", this.whole);
    const f = this.frames.pop()!;
    const counts = [...f.alternativeCounts, ...f.pieces.flatMap((p) => p.counts)];
    this.flags = f.saved;
    this.top.pieces.push({ src: `${f.open}${this.alternation(f)})`, assertion: false, counts });
  }

  /** `(?flags)`, `(?flags:…)`, `(?P<name>…)` and `(?<name>…)`; everything else in `(?` is Perl-only. */
  private perlFlags(): void {
    const s = this.t;
    if ((s.length > 4 && s[2] === "P" && s[3] === "<") || (s.length > 3 && s[2] === "<")) {
      const begin = s[2] === "<" ? 3 : 4;
      const end = s.indexOf(">");
      if (end < 0) throw new RegexpSyntaxError("invalid named capture", s);
      const name = s.slice(begin, end);
      if (name === "" || !/^[0-9A-Za-z_]+$/.test(name))
        throw new RegexpSyntaxError("invalid named capture", s.slice(0, end + 1));
      this.names.push(name);
      this.openGroup("(");
      this.t = s.slice(end + 1);
      return;
    }
    let t = s.slice(2);
    const flags = { ...this.flags };
    let negate = false;
    let sawFlag = false;
    while (t !== "") {
      const c = String.fromCodePoint(t.codePointAt(0)!);
      t = t.slice(c.length);
      if (c === "i" || c === "m" || c === "s" || c === "U") {
        const on = !negate;
        if (c === "i") flags.fold = on;
        else if (c === "m") flags.multiLine = on;
        else if (c === "s") flags.dotNL = on;
        else flags.nonGreedy = on;
        sawFlag = true;
      } else if (c === "-") {
        if (negate) break;
        negate = true;
        sawFlag = false;
      } else if (c === ":" || c === ")") {
        if (negate && !sawFlag) break;
        if (c === ":") this.openGroup("(?:");
        this.flags = flags;
        this.t = t;
        return;
      } else break;
    }
    throw new RegexpSyntaxError("invalid or unsupported Perl syntax", s.slice(0, s.length - t.length));
  }

  /** `{min}`, `{min,}`, `{min,max}` as Go reads them (no leading zeros; huge numbers → -1). */
  private repeatCount(): { min: number; max: number; rest: string } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.t);
    if (m === null) return undefined;
    const num = (d: string): number | undefined => {
      if (d.length >= 2 && d[0] === "0") return undefined;
      return d.length > 9 || Number(d) > 1e8 ? -1 : Number(d);
    };
    const min = num(m[1]!);
    if (min === undefined) return undefined;
    let max = min;
    if (m[2] !== undefined) {
      if (m[3] === "") max = -1;
      else {
        const n = num(m[3]!);
        if (n === undefined) return undefined;
        max = n;
      }
    }
    return {
      min: m[2] !== undefined && m[3] !== "" && max < 0 ? -1 : min,
      max,
      rest: this.t.slice(m[0].length),
    };
  }

  private repeat(op: string, before: string, lastRepeat: string, count: number, checkCount = false): void {
    let after = this.t;
    let greedy = !this.flags.nonGreedy;
    if (after.startsWith("?")) {
      after = after.slice(1);
      greedy = !greedy;
    }
    this.t = after;
    if (lastRepeat !== "")
      throw new RegexpSyntaxError(
        "invalid nested repetition operator",
        lastRepeat.slice(0, lastRepeat.length - after.length),
      );
    const text = before.slice(0, before.length - after.length);
    const pieces = this.top.pieces;
    const last = pieces[pieces.length - 1];
    if (last === undefined) throw new RegexpSyntaxError("missing argument to repetition operator", text);
    const counted = op !== "*" && op !== "+" && op !== "?";
    const counts = !counted
      ? last.counts
      : last.counts.length === 0
        ? [[count]]
        : last.counts.map((c) => [count, ...c]);
    if (checkCount && !counts.every(countsValid)) throw new RegexpSyntaxError("invalid repeat count", text);
    const single = last.src.length === 1 || /^\\.$|^\\u\{[0-9a-f]+\}$/.test(last.src);
    pieces[pieces.length - 1] = {
      src: `${single ? last.src : `(?:${last.src})`}${op}${greedy ? "" : "?"}`,
      assertion: false,
      counts,
    };
  }

  private escape(): void {
    const t = this.t;
    if (t.length >= 2) {
      switch (t[1]) {
        case "A":
          this.push("(?<![\\s\\S])", false, true);
          this.t = t.slice(2);
          return;
        case "z":
          this.push("(?![\\s\\S])", false, true);
          this.t = t.slice(2);
          return;
        case "b":
          this.push("\\b", false, true);
          this.t = t.slice(2);
          return;
        case "B":
          this.push("\\B", false, true);
          this.t = t.slice(2);
          return;
        case "C":
          throw new RegexpSyntaxError("invalid escape sequence", "\\C");
        case "Q": {
          const end = t.indexOf("\\E", 2);
          const lit = end < 0 ? t.slice(2) : t.slice(2, end);
          this.t = end < 0 ? "" : t.slice(end + 2);
          for (const ch of lit) this.push(jsChar(ch.codePointAt(0)!, false));
          return;
        }
      }
    }
    const cls = this.unicodeOrPerlClass();
    if (cls !== undefined) {
      this.push(cls.negated ? `[^${cls.body}]` : `[${cls.body}]`);
      return;
    }
    this.push(jsChar(this.escapedChar(), false));
  }

  /** `\pL`, `\p{Greek}`, `\P{^Lu}`, `\d`, `\S`… at the start of t, as a JS class body. */
  private unicodeOrPerlClass(): { body: string; negated: boolean } | undefined {
    const t = this.t;
    if (t[0] !== "\\") return undefined;
    if (t[1] === "p" || t[1] === "P") {
      let negated = t[1] === "P";
      let seq: string;
      let name: string;
      if (t[2] !== "{") {
        const ch = t.length > 2 ? String.fromCodePoint(t.codePointAt(2)!) : "";
        seq = t.slice(0, 2 + ch.length);
        name = ch;
      } else {
        const end = t.indexOf("}");
        if (end < 0) throw new RegexpSyntaxError("invalid character class range", t);
        seq = t.slice(0, end + 1);
        name = t.slice(3, end);
      }
      if (name.startsWith("^")) {
        negated = !negated;
        name = name.slice(1);
      }
      const body = unicodeClass(name);
      if (body === undefined) throw new RegexpSyntaxError("invalid character class range", seq);
      this.t = t.slice(seq.length);
      return { body, negated };
    }
    const perl = PERL_CLASSES[t[1]?.toLowerCase() ?? ""];
    if (perl !== undefined && t[1] !== undefined) {
      this.t = t.slice(2);
      return { body: perl, negated: t[1] !== t[1].toLowerCase() };
    }
    return undefined;
  }

  /** One escaped character (`\n`, `\x{263a}`, `\101`, `\.`), as Go's parseEscape reads it. */
  private escapedChar(): number {
    const s = this.t;
    let t = s.slice(1);
    if (t === "") throw new RegexpSyntaxError("trailing backslash at end of expression", "");
    const c = String.fromCodePoint(t.codePointAt(0)!);
    t = t.slice(c.length);
    const done = (cp: number): number => {
      this.t = t;
      return cp;
    };
    const invalid = (): never => {
      throw new RegexpSyntaxError("invalid escape sequence", s.slice(0, s.length - t.length));
    };
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return done(cp);
    const octal = (d: string | undefined) => d !== undefined && d >= "0" && d <= "7";
    if ((c >= "1" && c <= "7" && octal(t[0])) || c === "0") {
      let r = cp - 48;
      for (let i = 1; i < 3 && octal(t[0]); i++) {
        r = r * 8 + t.charCodeAt(0) - 48;
        t = t.slice(1);
      }
      return done(r);
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[c] !== undefined) return done(simple[c]);
    if (c !== "x" || t === "") return invalid();
    const hexDigit = (ch: string | undefined) =>
      ch !== undefined && /^[0-9A-Fa-f]$/.test(ch) ? ch : undefined;
    if (t[0] === "{") {
      t = t.slice(1);
      let r = 0;
      let digits = 0;
      for (;;) {
        if (t === "") return invalid();
        const ch = String.fromCodePoint(t.codePointAt(0)!);
        t = t.slice(ch.length);
        if (ch === "}") break;
        if (hexDigit(ch) === undefined) return invalid();
        r = r * 16 + Number.parseInt(ch, 16);
        if (r > 0x10ffff) return invalid();
        digits++;
      }
      return digits === 0 ? invalid() : done(r);
    }
    const x = String.fromCodePoint(t.codePointAt(0)!);
    t = t.slice(x.length);
    const y = t === "" ? "" : String.fromCodePoint(t.codePointAt(0)!);
    t = t.slice(y.length);
    if (hexDigit(x) === undefined || hexDigit(y) === undefined) return invalid();
    return done(Number.parseInt(x + y, 16));
  }

  /** `[…]` as Go reads it, into a JS class. */
  private charClass(): string {
    const whole = this.t;
    this.t = whole.slice(1);
    let negated = false;
    if (this.t.startsWith("^")) {
      negated = true;
      this.t = this.t.slice(1);
    }
    let body = "";
    let first = true;
    while (this.t === "" || this.t[0] !== "]" || first) {
      first = false;
      if (this.t.length > 2 && this.t.startsWith("[:")) {
        const i = this.t.indexOf(":]", 2);
        if (i >= 0) {
          const name = this.t.slice(0, i + 2);
          const neg = name[2] === "^";
          const posix = POSIX_CLASSES[name.slice(neg ? 3 : 2, -2)];
          if (posix === undefined) throw new RegexpSyntaxError("invalid character class range", name);
          body += neg ? complement(posix) : posix;
          this.t = this.t.slice(name.length);
          continue;
        }
      }
      const cls = this.unicodeOrPerlClass();
      if (cls !== undefined) {
        if (!cls.negated) body += cls.body;
        else if (cls.body.startsWith("\\p")) body += `\\P${cls.body.slice(2)}`;
        else if (cls.body !== ANY_BODY) body += complement(cls.body);
        continue;
      }
      const range = this.t;
      const lo = this.classChar(whole);
      let hi = lo;
      if (this.t.length >= 2 && this.t[0] === "-" && this.t[1] !== "]") {
        this.t = this.t.slice(1);
        hi = this.classChar(whole);
        if (hi < lo)
          throw new RegexpSyntaxError(
            "invalid character class range",
            range.slice(0, range.length - this.t.length),
          );
      }
      body += lo === hi ? jsClassChar(lo) : `${jsClassChar(lo)}-${jsClassChar(hi)}`;
    }
    this.t = this.t.slice(1);
    if (body === "") return negated ? "[\\s\\S]" : "[]";
    return negated ? `[^${body}]` : `[${body}]`;
  }

  private classChar(whole: string): number {
    if (this.t === "") throw new RegexpSyntaxError("missing closing ]", whole);
    if (this.t[0] === "\\") return this.escapedChar();
    const cp = this.t.codePointAt(0)!;
    this.t = this.t.slice(cp > 0xffff ? 2 : 1);
    return cp;
  }
}

/** Go's repeatIsValid: nested counted repeats multiply to at most 1000. */
function countsValid(chain: number[]): boolean {
  let n = MAX_REPEAT;
  for (const m of chain) {
    if (m === 0) return true;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  return true;
}

const cache = new Map<string, GoRegexp>();
const CACHE_LIMIT = 256;

/** Compile a Go regexp (regexp.Compile), throwing RegexpSyntaxError as Go reports it. */
export function compileGoRegexp(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let parser = new Parser(pattern, false);
  let src = parser.parse();
  if (parser.foldStates.size > 1) {
    parser = new Parser(pattern, true);
    src = parser.parse();
  }
  const fold = parser.foldStates.size === 1 && parser.foldStates.has(true);
  const compiled = { re: new RegExp(src, fold ? "gui" : "gu"), names: parser.names };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, compiled);
  return compiled;
}

/** regexp.MustCompile's panic text: `regexp: Compile(PATTERN): ERROR`. */
export function mustCompileGoRegexp(pattern: string): GoRegexp {
  try {
    return compileGoRegexp(pattern);
  } catch (err) {
    if (!(err instanceof RegexpSyntaxError)) throw err;
    const quoted = /^[^`\x00-\x08\x0a-\x1f\x7f\ufeff]*$/.test(pattern) ? `\`${pattern}\`` : goQuote(pattern);
    throw new Error(`regexp: Compile(${quoted}): ${err.message}`);
  }
}

/** Whether the regexp matches anywhere in s (Go's MatchString). */
export function goMatch(g: GoRegexp, s: string): boolean {
  return matchAt(g, s, 0) !== null;
}

/** A standalone (non-global) JS RegExp for a Go pattern, for callers that only test strings. */
export function goRegExp(pattern: string): RegExp {
  const g = compileGoRegexp(pattern);
  return new RegExp(g.re.source, g.re.flags.replace("g", ""));
}

function matchAt(g: GoRegexp, s: string, pos: number): RegExpExecArray | null {
  g.re.lastIndex = pos;
  return g.re.exec(s);
}

function nextPos(s: string, pos: number): number {
  return pos + ((s.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1);
}

/** Successive matches as Go's FindAll gives them (no empty match right after a match); n < 0: all. */
export function goFindAll(g: GoRegexp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const limit = n < 0 ? s.length + 1 : n;
  let prevEnd = -1;
  for (let pos = 0; out.length < limit && pos <= s.length; ) {
    const m = matchAt(g, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos = nextPos(s, pos);
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's ReplaceAll: `replacement` gives the text for each match. */
export function goReplaceAll(g: GoRegexp, s: string, replacement: (m: RegExpExecArray) => string): string {
  let out = "";
  let lastEnd = 0;
  for (let pos = 0; pos <= s.length; ) {
    const m = matchAt(g, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    out += s.slice(lastEnd, m.index);
    if (end > lastEnd || m.index === 0) out += replacement(m);
    lastEnd = end;
    const next = nextPos(s, pos);
    pos = Math.max(next, end);
  }
  return out + s.slice(lastEnd);
}

/** Go's Regexp.Split. */
export function goSplit(g: GoRegexp, pattern: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (pattern !== "" && s === "") return [""];
  const parts: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of goFindAll(g, s, n)) {
    if (n > 0 && parts.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) parts.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) parts.push(s.slice(beg));
  return parts;
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`; anything malformed stays. */
export function goExpand(g: GoRegexp, template: string, m: RegExpExecArray): string {
  return template.replace(
    /\$(?:\$|\{([0-9A-Za-z_]+)\}|([0-9A-Za-z_]+))/g,
    (all, braced?: string, bare?: string) => {
      if (all === "$$") return "$";
      const name = (braced ?? bare)!;
      // A number without leading zeros (and below 1e9) is a group number; anything else a name.
      if (/^(0|[1-9]\d{0,8})$/.test(name)) return m[Number(name)] ?? "";
      // Go takes the first group of that name that took part in the match.
      const index = g.names.findIndex((n, i) => n === name && m[i] !== undefined);
      return index >= 0 ? m[index]! : "";
    },
  );
}
