/**
 * Lexer for Go's text/template: a template's text becomes text and action tokens, each with its
 * offset and line. Trim markers (`{{- ` and ` -}}`) are applied here to the neighbouring text and
 * comments are dropped. A lexing problem becomes an `error` token (then `eof`): the parser reports
 * it when it gets there, so an earlier parse error wins, as in Go.
 */
import { goQuote, goRuneName } from "./quote.ts";

export type KeywordType =
  | "block"
  | "break"
  | "continue"
  | "define"
  | "else"
  | "end"
  | "if"
  | "range"
  | "template"
  | "with";

export type TokenType =
  | KeywordType
  | "text"
  | "leftDelim"
  | "rightDelim"
  | "space"
  | "identifier"
  | "field"
  | "variable"
  | "dot"
  | "nil"
  | "bool"
  | "number"
  | "charConstant"
  | "complex"
  | "string"
  | "rawString"
  | "pipe"
  | "leftParen"
  | "rightParen"
  | "declare"
  | "assign"
  /** A printable ASCII character with no meaning of its own (`,` in `range $i, $v`, or a typo). */
  | "char"
  | "error"
  | "eof";

export interface Token {
  readonly type: TokenType;
  /** The token's text (the message, for `error`). */
  readonly value: string;
  /** Offset in the source (UTF-16 index). */
  readonly pos: number;
  /** 1-based line where the token starts. */
  readonly line: number;
}

/** A parse error: Go's message and the line it reports. */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ["block", "block"],
  ["break", "break"],
  ["continue", "continue"],
  ["define", "define"],
  ["else", "else"],
  ["end", "end"],
  ["if", "if"],
  ["range", "range"],
  ["template", "template"],
  ["with", "with"],
  ["nil", "nil"],
  ["true", "bool"],
  ["false", "bool"],
]);

/** Token types Go prints as `<word>` in "unexpected" errors. */
export function isKeywordToken(type: TokenType): boolean {
  switch (type) {
    case "block":
    case "break":
    case "continue":
    case "define":
    case "else":
    case "end":
    case "if":
    case "range":
    case "template":
    case "with":
    case "dot":
    case "nil":
      return true;
  }
  return false;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** `_`, letters and decimal digits (Go's unicode.IsLetter / IsDigit). */
function isAlnumCode(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(c));
}

/** Newlines in s[from, to): a scan of that range only (indexOf would search on to the end of s, quadratic over a template). */
function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

const DEC = "0123456789_";
const HEXD = "0123456789abcdefABCDEF_";
const OCT = "01234567_";
const BIN = "01_";

/** Tokenise a whole template. Never throws: problems become an `error` token. */
export function lex(input: string, leftDelim = "{{", rightDelim = "}}"): Token[] {
  return new Lexer(input, leftDelim, rightDelim).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private line = 1;
  private parenDepth = 0;

  constructor(
    private readonly input: string,
    private readonly left: string,
    private readonly right: string,
  ) {}

  run(): Token[] {
    try {
      this.lexAll();
    } catch (e) {
      if (!(e instanceof LexStop)) throw e;
    }
    this.tokens.push({ type: "eof", value: "", pos: this.input.length, line: this.line });
    return this.tokens;
  }

  private push(type: TokenType, start: number, end: number, line = this.line): void {
    this.tokens.push({ type, value: this.input.slice(start, end), pos: start, line });
  }

  /** Emit an error token at the current line and stop. */
  private fail(message: string, pos: number, line = this.line): never {
    this.tokens.push({ type: "error", value: message, pos, line });
    throw new LexStop();
  }

  private code(i: number): number {
    return i < this.input.length ? this.input.charCodeAt(i) : -1;
  }

  private codePoint(i: number): number {
    return i < this.input.length ? this.input.codePointAt(i)! : -1;
  }

  private lexAll(): void {
    const { input, left } = this;
    for (;;) {
      const x = input.indexOf(left, this.pos);
      if (x < 0) {
        if (this.pos < input.length) {
          this.push("text", this.pos, input.length);
          this.line += countNewlines(input, this.pos, input.length);
          this.pos = input.length;
        }
        return;
      }
      const afterDelim = x + left.length;
      const trimLeft = this.code(afterDelim) === 45 && isSpaceCode(this.code(afterDelim + 1));
      let textEnd = x;
      if (trimLeft) while (textEnd > this.pos && isSpaceCode(input.charCodeAt(textEnd - 1))) textEnd--;
      if (textEnd > this.pos) this.push("text", this.pos, textEnd);
      this.line += countNewlines(input, this.pos, x);
      const inner = afterDelim + (trimLeft ? 2 : 0);
      if (input.startsWith("/*", inner)) {
        this.lexComment(x, inner);
        continue;
      }
      this.push("leftDelim", x, afterDelim);
      this.pos = inner;
      this.parenDepth = 0;
      this.lexInsideAction();
    }
  }

  /** After `*\/` a comment must be closed by the right delimiter (optionally trimmed). */
  private lexComment(start: number, inner: number): void {
    const { input, right } = this;
    const close = input.indexOf("*/", inner + 2);
    if (close < 0) this.fail("unclosed comment", start);
    let p = close + 2;
    const trimRight = isSpaceCode(this.code(p)) && this.code(p + 1) === 45 && input.startsWith(right, p + 2);
    if (!trimRight && !input.startsWith(right, p)) this.fail("comment ends before closing delimiter", start);
    p += (trimRight ? 2 : 0) + right.length;
    this.line += countNewlines(input, start, p);
    if (trimRight) p = this.skipSpace(p);
    this.pos = p;
  }

  /** Skip whitespace after a ` -}}`, counting lines. */
  private skipSpace(p: number): number {
    while (isSpaceCode(this.code(p))) {
      if (this.code(p) === 10) this.line++;
      p++;
    }
    return p;
  }

  private atTrimmedRightDelim(p: number): boolean {
    return isSpaceCode(this.code(p)) && this.code(p + 1) === 45 && this.input.startsWith(this.right, p + 2);
  }

  /** True when the character at `p` ends an operand (space, punctuation that follows operands, delimiter). */
  private atTerminator(p: number): boolean {
    const c = this.code(p);
    if (c === -1 || isSpaceCode(c)) return true;
    // . , | : ) (
    if (c === 46 || c === 44 || c === 124 || c === 58 || c === 41 || c === 40) return true;
    return this.input.startsWith(this.right, p);
  }

  private lexInsideAction(): void {
    const { input, right } = this;
    for (;;) {
      const p = this.pos;
      if (this.atTrimmedRightDelim(p) || input.startsWith(right, p)) {
        if (this.parenDepth > 0) this.fail("unclosed left paren", p);
        const trimmed = !input.startsWith(right, p);
        const at = trimmed ? p + 2 : p;
        this.push("rightDelim", at, at + right.length);
        this.pos = at + right.length;
        if (trimmed) this.pos = this.skipSpace(this.pos);
        return;
      }
      const c = this.code(p);
      if (c === -1) this.fail("unclosed action", p);
      if (isSpaceCode(c)) {
        this.lexSpace();
        continue;
      }
      switch (c) {
        case 61: // =
          this.push("assign", p, p + 1);
          this.pos++;
          continue;
        case 58: // :
          if (this.code(p + 1) !== 61) this.fail("expected :=", p);
          this.push("declare", p, p + 2);
          this.pos += 2;
          continue;
        case 124: // |
          this.push("pipe", p, p + 1);
          this.pos++;
          continue;
        case 34: // "
          this.lexQuote(p, 34, "string", "unterminated quoted string");
          continue;
        case 39: // '
          this.lexQuote(p, 39, "charConstant", "unterminated character constant");
          continue;
        case 96: // `
          this.lexRawQuote(p);
          continue;
        case 36: // $
          this.lexFieldOrVariable(p, "variable");
          continue;
        case 46: {
          // "." starts a field unless a digit follows (".5" is a number).
          const next = this.code(p + 1);
          if (next !== -1 && (next < 48 || next > 57)) {
            this.lexFieldOrVariable(p, "field");
            continue;
          }
          this.lexNumber(p);
          continue;
        }
        case 40: // (
          this.parenDepth++;
          this.push("leftParen", p, p + 1);
          this.pos++;
          continue;
        case 41: // )
          this.parenDepth--;
          if (this.parenDepth < 0) this.fail("unexpected right paren", p);
          this.push("rightParen", p, p + 1);
          this.pos++;
          continue;
      }
      if (c === 43 || c === 45 || (c >= 48 && c <= 57)) {
        this.lexNumber(p);
        continue;
      }
      const cp = this.codePoint(p);
      if (isAlnumCode(cp)) {
        this.lexIdentifier(p);
        continue;
      }
      if (cp < 128 && cp >= 32 && cp < 127) {
        this.push("char", p, p + 1);
        this.pos++;
        continue;
      }
      this.fail(`unrecognized character in action: ${goRuneName(cp)}`, p);
    }
  }

  private lexSpace(): void {
    const start = this.pos;
    const line = this.line;
    let p = start;
    while (isSpaceCode(this.code(p))) {
      if (this.code(p) === 10) this.line++;
      p++;
    }
    // Leave the space of a ` -}}` for the delimiter; a lone such space makes no token.
    if (this.code(p) === 45 && this.input.startsWith(this.right, p + 1)) {
      p--;
      if (this.code(p) === 10) this.line--;
      if (p === start) {
        this.pos = p;
        return;
      }
    }
    this.push("space", start, p, line);
    this.pos = p;
  }

  private lexQuote(start: number, quote: number, type: TokenType, unterminated: string): void {
    let p = start + 1;
    for (;;) {
      const c = this.code(p);
      if (c === 92) {
        const n = this.code(p + 1);
        if (n === -1 || n === 10) this.fail(unterminated, start);
        p += 2;
        continue;
      }
      if (c === -1 || c === 10) this.fail(unterminated, start);
      p++;
      if (c === quote) break;
    }
    this.push(type, start, p);
    this.pos = p;
  }

  private lexRawQuote(start: number): void {
    const close = this.input.indexOf("`", start + 1);
    if (close < 0) this.fail("unterminated raw quoted string", start);
    this.push("rawString", start, close + 1);
    this.line += countNewlines(this.input, start, close);
    this.pos = close + 1;
  }

  private alnumRun(p: number): number {
    for (;;) {
      const cp = this.codePoint(p);
      if (cp === -1 || !isAlnumCode(cp)) return p;
      p += cp > 0xffff ? 2 : 1;
    }
  }

  private lexFieldOrVariable(start: number, type: "field" | "variable"): void {
    if (this.atTerminator(start + 1)) {
      this.push(type === "variable" ? "variable" : "dot", start, start + 1);
      this.pos = start + 1;
      return;
    }
    const end = this.alnumRun(start + 1);
    if (!this.atTerminator(end)) this.fail(`bad character ${goRuneName(this.codePoint(end))}`, end);
    this.push(type, start, end);
    this.pos = end;
  }

  private lexIdentifier(start: number): void {
    const end = this.alnumRun(start);
    if (!this.atTerminator(end)) this.fail(`bad character ${goRuneName(this.codePoint(end))}`, end);
    const word = this.input.slice(start, end);
    this.tokens.push({ type: KEYWORDS.get(word) ?? "identifier", value: word, pos: start, line: this.line });
    this.pos = end;
  }

  private acceptRun(p: number, chars: string): number {
    while (p < this.input.length && chars.includes(this.input[p]!)) p++;
    return p;
  }

  /** Go's number scanner: returns the end, or -(end+1) when an alphanumeric follows. */
  private scanNumber(p: number): number {
    const { input } = this;
    if (input[p] === "+" || input[p] === "-") p++;
    let digits = DEC;
    if (input[p] === "0") {
      p++;
      const x = input[p];
      if (x === "x" || x === "X") {
        p++;
        digits = HEXD;
      } else if (x === "o" || x === "O") {
        p++;
        digits = OCT;
      } else if (x === "b" || x === "B") {
        p++;
        digits = BIN;
      }
    }
    p = this.acceptRun(p, digits);
    if (input[p] === ".") p = this.acceptRun(p + 1, digits);
    if (digits === DEC && (input[p] === "e" || input[p] === "E")) {
      p++;
      if (input[p] === "+" || input[p] === "-") p++;
      p = this.acceptRun(p, DEC);
    }
    if (digits === HEXD && (input[p] === "p" || input[p] === "P")) {
      p++;
      if (input[p] === "+" || input[p] === "-") p++;
      p = this.acceptRun(p, DEC);
    }
    if (input[p] === "i") p++;
    const cp = this.codePoint(p);
    if (cp !== -1 && isAlnumCode(cp)) return -(p + (cp > 0xffff ? 2 : 1) + 1);
    return p;
  }

  private lexNumber(start: number): void {
    const bad = (end: number): never =>
      this.fail(`bad number syntax: ${goQuote(this.input.slice(start, end))}`, start);
    let end = this.scanNumber(start);
    if (end < 0) bad(-end - 1);
    const sign = this.input[end];
    if (sign === "+" || sign === "-") {
      // A complex constant like 1+2i: no spaces, ends in 'i'.
      const end2 = this.scanNumber(end);
      if (end2 < 0) bad(-end2 - 1);
      if (this.input[end2 - 1] !== "i") bad(end2);
      this.push("complex", start, end2);
      this.pos = end2;
      return;
    }
    this.push("number", start, end);
    end = end > start ? end : start + 1;
    this.pos = end;
  }
}

/** Unwinds the lexer after an error token. */
class LexStop {}
