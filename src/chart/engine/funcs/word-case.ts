/**
 * Sprig's case conversions (huandu/xstrings): `snakecase`, `kebabcase`, `camelcase` (upper camel
 * case) and `swapcase`. Text splits into words — a run of lower-case letters, an upper-case letter
 * with the lower-case ones after it, an all-capitals abbreviation (`HTTPServer` → `HTTP`, `Server`),
 * a number, other letters or symbols — and connectors (space, `_`, `-`). Punctuation stays glued.
 */

type Kind = "lower" | "upper" | "number" | "connector" | "punct" | "other";

interface Word {
  kind: Kind;
  text: string;
}

const CONNECTOR = /[\s_-]/u;
const UPPER = /\p{Lu}/u;
const TITLE_OR_UPPER = /[\p{Lu}\p{Lt}]/u;
const OTHER = /[\p{Lo}\p{S}]/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
const PUNCT = /\p{P}/u;

function classOf(ch: string): Kind {
  if (CONNECTOR.test(ch)) return "connector";
  if (UPPER.test(ch)) return "upper";
  if (DIGIT.test(ch)) return "number";
  if (PUNCT.test(ch)) return "punct";
  // Symbols and caseless letters (CJK) are words of their own; marks, title-case letters and
  // other number signs (²) go with the letters before them.
  if (OTHER.test(ch)) return "other";
  return "lower";
}

/** The words of s; an upper word is capitals optionally followed by lower-case letters. */
function splitWords(s: string): Word[] {
  const chars = [...s];
  const kinds = chars.map(classOf);
  const words: Word[] = [];
  let i = 0;
  while (i < chars.length) {
    const kind = kinds[i]!;
    let j = i + 1;
    if (kind === "connector") {
      // each connector is its own word
    } else if (kind === "upper") {
      while (j < chars.length && kinds[j] === "upper") j++;
      // Capitals then lower case: the last capital starts the next word (HTTPServer).
      if (j < chars.length && kinds[j] === "lower") {
        if (j - i > 1) j--;
        else while (j < chars.length && kinds[j] === "lower") j++;
      }
    } else while (j < chars.length && kinds[j] === kind) j++;
    words.push({ kind, text: chars.slice(i, j).join("") });
    i = j;
  }
  return words;
}

/** Upper-case letters to lower case; the rest (a title-case ǅ) as it is. */
function lowerUpper(s: string): string {
  let out = "";
  for (const ch of s) out += UPPER.test(ch) ? ch.toLowerCase() : ch;
  return out;
}

const joins = (w: Word | undefined) => w !== undefined && w.kind !== "connector" && w.kind !== "punct";

/** snakecase (connector `_`) and kebabcase (`-`). */
export function delimitedCase(s: string, connector: string): string {
  const words = splitWords(s);
  let out = "";
  // Whether the connector before this word, if any, has been written with the word before.
  let settled = true;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const prev = words[i - 1];
    const wasSettled = settled;
    settled = false;
    if (w.kind === "connector") {
      out += connector;
      continue;
    }
    if (w.kind === "number") {
      const next = words[i + 1];
      // A number followed by lower case starts a word with them (http2xx → http_2xx); otherwise it
      // ends the word before it (HTTP2XX → http2_xx, version2).
      if (next?.kind === "lower") {
        if (joins(prev) && !wasSettled) out += connector;
        out += w.text;
        while (words[i + 1]?.kind === "lower" || words[i + 1]?.kind === "number")
          out += lowerUpper(words[++i]!.text);
      } else out += w.text;
      if (joins(words[i + 1])) out += connector;
      settled = true;
      continue;
    }
    if (w.kind !== "punct" && joins(prev) && !wasSettled) out += connector;
    out += lowerUpper(w.text);
  }
  return out;
}

/** camelcase: words capitalised and joined; a lone connector between words goes, runs keep all but one. */
export function upperCamelCase(s: string): string {
  const words = splitWordsByConnectors(s);
  // xstrings writes the last connector twice when there is nothing else.
  if (words.length === 1 && words[0]!.connectors) return s + s.slice(-1);
  let out = "";
  for (const part of words) {
    if (part.connectors) {
      out += part.first || part.last ? part.text : part.text.slice(0, -1);
      continue;
    }
    const chars = [...part.text];
    let run = 0;
    while (run < chars.length && UPPER.test(chars[run]!)) run++;
    out +=
      run > 1
        ? chars[0] + chars.slice(1, run).join("").toLowerCase() + chars.slice(run).join("")
        : chars[0]!.toUpperCase() + chars.slice(1).join("");
  }
  return out;
}

function splitWordsByConnectors(
  s: string,
): { text: string; connectors: boolean; first: boolean; last: boolean }[] {
  const parts = s.match(/[\s_-]+|[^\s_-]+/gu) ?? [];
  return parts.map((text, i) => ({
    text,
    connectors: CONNECTOR.test(text[0]!),
    first: i === 0,
    last: i === parts.length - 1,
  }));
}

/** swapcase: upper (and title) case to lower and lower to upper; other characters as they are. */
export function swapCase(s: string): string {
  let out = "";
  for (const ch of s)
    out += TITLE_OR_UPPER.test(ch) ? ch.toLowerCase() : LOWER.test(ch) ? ch.toUpperCase() : ch;
  return out;
}
