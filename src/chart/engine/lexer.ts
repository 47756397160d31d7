/**
 * Lexer for Go's text/template: splits a template into text and action tokens. Trim markers
 * (`{{- ` and ` -}}`) are applied here to the neighbouring text; comments are dropped. Every token
 * carries its byte offset so errors can name line and column.
 */

export type TokenType =
  | "text"
  | "leftDelim"
  | "rightDelim"
  | "space"
  | "identifier"
  | "keyword"
  | "field"
  | "variable"
  | "dot"
  | "bool"
  | "nil"
  | "number"
  | "char"
  | "string"
  | "rawString"
  | "pipe"
  | "leftParen"
  | "rightParen"
  | "declare"
  | "assign"
  | "comma"
  | "eof";

export interface Token {
  type: TokenType;
  value: string;
  /** Offset in the template source (UTF-16 index; see {@link position}). */
  pos: number;
}

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

const KEYWORDS = new Set([
  "block",
  "break",
  "continue",
  "define",
  "else",
  "end",
  "if",
  "range",
  "template",
  "with",
]);

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** Letters, digits and `_` (Unicode-aware, with an ASCII fast path: this runs per character). */
function isAlnum(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128)
    return (
      (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
    );
  return /[\p{L}\p{Nd}_]/u.test(c);
}

/** Line (1-based) and column (0-based byte offset in the line, as Go reports) of `pos` in `text`. */
export function position(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: Buffer.byteLength(text.slice(lineStart, pos)) };
}

/** Tokenise a whole template. Throws TemplateSyntaxError with Go's messages. */
export function lex(input: string, leftDelim = "{{", rightDelim = "}}"): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos < input.length) {
    const start = input.indexOf(leftDelim, pos);
    const end = start < 0 ? input.length : start;
    // A left trim marker is `{{- ` (the dash must be followed by space).
    const trimLeft =
      start >= 0 && input[start + leftDelim.length] === "-" && isSpace(input[start + leftDelim.length + 1]);
    let text = input.slice(pos, end);
    let textPos = pos;
    if (trimNextText) {
      const trimmed = text.replace(/^[ \t\r\n]+/, "");
      textPos += text.length - trimmed.length;
      text = trimmed;
      trimNextText = false;
    }
    if (trimLeft) {
      // By index: a `[ \t\r\n]+$` regex backtracks over every whitespace run in long text.
      let end = text.length;
      while (end > 0 && isSpace(text[end - 1])) end--;
      text = text.slice(0, end);
    }
    if (text !== "") tokens.push({ type: "text", value: text, pos: textPos });
    if (start < 0) break;
    pos = lexAction(input, start, trimLeft, leftDelim, rightDelim, tokens);
    trimNextText = tokens[tokens.length - 1]!.value === "-";
    if (trimNextText) tokens[tokens.length - 1]!.value = rightDelim;
  }
  tokens.push({ type: "eof", value: "", pos: input.length });
  return tokens;
}

/** Lex one action starting at `start` (the left delimiter); returns the offset after it. */
function lexAction(
  input: string,
  start: number,
  trimLeft: boolean,
  leftDelim: string,
  rightDelim: string,
  tokens: Token[],
): number {
  let pos = start + leftDelim.length + (trimLeft ? 2 : 0);
  // Comments: {{/* ... */}}, possibly with trim markers around them.
  if (input.startsWith("/*", pos)) {
    const close = input.indexOf("*/", pos + 2);
    if (close < 0) throw new TemplateSyntaxError("unclosed comment", start);
    let p = close + 2;
    let trimRight = false;
    if (input[p] === " " || input[p] === "\t" || input[p] === "\r" || input[p] === "\n") {
      if (input[p + 1] === "-" && input.startsWith(rightDelim, p + 2)) {
        trimRight = true;
        p += 2;
      }
    }
    if (!input.startsWith(rightDelim, p))
      throw new TemplateSyntaxError("comment ends before closing delimiter", start);
    // Represent the comment as an empty action that the parser skips, keeping trim semantics.
    tokens.push({ type: "leftDelim", value: "comment", pos: start });
    tokens.push({ type: "rightDelim", value: trimRight ? "-" : rightDelim, pos: p });
    return p + rightDelim.length;
  }
  tokens.push({ type: "leftDelim", value: leftDelim, pos: start });
  let parenDepth = 0;
  for (;;) {
    // Right delimiter, possibly with trim marker ` -}}`.
    if (isSpace(input[pos]) && input[pos + 1] === "-" && input.startsWith(rightDelim, pos + 2)) {
      tokens.push({ type: "rightDelim", value: "-", pos: pos + 2 });
      return pos + 2 + rightDelim.length;
    }
    if (input.startsWith(rightDelim, pos)) {
      if (parenDepth > 0) throw new TemplateSyntaxError("unclosed left paren", pos);
      tokens.push({ type: "rightDelim", value: rightDelim, pos });
      return pos + rightDelim.length;
    }
    const c = input[pos];
    if (c === undefined) throw new TemplateSyntaxError("unclosed action", start);
    if (isSpace(c)) {
      // Stop before a ` -}}` so the trim marker is seen at the top of the loop.
      const s = pos;
      while (isSpace(input[pos]) && !(input[pos + 1] === "-" && input.startsWith(rightDelim, pos + 2))) pos++;
      tokens.push({ type: "space", value: " ", pos: s });
      continue;
    }
    if (c === "=") {
      tokens.push({ type: "assign", value: "=", pos });
      pos++;
      continue;
    }
    if (c === ":") {
      if (input[pos + 1] !== "=") throw new TemplateSyntaxError("expected :=", pos);
      tokens.push({ type: "declare", value: ":=", pos });
      pos += 2;
      continue;
    }
    if (c === "|") {
      tokens.push({ type: "pipe", value: "|", pos });
      pos++;
      continue;
    }
    if (c === ",") {
      tokens.push({ type: "comma", value: ",", pos });
      pos++;
      continue;
    }
    if (c === "(") {
      parenDepth++;
      tokens.push({ type: "leftParen", value: "(", pos });
      pos++;
      continue;
    }
    if (c === ")") {
      parenDepth--;
      if (parenDepth < 0) throw new TemplateSyntaxError(`unexpected right paren`, pos);
      tokens.push({ type: "rightParen", value: ")", pos });
      pos++;
      continue;
    }
    if (c === '"') {
      const s = pos;
      pos++;
      while (input[pos] !== '"') {
        if (input[pos] === "\\") pos++;
        if (input[pos] === undefined || input[pos] === "\n")
          throw new TemplateSyntaxError("unterminated quoted string", s);
        pos++;
      }
      pos++;
      tokens.push({ type: "string", value: input.slice(s, pos), pos: s });
      continue;
    }
    if (c === "`") {
      const s = pos;
      const close = input.indexOf("`", pos + 1);
      if (close < 0) throw new TemplateSyntaxError("unterminated raw quoted string", s);
      pos = close + 1;
      tokens.push({ type: "rawString", value: input.slice(s, pos), pos: s });
      continue;
    }
    if (c === "'") {
      const s = pos;
      pos++;
      while (input[pos] !== "'") {
        if (input[pos] === "\\") pos++;
        if (input[pos] === undefined || input[pos] === "\n")
          throw new TemplateSyntaxError("unterminated character constant", s);
        pos++;
      }
      pos++;
      tokens.push({ type: "char", value: input.slice(s, pos), pos: s });
      continue;
    }
    if (c === "$") {
      const s = pos;
      pos++;
      while (isAlnum(input[pos])) pos++;
      tokens.push({ type: "variable", value: input.slice(s, pos), pos: s });
      continue;
    }
    if (c === ".") {
      const next = input[pos + 1];
      if (next !== undefined && /[0-9]/.test(next)) {
        pos = lexNumber(input, pos, tokens);
        continue;
      }
      const s = pos;
      pos++;
      if (!isAlnum(input[pos])) {
        tokens.push({ type: "dot", value: ".", pos: s });
        continue;
      }
      while (isAlnum(input[pos])) pos++;
      tokens.push({ type: "field", value: input.slice(s, pos), pos: s });
      continue;
    }
    if (c === "+" || c === "-" || /[0-9]/.test(c)) {
      pos = lexNumber(input, pos, tokens);
      continue;
    }
    if (isAlnum(c)) {
      const s = pos;
      while (isAlnum(input[pos])) pos++;
      const word = input.slice(s, pos);
      const type: TokenType = KEYWORDS.has(word)
        ? "keyword"
        : word === "true" || word === "false"
          ? "bool"
          : word === "nil"
            ? "nil"
            : "identifier";
      tokens.push({ type, value: word, pos: s });
      continue;
    }
    if (c === "}") throw new TemplateSyntaxError('unexpected "}" in operand', pos);
    throw new TemplateSyntaxError(`unrecognized character in action: ${quoteRune(c)}`, pos);
  }
}

function lexNumber(input: string, start: number, tokens: Token[]): number {
  const m =
    /^[+-]?(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)i?/.exec(
      input.slice(start),
    );
  const text = m?.[0] ?? "";
  const end = start + text.length;
  if (text === "" || text === "+" || text === "-" || isAlnum(input[end])) {
    let bad = end;
    while (isAlnum(input[bad]) || input[bad] === ".") bad++;
    throw new TemplateSyntaxError(
      `bad number syntax: "${input.slice(start, Math.max(bad, start + 1))}"`,
      start,
    );
  }
  tokens.push({ type: "number", value: text, pos: start });
  return end;
}

function quoteRune(c: string): string {
  const code = c.codePointAt(0)!;
  if (c === "\\") return "U+005C '\\\\'";
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")} '${c}'`;
}
