/**
 * Version ranges as Helm checks them (Masterminds/semver constraints): dependency entries against
 * subchart versions, and a chart's `kubeVersion` against the cluster's version.
 */
import type { Chart } from "./chart.ts";
import { Constraint, parseSemver } from "./engine/funcs/semver.ts";

/**
 * Masterminds reads a partial version in a constraint as a wildcard (`10` is `10.x.x`, `>1.2` is
 * `>1.2.x`); spell that out for the engine's Constraint, which compares partial versions as if
 * padded with zeros. Hyphen ranges are left alone.
 */
function padPartialVersions(constraint: string): string {
  if (/\s-\s/.test(constraint)) return constraint;
  return constraint.replace(
    /(^|[\s,|]|[<>=!~^]+\s*)v?(\d+)(\.(\d+|[xX*]))?(?![.\d\w-])/g,
    (_m, lead: string, major: string, minorPart: string | undefined) =>
      `${lead}${major}${minorPart ?? ".x"}.x`,
  );
}

/** Helm's IsCompatibleRange: does `version` satisfy `constraint`? False when either is malformed. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  try {
    return new Constraint(padPartialVersions(constraint)).check(parseSemver(version));
  } catch {
    return false;
  }
}

/**
 * Helm's kubeVersion check for the chart being installed (its subcharts are not checked): the
 * error Helm gives, or null when `kubeVersion` is empty or satisfied. Pre-release and build parts
 * of the cluster's version (`v1.30.0-gke.1`) are ignored, as Helm ignores them.
 */
export function kubeVersionError(chart: Chart, kubeVersion: string): string | null {
  const constraint = chart.metadata.kubeVersion;
  if (constraint === "") return null;
  const release = kubeVersion.replace(/^v/, "").replace(/[-+].*$/, "");
  if (isCompatibleRange(constraint, release)) return null;
  return `chart requires kubeVersion: ${constraint} which is incompatible with Kubernetes ${kubeVersion}`;
}
