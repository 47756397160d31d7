/**
 * JSON syntax errors worded as Go's encoding/json decoder words them (`invalid character 'n'
 * looking for beginning of object key string`, `unexpected EOF`…), for messages about broken
 * values.schema.json files. Only syntax is checked; the caller parses valid text itself.
 */

const MAX_DEPTH = 10_000;

/** Go's quoteChar: a rune in single quotes with Go's escapes. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const code = c.codePointAt(0)!;
  const named: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f" };
  if (named[c]) return `'${named[c]}'`;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, "0")}'`;
  if (c === "\\") return "'\\\\'";
  return `'${c}'`;
}

class GoJsonSyntax extends Error {}

class Scanner {
  private pos = 0;
  private readonly chars: string[];

  constructor(text: string) {
    this.chars = Array.from(text);
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private ws(): void {
    while (this.pos < this.chars.length && " \t\n\r".includes(this.chars[this.pos]!)) this.pos++;
  }

  private need(): string {
    const c = this.peek();
    if (c === undefined) throw new GoJsonSyntax("unexpected EOF");
    return c;
  }

  private bad(c: string, context: string): GoJsonSyntax {
    return new GoJsonSyntax(`invalid character ${quoteChar(c)} ${context}`);
  }

  document(): void {
    this.ws();
    if (this.peek() === undefined) throw new GoJsonSyntax("EOF");
    this.value(0);
    this.ws();
    if (this.peek() !== undefined) throw new GoJsonSyntax("invalid character after top-level value");
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) throw new GoJsonSyntax("exceeded max depth");
    const c = this.need();
    if (c === "{") this.object(depth);
    else if (c === "[") this.array(depth);
    else if (c === '"') this.string();
    else if (c === "-" || (c >= "0" && c <= "9")) this.number();
    else if (c === "t") this.literal("true");
    else if (c === "f") this.literal("false");
    else if (c === "n") this.literal("null");
    else throw this.bad(c, "looking for beginning of value");
  }

  private object(depth: number): void {
    this.pos++;
    this.ws();
    if (this.need() === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      const k = this.need();
      if (k !== '"') throw this.bad(k, "looking for beginning of object key string");
      this.string();
      this.ws();
      const colon = this.need();
      if (colon !== ":") throw this.bad(colon, "after object key");
      this.pos++;
      this.ws();
      this.value(depth + 1);
      this.ws();
      const next = this.need();
      if (next === ",") {
        this.pos++;
        continue;
      }
      if (next === "}") {
        this.pos++;
        return;
      }
      throw this.bad(next, "after object key:value pair");
    }
  }

  private array(depth: number): void {
    this.pos++;
    this.ws();
    if (this.need() === "]") {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      this.value(depth + 1);
      this.ws();
      const next = this.need();
      if (next === ",") {
        this.pos++;
        continue;
      }
      if (next === "]") {
        this.pos++;
        return;
      }
      throw this.bad(next, "after array element");
    }
  }

  private string(): void {
    this.pos++;
    for (;;) {
      const c = this.need();
      this.pos++;
      if (c === '"') return;
      if (c === "\\") {
        const e = this.need();
        this.pos++;
        if (e === "u") {
          for (let i = 0; i < 4; i++) {
            const h = this.need();
            if (!/^[0-9a-fA-F]$/.test(h)) throw this.bad(h, "in \\u hexadecimal character escape");
            this.pos++;
          }
        } else if (!'"\\/bfnrt'.includes(e)) {
          throw this.bad(e, "in string escape code");
        }
      } else if (c.codePointAt(0)! < 0x20) {
        throw this.bad(c, "in string literal");
      }
    }
  }

  private digits(): void {
    while (/^[0-9]$/.test(this.peek() ?? "")) this.pos++;
  }

  private number(): void {
    if (this.peek() === "-") {
      this.pos++;
      const d = this.need();
      if (!/^[0-9]$/.test(d)) throw this.bad(d, "in numeric literal");
    }
    if (this.peek() === "0") this.pos++;
    else this.digits();
    if (this.peek() === ".") {
      this.pos++;
      const d = this.need();
      if (!/^[0-9]$/.test(d)) throw this.bad(d, "after decimal point in numeric literal");
      this.digits();
    }
    if (this.peek() === "e" || this.peek() === "E") {
      this.pos++;
      if (this.peek() === "+" || this.peek() === "-") this.pos++;
      const d = this.need();
      if (!/^[0-9]$/.test(d)) throw this.bad(d, "in exponent of numeric literal");
      this.digits();
    }
  }

  private literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      const c = this.need();
      if (c !== word[i]) throw this.bad(c, `in literal ${word} (expecting ${quoteChar(word[i]!)})`);
      this.pos++;
    }
  }
}

/** Go's error for malformed JSON text, or null when the syntax is fine. */
export function goJsonSyntaxError(text: string): string | null {
  try {
    new Scanner(text).document();
    return null;
  } catch (err) {
    if (err instanceof GoJsonSyntax) return err.message;
    throw err;
  }
}
