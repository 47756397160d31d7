/**
 * The release service a command talks to, built from the global settings: the embedded Tiller
 * (in-process). Loaded lazily, so commands that never reach a cluster do not pay for it.
 */
import type { ReleaseService } from "../tiller/service.ts";
import { buildInfo } from "./build-info.ts";
import { logToStderr } from "./log.ts";
import type { EnvSettings } from "./settings.ts";
import { waitProgress } from "./wait-progress.ts";

/** The Kubernetes connection flags from the settings. */
export function kubeFlags(s: EnvSettings) {
  return {
    kubeconfig: s.kubeconfig || undefined,
    context: s.kubeContext || undefined,
    apiserver: s.kubeApiserver || undefined,
    token: s.kubeToken || undefined,
    caFile: s.kubeCaFile || undefined,
    insecureSkipTlsVerify: s.kubeInsecureSkipTlsVerify,
    tlsServerName: s.kubeTlsServerName || undefined,
    asUser: s.kubeAsUser || undefined,
    asGroups: s.kubeAsGroups,
    qps: s.qps,
    burst: s.burstLimit,
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

export async function releaseService(s: EnvSettings): Promise<ReleaseService> {
  const { EmbeddedReleaseService } = await import("../tiller/embedded.ts");
  return new EmbeddedReleaseService({
    kube: kubeFlags(s),
    driver: s.driver,
    maxHistory: s.maxHistory,
    helm: helmBuild(),
    log: (line) => logToStderr("INFO", line),
    valuesLog: logToStderr,
    waitProgress: waitProgress(),
  });
}

/** The namespace a release command works in: the flag/HELM_NAMESPACE, else "" (the kube context's). */
export function releaseNamespace(s: EnvSettings): string {
  return s.namespaceExplicit ? s.namespace : "";
}
