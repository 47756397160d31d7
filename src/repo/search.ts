/**
 * `helm search repo`'s matching and ordering, learned from real Helm: each chart version is one
 * searchable line — chart name, `repo/chart`, description, keywords — and a hit's score is the
 * field the match starts in (name first). Literal search ignores case; `--regexp` does not.
 * Results sort by score, then name, then newest version; then the version constraint keeps the
 * first matching version per chart (every matching version with `--versions`).
 */
import { Constraint, compareSemver, parseSemver } from "../chart/engine/funcs/semver.ts";
import { compareGoStrings } from "../chart/engine/value.ts";
import type { IndexSummary, SummaryVersion } from "./cache.ts";

/** One row of search output. */
export interface SearchResult {
  /** `repo/chart` */
  name: string;
  score: number;
  chart: SummaryVersion;
}

export interface SearchOptions {
  /** The keyword(s) joined by spaces; undefined lists everything. */
  query?: string;
  regexp?: boolean;
  /** Semver constraint; Helm's default is `>0.0.0` (stable only), `--devel` makes it `>0.0.0-0`. */
  version: string;
  versions?: boolean;
}

/** A search that cannot run (bad regexp or constraint); the message is Helm's. */
export class SearchError extends Error {
  override name = "SearchError";
}

const SEP = "\v";

interface Line {
  name: string;
  text: string;
  chart: SummaryVersion;
}

function fieldOf(index: number, text: string): number {
  let field = 0;
  for (let i = text.indexOf(SEP); i >= 0 && i < index; i = text.indexOf(SEP, i + 1)) field++;
  return field;
}

/** Go regexp syntax, as far as JavaScript shares it; Helm's error wording for the common mistakes. */
function compileRegexp(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    const msg = (err as Error).message;
    if (/\[/.test(source) && /(class|bracket|terminated|\])/i.test(msg)) {
      throw new SearchError(
        `error parsing regexp: missing closing ]: \`${source.slice(source.lastIndexOf("["))}\``,
      );
    }
    if (/paren|\)/i.test(msg)) {
      throw new SearchError(`error parsing regexp: missing closing ): \`${source}\``);
    }
    throw new SearchError(`error parsing regexp: invalid syntax: \`${source}\``);
  }
}

/** Search the repositories' indexes (`repos` in repositories.yaml order). */
export function searchRepos(repos: [string, IndexSummary][], opts: SearchOptions): SearchResult[] {
  // Every version is a line, keyed as Helm keys them (`repo/chart` + version; a repeated key keeps the last).
  const lines = new Map<string, Line>();
  for (const [repo, index] of repos) {
    for (const [chartName, versions] of index.entries) {
      if (versions.length === 0) continue;
      const name = `${repo}/${chartName}`;
      for (const v of versions) {
        const text = `${v.name}${SEP}${repo}/${v.name}${SEP}${v.description}${SEP}${v.keywords.join(" ")}`;
        lines.set(`${name}$$${v.version}`, { name, text, chart: v });
      }
    }
  }
  let results: SearchResult[] = [];
  if (opts.query === undefined) {
    for (const l of lines.values()) results.push({ name: l.name, score: 0, chart: l.chart });
  } else if (opts.regexp) {
    const re = compileRegexp(opts.query);
    for (const l of lines.values()) {
      const m = re.exec(l.text);
      if (m) results.push({ name: l.name, score: fieldOf(m.index, l.text), chart: l.chart });
    }
  } else {
    const term = opts.query.toLowerCase();
    for (const l of lines.values()) {
      const i = l.text.toLowerCase().indexOf(term);
      if (i >= 0) results.push({ name: l.name, score: fieldOf(i, l.text), chart: l.chart });
    }
  }
  results = sortResults(results);
  return applyConstraint(results, opts.version, opts.versions ?? false);
}

function sortResults(results: SearchResult[]): SearchResult[] {
  const parsed = new Map<SummaryVersion, ReturnType<typeof parseSemver> | null>();
  const semverOf = (v: SummaryVersion) => {
    let p = parsed.get(v);
    if (p === undefined) {
      try {
        p = parseSemver(v.version);
      } catch {
        p = null;
      }
      parsed.set(v, p);
    }
    return p;
  };
  return results.sort((a, b) => {
    if (a.score !== b.score) return a.score - b.score;
    if (a.name === b.name) {
      const x = semverOf(a.chart);
      const y = semverOf(b.chart);
      if (x === null || y === null) return 0;
      return compareSemver(y, x);
    }
    return compareGoStrings(a.name, b.name);
  });
}

function applyConstraint(results: SearchResult[], version: string, all: boolean): SearchResult[] {
  let constraint: Constraint;
  try {
    constraint = new Constraint(version);
  } catch {
    throw new SearchError(`an invalid version/constraint format: improper constraint: ${version}`);
  }
  const found = new Set<string>();
  const out: SearchResult[] = [];
  for (const r of results) {
    if (!all && found.has(r.name)) continue;
    let v: ReturnType<typeof parseSemver>;
    try {
      v = parseSemver(r.chart.version);
    } catch {
      continue;
    }
    if (constraint.check(v)) {
      out.push(r);
      found.add(r.name);
    }
  }
  return out;
}
