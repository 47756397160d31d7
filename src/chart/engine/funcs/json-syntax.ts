/**
 * The syntax check of Go's encoding/json, for its error texts (`invalid character 'b' looking for
 * beginning of object key string`, `unexpected end of JSON input`): JSON.parse accepts the same
 * grammar but words its errors its own way.
 */

class JsonSyntaxError extends Error {}

/** Go's quoteChar: the byte in single quotes, escaped as a Go string would escape it. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

/** Go's bound on nested arrays and objects. */
const MAX_DEPTH = 10000;

class Scanner {
  private i = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  check(): void {
    this.value();
    this.space();
    if (this.i < this.s.length) this.fail("after top-level value");
  }

  /**
   * At the end of input Go's scanner steps once more with a space: inside a number, literal or
   * escape that space is the invalid character; elsewhere the input just ended too early.
   */
  private fail(context: string, insideToken = false): never {
    const atEnd = this.i >= this.s.length;
    if (atEnd && !insideToken) throw new JsonSyntaxError("unexpected end of JSON input");
    throw new JsonSyntaxError(`invalid character ${quoteChar(atEnd ? " " : this.s[this.i]!)} ${context}`);
  }

  private space(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s[this.i]!)) this.i++;
  }

  private value(): void {
    this.space();
    const c = this.s[this.i];
    if (c === "{") this.object();
    else if (c === "[") this.array();
    else if (c === '"') this.string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) this.number();
    else if (c === "t") this.literal("true");
    else if (c === "f") this.literal("false");
    else if (c === "n") this.literal("null");
    else this.fail("looking for beginning of value");
  }

  private nest(): void {
    if (++this.depth > MAX_DEPTH) throw new JsonSyntaxError("exceeded max depth");
  }

  private object(): void {
    this.nest();
    this.i++;
    this.space();
    if (this.s[this.i] === "}") {
      this.i++;
      this.depth--;
      return;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') this.fail("looking for beginning of object key string");
      this.string();
      this.space();
      if (this.s[this.i] !== ":") this.fail("after object key");
      this.i++;
      this.value();
      this.space();
      const c = this.s[this.i];
      this.i++;
      if (c === "}") {
        this.depth--;
        return;
      }
      if (c !== ",") {
        this.i--;
        this.fail("after object key:value pair");
      }
    }
  }

  private array(): void {
    this.nest();
    this.i++;
    this.space();
    if (this.s[this.i] === "]") {
      this.i++;
      this.depth--;
      return;
    }
    for (;;) {
      this.value();
      this.space();
      const c = this.s[this.i];
      this.i++;
      if (c === "]") {
        this.depth--;
        return;
      }
      if (c !== ",") {
        this.i--;
        this.fail("after array element");
      }
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail("in string literal");
      if (c === '"') {
        this.i++;
        return;
      }
      if (c.charCodeAt(0) < 0x20) this.fail("in string literal");
      this.i++;
      if (c !== "\\") continue;
      const e = this.s[this.i];
      if (e === "u") {
        this.i++;
        for (let k = 0; k < 4; k++, this.i++) {
          if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? ""))
            this.fail("in \\u hexadecimal character escape", true);
        }
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i++;
      else this.fail("in string escape code", true);
    }
  }

  private digits(context: string): void {
    if (!/[0-9]/.test(this.s[this.i] ?? "")) this.fail(context, true);
    while (/[0-9]/.test(this.s[this.i] ?? "")) this.i++;
  }

  private number(): void {
    if (this.s[this.i] === "-") this.i++;
    if (this.s[this.i] === "0") this.i++;
    else this.digits("in numeric literal");
    if (this.s[this.i] === ".") {
      this.i++;
      this.digits("after decimal point in numeric literal");
    }
    if (this.s[this.i] === "e" || this.s[this.i] === "E") {
      this.i++;
      if (this.s[this.i] === "+" || this.s[this.i] === "-") this.i++;
      this.digits("in exponent of numeric literal");
    }
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++, this.i++) {
      if (this.s[this.i] !== word[k])
        this.fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`, true);
    }
  }
}

/** Go's syntax error for `text`, or null when it is one well-formed JSON value. */
export function goJsonSyntaxError(text: string): string | null {
  try {
    new Scanner(text).check();
    return null;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err.message;
    throw err;
  }
}
