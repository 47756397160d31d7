/**
 * Version ranges as Helm checks them (Masterminds/semver constraints): dependency entries against
 * subchart versions, and a chart's `kubeVersion` against the cluster's version.
 */
import type { Chart } from "./chart.ts";
import { Constraint, parseSemver } from "./engine/funcs/semver.ts";

/** Helm's IsCompatibleRange: does `version` satisfy `constraint`? False when either is malformed. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  try {
    return new Constraint(constraint).check(parseSemver(version));
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
