/**
 * `.helmignore` rules, with Helm's semantics (which are not .gitignore's):
 * - one pattern per line, trimmed; blank lines and `#` comments skipped;
 * - `**` is refused ("double-star (**) syntax is not supported"), a malformed glob is
 *   "syntax error in pattern";
 * - a pattern without `/` matches the base name at any depth; one with `/` matches the whole
 *   chart-relative path; a leading `/` anchors at the root; a trailing `/` matches directories only;
 * - globs are Go's filepath.Match (`*` and `?` stop at `/`, `[a-z]`, `[^a]`, `\` escapes);
 * - rules are tried in order and the first match ignores the path; a `!` rule ignores every path
 *   it does *not* match (so `!x` keeps only `x` — Helm's quirk, kept for compatibility);
 * - an ignored directory is skipped whole.
 * Helm always adds `templates/.?*` (hidden files directly under templates/).
 */

interface Pattern {
  negate: boolean;
  dirOnly: boolean;
  /** Match the whole path (pattern had a `/`) rather than the base name. */
  fullPath: boolean;
  re: RegExp;
}

/** A .helmignore file that cannot be used. */
export class HelmIgnoreError extends Error {
  override name = "HelmIgnoreError";
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function escapeClass(c: string): string {
  return c.replace(/[\\\][^-]/g, "\\$&");
}

/**
 * Translate a Go filepath.Match pattern into an anchored RegExp, or throw on a malformed one
 * (Go's ErrBadPattern: unclosed `[`, empty class, bad range, trailing `\`).
 */
export function goGlobToRegExp(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let re = "";
  let i = 0;
  const bad = () => new HelmIgnoreError("syntax error in pattern");
  // One class member: a character, or `\` and a character; `-` and `]` must be escaped.
  const classChar = (): string => {
    const c = chars[i];
    if (c === undefined || c === "-" || c === "]") throw bad();
    if (c === "\\") {
      i++;
      const e = chars[i];
      if (e === undefined) throw bad();
      i++;
      return e;
    }
    i++;
    return c;
  };
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === "*") {
      re += "[^/]*";
      i++;
    } else if (c === "?") {
      re += "[^/]";
      i++;
    } else if (c === "\\") {
      const e = chars[i + 1];
      if (e === undefined) throw bad();
      re += escapeRe(e);
      i += 2;
    } else if (c === "[") {
      i++;
      let negated = false;
      if (chars[i] === "^") {
        negated = true;
        i++;
      }
      let cls = "";
      let ranges = 0;
      for (;;) {
        if (chars[i] === "]" && ranges > 0) {
          i++;
          break;
        }
        const lo = classChar();
        let hi = lo;
        if (chars[i] === "-") {
          i++;
          hi = classChar();
        }
        // Go accepts a backwards range such as `z-a`; it matches nothing.
        if (hi.codePointAt(0)! >= lo.codePointAt(0)!) {
          cls += lo === hi ? escapeClass(lo) : `${escapeClass(lo)}-${escapeClass(hi)}`;
        }
        ranges++;
      }
      if (cls === "") re += negated ? "[\\s\\S]" : "(?!)";
      else re += negated ? `[^${cls}]` : `[${cls}]`;
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  return new RegExp(`^${re}$`, "u");
}

/** Parsed `.helmignore` rules for one chart directory. */
export class HelmIgnore {
  private readonly patterns: Pattern[] = [];

  /** Parse rules; Helm's default `templates/.?*` is added unless `withDefaults` is false. */
  constructor(text = "", withDefaults = true) {
    for (const line of text.split(/\r?\n/)) this.add(line);
    if (withDefaults) this.add("templates/.?*");
  }

  private add(line: string): void {
    let rule = line.trim();
    if (rule === "" || rule.startsWith("#")) return;
    if (rule.includes("**")) throw new HelmIgnoreError("double-star (**) syntax is not supported");
    goGlobToRegExp(rule);
    const negate = rule.startsWith("!");
    if (negate) rule = rule.slice(1);
    const dirOnly = rule.endsWith("/");
    if (dirOnly) rule = rule.slice(0, -1);
    let fullPath = rule.includes("/");
    if (rule.startsWith("/")) {
      rule = rule.slice(1);
      fullPath = true;
    }
    this.patterns.push({ negate, dirOnly, fullPath, re: goGlobToRegExp(rule) });
  }

  /** Is the chart-relative `path` (with `/`) ignored? */
  ignores(path: string, isDir: boolean): boolean {
    if (path === "" || path === "." || path === "./") return false;
    const base = path.slice(path.lastIndexOf("/") + 1);
    for (const p of this.patterns) {
      const matches = p.re.test(p.fullPath ? path : base);
      if (p.negate) {
        if (p.dirOnly && !isDir) return true;
        if (!matches) return true;
        continue;
      }
      if (p.dirOnly && !isDir) continue;
      if (matches) return true;
    }
    return false;
  }
}
