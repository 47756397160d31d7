/**
 * Semantic versions and constraints with Masterminds/semver v3's rules, as Helm uses them
 * (`semverCompare`, chart `kubeVersion`, dependency ranges): loose versions (`v1.2`, `1.16-0`),
 * `||` / `,` / space-joined constraints, wildcards, `~`, `^`, hyphen ranges, and the rule that a
 * pre-release version only matches constraints that carry a pre-release.
 */

export interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string;
  metadata: string;
  original: string;
}

const VERSION =
  /^v?([0-9]+)(?:\.([0-9]+|[xX*]))?(?:\.([0-9]+|[xX*]))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parse a version the loose way Masterminds does; throws "invalid semantic version". */
export function parseSemver(s: string): Version {
  const m = VERSION.exec(s.trim());
  if (!m || /[xX*]/.test(`${m[2] ?? ""}${m[3] ?? ""}`)) throw new Error("invalid semantic version");
  return {
    major: BigInt(m[1]!),
    minor: BigInt(m[2] ?? 0),
    patch: BigInt(m[3] ?? 0),
    prerelease: m[4] ?? "",
    metadata: m[5] ?? "",
    original: s,
  };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Semver precedence (metadata ignored). */
export function compareSemver(a: Version, b: Version): number {
  for (const k of ["major", "minor", "patch"] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return comparePre(a.prerelease, b.prerelease);
}

interface Bound {
  op: "=" | "!=" | ">" | "<" | ">=" | "<=" | "outside";
  v: Version;
  /** For "outside": the exclusive upper end of the excluded range [v, hi). */
  hi?: Version;
}

interface Term {
  bounds: Bound[];
  /** Whether the written constraint had a pre-release part (allows pre-release versions). */
  pre: boolean;
}

const v3 = (major: bigint, minor: bigint, patch: bigint, prerelease = ""): Version => ({
  major,
  minor,
  patch,
  prerelease,
  metadata: "",
  original: "",
});

/** Expand one written constraint (`~1.2`, `>= 1.x`, `1.2 - 1.4`…) into bounds. */
function parseTerm(raw: string): Term {
  const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(raw);
  if (hyphen) {
    const lo = parseTerm(`>=${hyphen[1]}`);
    const hi = parseTerm(`<=${hyphen[2]}`);
    return { bounds: [...lo.bounds, ...hi.bounds], pre: lo.pre || hi.pre };
  }
  const m =
    /^\s*(=>|=<|>=|<=|!=|~>|[=<>~^])?\s*(v?[0-9xX*]+(?:\.[0-9xX*]+)?(?:\.[0-9xX*]+)?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)\s*$/.exec(
      raw,
    );
  if (!m) throw new Error(`improper constraint: ${raw.trim()}`);
  const op = m[1] === "=>" ? ">=" : m[1] === "=<" ? "<=" : m[1] === "~>" ? "~" : (m[1] ?? "=");
  const text = m[2]!.replace(/^v/, "");
  const parts = /^([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z.-]+))?/.exec(text)!;
  // A missing part is a wildcard, like x/X/* (checked with real Helm: "10" matches 10.5.7, ">1" rejects 1.5.0).
  const isX = (p: string | undefined) => p === undefined || /^[xX*]$/.test(p);
  const majorWild = isX(parts[1]);
  const minorWild = isX(parts[2]);
  const patchWild = minorWild || isX(parts[3]);
  const pre = parts[4] ?? "";
  const major = majorWild ? 0n : BigInt(parts[1]!);
  const minor = minorWild ? 0n : BigInt(parts[2] ?? 0);
  const patch = patchWild ? 0n : BigInt(parts[3] ?? 0);
  const base = v3(major, minor, patch, pre);
  const term = (bounds: Bound[]): Term => ({ bounds, pre: pre !== "" });
  if (majorWild)
    return op === "!=" || op === "<" || op === ">" ? term([{ op: "<", v: v3(0n, 0n, 0n) }]) : term([]);
  // The next version up at the wildcard's level, for "1.2.x"-style ranges.
  const upper = minorWild ? v3(major + 1n, 0n, 0n) : patchWild ? v3(major, minor + 1n, 0n) : undefined;
  switch (op) {
    case "=":
      return term(
        upper
          ? [
              { op: ">=", v: base },
              { op: "<", v: upper },
            ]
          : [{ op: "=", v: base }],
      );
    case "!=":
      return term(upper ? [{ op: "outside", v: base, hi: upper }] : [{ op: "!=", v: base }]);
    case ">":
      return term(upper ? [{ op: ">=", v: upper }] : [{ op: ">", v: base }]);
    case ">=":
      return term([{ op: ">=", v: base }]);
    case "<":
      return term([{ op: "<", v: base }]);
    case "<=":
      return term(upper ? [{ op: "<", v: upper }] : [{ op: "<=", v: base }]);
    case "~": {
      const hi = parts[2] === undefined || minorWild ? v3(major + 1n, 0n, 0n) : v3(major, minor + 1n, 0n);
      return term([
        { op: ">=", v: base },
        { op: "<", v: hi },
      ]);
    }
    case "^": {
      let hi: Version;
      if (major > 0n || (parts[2] === undefined && !minorWild)) hi = v3(major + 1n, 0n, 0n);
      else if (minor > 0n || parts[3] === undefined || patchWild) hi = v3(0n, minor + 1n, 0n);
      else hi = v3(0n, 0n, patch + 1n);
      if (major === 0n && minorWild) hi = v3(1n, 0n, 0n);
      return term([
        { op: ">=", v: base },
        { op: "<", v: hi },
      ]);
    }
  }
  throw new Error(`improper constraint: ${raw.trim()}`);
}

function satisfies(v: Version, b: Bound): boolean {
  const c = compareSemver(v, b.v);
  switch (b.op) {
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
    case "outside":
      return c < 0 || compareSemver(v, b.hi!) >= 0;
  }
}

/** A parsed constraint: OR of AND-groups. */
export class Constraint {
  private readonly groups: Term[][];

  constructor(readonly text: string) {
    try {
      this.groups = text.split("||").map((group) => {
        const terms = group
          .trim()
          .replace(/([<>=~^!]+)\s+/g, "$1")
          .split(/[\s,]+/)
          .filter((t) => t !== "");
        // Re-join hyphen ranges that the split separated: ["1.2", "-", "1.4"].
        const joined: string[] = [];
        for (let i = 0; i < terms.length; i++) {
          if (terms[i + 1] === "-" && terms[i + 2] !== undefined) {
            joined.push(`${terms[i]} - ${terms[i + 2]}`);
            i += 2;
          } else joined.push(terms[i]!);
        }
        if (joined.length === 0) throw new Error("empty constraint");
        return joined.map(parseTerm);
      });
    } catch {
      throw new Error(`improper constraint: ${text}`);
    }
  }

  /** Does `v` satisfy the constraint? */
  check(v: Version): boolean {
    return this.groups.some((terms) =>
      terms.every((t) => (v.prerelease !== "" && !t.pre ? false : t.bounds.every((b) => satisfies(v, b)))),
    );
  }
}
