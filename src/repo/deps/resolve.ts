/**
 * Helm's dependency resolver: each declared dependency's version range turned into the exact
 * version to lock — the newest version in the repository's cached index (or the registry's tags,
 * for `oci://`) that satisfies the range, the version of a `file://` chart, or the range itself
 * for a chart kept in `charts/`. Errors are Helm's.
 */
import { join } from "node:path";
import { type Dependency, emptyDependency } from "../../chart/chart.ts";
import { goQuote } from "../../chart/engine/fmt.ts";
import { Constraint, parseSemver, type Version } from "../../chart/engine/funcs/semver.ts";
import { loadDir } from "../../chart/loader.ts";
import { loadCachedIndex } from "../cache.ts";
import type { IndexWarn } from "../index-file.ts";
import { isOci } from "../oci/reference.ts";
import { localDependencyPath } from "./repo-names.ts";

export interface ResolveContext {
  chartPath: string;
  repoCache: string;
  warn: IndexWarn;
  /** The semver tags of `oci://…/NAME`, highest first. */
  ociVersions(repository: string, name: string): Promise<string[]>;
}

/** Masterminds' constraint parse with Helm's wrapping of the error. */
export function dependencyConstraint(d: Dependency): Constraint {
  try {
    return new Constraint(d.version);
  } catch (err) {
    throw new Error(
      `dependency ${goQuote(d.name)} has an invalid version/constraint format: ${(err as Error).message}`,
    );
  }
}

function parsed(version: string): Version | null {
  try {
    return parseSemver(version);
  } catch {
    return null;
  }
}

function locked(d: Dependency, version: string): Dependency {
  return { ...emptyDependency(), name: d.name, repository: d.repository, version };
}

/** Resolve `declared` (repository names from {@link resolveRepoNames}) into lock entries. */
export async function resolveVersions(
  declared: Dependency[],
  repoNames: Map<string, string>,
  ctx: ResolveContext,
): Promise<Dependency[]> {
  const out: Dependency[] = [];
  const missing: string[] = [];
  for (const d of declared) {
    const constraint = dependencyConstraint(d);
    const miss = () =>
      missing.push(`${goQuote(d.name)} (repository ${goQuote(d.repository)}, version ${goQuote(d.version)})`);
    if (d.repository === "") {
      localDependencyPath(join("charts", d.name), ctx.chartPath);
      out.push(locked(d, d.version));
      continue;
    }
    if (d.repository.startsWith("file://")) {
      const chart = loadDir(localDependencyPath(d.repository, ctx.chartPath));
      const v = parsed(chart.metadata.version);
      if (v === null || !constraint.check(v)) miss();
      else out.push(locked(d, chart.metadata.version));
      continue;
    }
    if (isOci(d.repository)) {
      let versions: string[];
      try {
        versions = await ctx.ociVersions(d.repository, d.name);
      } catch (err) {
        throw new Error(
          `could not retrieve list of tags for repository ${d.repository}: ${(err as Error).message}`,
        );
      }
      // A registry without a matching tag locks the range; the download then fails, as in Helm.
      const match = versions.find((t) => {
        const v = parsed(t);
        return v !== null && constraint.check(v);
      });
      out.push(locked(d, match ?? d.version));
      continue;
    }
    const repoName = repoNames.get(d.name) ?? "";
    let entries: ReturnType<typeof loadCachedIndex>["entries"];
    try {
      entries = loadCachedIndex(ctx.repoCache, repoName, ctx.warn).entries;
    } catch (err) {
      throw new Error(
        `no cached repository for ${repoName} found. (try 'helm repo update'): ${(err as Error).message}`,
      );
    }
    const versions = entries.get(d.name);
    if (versions === undefined) throw new Error(`${d.name} chart not found in repo ${d.repository}`);
    const match = versions.find((cv) => {
      const v = parsed(cv.version);
      return v !== null && cv.urls.length > 0 && constraint.check(v);
    });
    if (match) out.push(locked(d, match.version));
    else miss();
  }
  if (missing.length > 0) {
    throw new Error(
      `can't get a valid version for ${missing.length} subchart(s): ${missing.join(", ")}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml`,
    );
  }
  return out;
}
