/**
 * `.helmignore` rules, as Helm reads them: one glob per line (`#` comments), `!` negates,
 * a trailing `/` matches directories only, a leading `/` anchors at the chart root; patterns
 * without a slash match the base name at any depth. `**` is not special (as in Helm).
 */

interface Rule {
  negate: boolean;
  dirOnly: boolean;
  /** Match against the full relative path (pattern contained a slash) or the base name. */
  fullPath: boolean;
  re: RegExp;
}

/** Go's filepath.Match glob → RegExp (`*` and `?` stop at `/`; `[...]` classes). */
function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close < 0) {
        re += "\\[";
        continue;
      }
      let cls = glob.slice(i + 1, close);
      if (cls.startsWith("^")) cls = `!${cls.slice(1)}`;
      re += cls.startsWith("!")
        ? `[^${cls.slice(1).replace(/\\/g, "\\\\")}]`
        : `[${cls.replace(/\\/g, "\\\\")}]`;
      i = close;
    } else if (c === "\\" && i + 1 < glob.length) {
      re += glob[++i]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Parsed `.helmignore` rules for one chart directory. */
export class HelmIgnore {
  private readonly rules: Rule[];

  constructor(text: string) {
    this.rules = [];
    for (const raw of text.split(/\r?\n/)) {
      let line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      if (line.includes("**")) continue; // Helm rejects "**" patterns; they match nothing.
      const negate = line.startsWith("!");
      if (negate) line = line.slice(1);
      const dirOnly = line.endsWith("/");
      if (dirOnly) line = line.slice(0, -1);
      const anchored = line.startsWith("/");
      if (anchored) line = line.slice(1);
      this.rules.push({ negate, dirOnly, fullPath: anchored || line.includes("/"), re: globToRegExp(line) });
    }
  }

  /** Is the chart-relative `path` ignored? The last matching rule wins. */
  ignores(path: string, isDir: boolean): boolean {
    let ignored = false;
    const base = path.slice(path.lastIndexOf("/") + 1);
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      const target = r.fullPath ? path : base;
      if (r.re.test(target)) ignored = !r.negate;
    }
    return ignored;
  }
}
