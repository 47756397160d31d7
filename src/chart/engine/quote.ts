/**
 * Go's strconv.Quote and `%#U`, as text/template uses them in its messages (`function "x" not
 * defined`, `bad character U+0021 '!'`, `cannot parse template "…"`).
 */

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

const HEX = "0123456789abcdef";

function hex(n: number, width: number): string {
  let s = "";
  for (let i = width - 1; i >= 0; i--) s += HEX[(n >> (4 * i)) & 15];
  return s;
}

/** strconv.Quote: a double-quoted Go string literal (QuoteToASCII with `asciiOnly`, as `%+q`). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    switch (cp) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
      case 0x07:
        out += "\\a";
        continue;
      case 0x08:
        out += "\\b";
        continue;
      case 0x0c:
        out += "\\f";
        continue;
      case 0x0a:
        out += "\\n";
        continue;
      case 0x0d:
        out += "\\r";
        continue;
      case 0x09:
        out += "\\t";
        continue;
      case 0x0b:
        out += "\\v";
        continue;
    }
    if (cp >= 0xdc80 && cp <= 0xdcff) {
      // A byte that was not valid UTF-8 (see value.ts goString).
      out += `\\x${hex(cp - 0xdc00, 2)}`;
    } else if (isPrintRune(cp) && !(asciiOnly && cp >= 0x80)) {
      out += String.fromCodePoint(cp);
    } else if (cp < 0x80) {
      out += `\\x${hex(cp, 2)}`;
    } else if (cp < 0x10000) {
      out += `\\u${hex(cp, 4)}`;
    } else {
      out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

/** `%.Nq`: the string cut to its first N runes, then quoted. */
export function goQuotePrefix(s: string, runes: number): string {
  const chars = Array.from(s);
  return goQuote(chars.length > runes ? chars.slice(0, runes).join("") : s);
}

/** `%#U`: `U+0021 '!'` (the quoted character only when printable). */
export function goRuneName(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return isPrintRune(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}
