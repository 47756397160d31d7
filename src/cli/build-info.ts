/**
 * Build information shown by `helm version`. The build script injects the commit and tree
 * state with `--define`; run from source they read as unknown.
 */
declare const HELMTS_GIT_COMMIT: string | undefined;
declare const HELMTS_GIT_TREE_STATE: string | undefined;

/** Our own release version. */
export const HELMTS_VERSION = "0.1.0";
/** The Helm release whose behaviour this build matches. Shown first so scripts that check Helm's version work. */
export const HELM_COMPAT_VERSION = "v4.1.4";
/** The Kubernetes API minor this build is tested against. */
export const KUBE_CLIENT_VERSION = "v1.34";

/** Fields as in Helm's `version.BuildInfo`, plus our own version. */
export interface BuildInfo {
  Version: string;
  GitCommit: string;
  GitTreeState: string;
  GoVersion: string;
  KubeClientVersion: string;
  HelmTsVersion: string;
}

function runtimeVersion(): string {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return `bun${versions.bun}`;
  if (versions.deno) return `deno${versions.deno}`;
  return `node${process.versions.node}`;
}

/** The build information of this binary. */
export function buildInfo(): BuildInfo {
  return {
    // Build metadata (after `+`) keeps semver comparisons against Helm's version working.
    Version: `${HELM_COMPAT_VERSION}+helmts.${HELMTS_VERSION}`,
    GitCommit: typeof HELMTS_GIT_COMMIT === "string" ? HELMTS_GIT_COMMIT : "",
    GitTreeState: typeof HELMTS_GIT_TREE_STATE === "string" ? HELMTS_GIT_TREE_STATE : "",
    GoVersion: runtimeVersion(),
    KubeClientVersion: KUBE_CLIENT_VERSION,
    HelmTsVersion: HELMTS_VERSION,
  };
}

/** The helm-ts build as `.Capabilities.HelmVersion` reports it. */
export function helmBuild() {
  const info = buildInfo();
  return {
    version: info.Version,
    gitCommit: info.GitCommit,
    gitTreeState: info.GitTreeState,
    goVersion: info.GoVersion,
    kubeClientVersion: info.KubeClientVersion,
  };
}
