/**
 * The release service a command talks to, built from the global settings: the embedded Tiller
 * (in-process), or a remote Tiller reached by `--host` or, given only `--tiller-namespace`, by a
 * port-forward to its pod. Loaded lazily, so commands that never reach a cluster do not pay for it.
 */
import { readFileSync } from "node:fs";
import type { ReleaseService } from "../tiller/service.ts";
import { buildInfo, helmBuild } from "./build-info.ts";
import { atCommandEnd } from "./command-end.ts";
import { UserError } from "./errors.ts";
import { logToStderr } from "./log.ts";
import { type EnvSettings, usesRemoteTiller } from "./settings.ts";
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

/**
 * The embedded release service, or a remote Tiller's when `--host` / TILLER_HOST is set, or when
 * `--tiller-namespace` / TILLER_NAMESPACE is (Helm 2's port-forward). A remote one is closed when
 * the command ends.
 */
export async function releaseService(s: EnvSettings): Promise<ReleaseService> {
  if (usesRemoteTiller(s)) {
    const remote = await remoteService(s);
    atCommandEnd(() => remote.close());
    return remote;
  }
  const { EmbeddedReleaseService } = await import("../tiller/embedded.ts");
  return new EmbeddedReleaseService({
    kube: kubeFlags(s),
    driver: s.driver,
    sqlConnectionString: s.sqlConnectionString,
    maxHistory: s.maxHistory,
    schemaCacheDir: s.schemaCache,
    helm: helmBuild(),
    log: (line) => logToStderr("INFO", line),
    valuesLog: logToStderr,
    waitProgress: waitProgress(),
  });
}

/**
 * The namespace a release command works in: the flag/HELM_NAMESPACE, else the kube context's
 * ("" lets the embedded service resolve it; a remote Tiller needs it spelled out).
 */
export async function releaseNamespace(s: EnvSettings): Promise<string> {
  if (s.namespaceExplicit) return s.namespace;
  if (!usesRemoteTiller(s)) return "";
  const { readSimpleKubeconfig } = await import("../tiller/kube/kubeconfig.ts");
  return readSimpleKubeconfig(s.kubeconfig || undefined, s.kubeContext || undefined)?.namespace ?? "default";
}

function readFile(path: string, what: string): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UserError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

/** The version a remote Tiller reports. */
export async function remoteServerVersion(s: EnvSettings) {
  const remote = await remoteService(s);
  try {
    return await remote.serverVersion();
  } finally {
    remote.close();
  }
}

/**
 * Where the remote Tiller listens: `--host`, or a loopback port forwarded to the Tiller pod in
 * `--tiller-namespace` (closed with the service; its failures explain an unreachable Tiller).
 */
async function tillerAddress(s: EnvSettings) {
  if (s.tillerHost) return { host: s.tillerHost };
  const { tunnelToTiller } = await import("../tiller/grpc/tunnel.ts");
  const forward = await tunnelToTiller(kubeFlags(s), s.tillerNamespace, s.tillerConnectionTimeout * 1000);
  return {
    // "localhost", not the IP: TLS checks the name (a certificate may name localhost, never an IP as SNI).
    host: `localhost:${forward.localPort}`,
    onClose: () => forward.close(),
    via: {
      name: `pod ${s.tillerNamespace}/${forward.pod} (port-forward)`,
      lastError: () => forward.lastError(),
    },
  };
}

/** A remote Tiller, authenticated with the caller's own Kubernetes token and/or a client certificate. */
async function remoteService(s: EnvSettings) {
  const { RemoteReleaseService } = await import("../tiller/grpc/client.ts");
  const { readSimpleKubeconfig } = await import("../tiller/kube/kubeconfig.ts");
  const kube = readSimpleKubeconfig(s.kubeconfig || undefined, s.kubeContext || undefined);
  const t = s.tillerTls;
  const address = await tillerAddress(s);
  return new RemoteReleaseService({
    ...address,
    token: s.kubeToken || kube?.user.token,
    tls: t.enable
      ? {
          ca: readFile(t.caCert, "HELM_TLS_CA_CERT"),
          cert: readFile(t.cert, "HELM_TLS_CERT"),
          key: readFile(t.key, "HELM_TLS_KEY"),
          serverName: t.hostname || undefined,
        }
      : undefined,
    version: buildInfo().Version,
    connectTimeoutMs: s.tillerConnectionTimeout * 1000,
  });
}
