/**
 * How to reach the API server: kubeconfig (files, context, exec/token/cert auth as kubectl does)
 * plus Helm's `--kube-*` overrides. Token, certificate and basic-auth users are read by our own
 * fast reader; exec plugins, auth providers and in-cluster service accounts go through
 * @kubernetes/client-node, loaded only then (the library is large).
 */
import { readFileSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { readSimpleKubeconfig, type SimpleConfig } from "./kubeconfig.ts";

/** Connection settings a command passes in (Helm's global kube flags). */
export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  apiserver?: string;
  token?: string;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  asUser?: string;
  asGroups?: string[];
  /** Queries per second; 0 or less means no client-side limit. */
  qps?: number;
  burst?: number;
}

/** A resolved connection: server URL, default namespace and per-request TLS/auth options. */
export interface KubeConnection {
  server: string;
  contextName: string;
  /** Namespace of the kubeconfig context, or `default`. */
  defaultNamespace: string;
  /** TLS and auth options for one request (exec credentials are refreshed by the library). */
  requestOptions(): Promise<RequestOptions>;
  /** Extra headers for every request (impersonation, bearer token override). */
  headers: Record<string, string | string[]>;
  qps: number;
  burst: number;
}

/** Build a connection from the kubeconfig and flags; errors name the file or context at fault. */
export async function connect(flags: KubeFlags): Promise<KubeConnection> {
  const simple = readSimpleKubeconfig(flags.kubeconfig, flags.context);
  if (simple) return simpleConnection(simple, flags);
  return clientNodeConnection(flags);
}

/** The flags' overrides of server, CA, TLS name, token and impersonation, as headers and TLS options. */
function overrides(flags: KubeFlags): { headers: Record<string, string | string[]>; ca?: Buffer } {
  const headers: Record<string, string | string[]> = {};
  if (flags.token) headers.Authorization = `Bearer ${flags.token}`;
  if (flags.asUser) headers["Impersonate-User"] = flags.asUser;
  if (flags.asGroups?.length) headers["Impersonate-Group"] = flags.asGroups;
  return { headers, ca: flags.caFile ? readFileSync(flags.caFile) : undefined };
}

function noServer(): Error {
  return new Error(
    "Kubernetes cluster unreachable: no server configured (set KUBECONFIG, --kubeconfig or --kube-apiserver)",
  );
}

/** A connection from the fast kubeconfig reader (token, certificates, basic auth). */
function simpleConnection(cfg: SimpleConfig, flags: KubeFlags): KubeConnection {
  const server = flags.apiserver || cfg.cluster.server;
  if (!server) throw noServer();
  const { headers, ca } = overrides(flags);
  const u = cfg.user;
  if (!headers.Authorization) {
    if (u.token) headers.Authorization = `Bearer ${u.token}`;
    else if (u.username !== undefined)
      headers.Authorization = `Basic ${Buffer.from(`${u.username}:${u.password ?? ""}`).toString("base64")}`;
  }
  if (!headers["Impersonate-User"] && u.asUser) headers["Impersonate-User"] = u.asUser;
  if (!headers["Impersonate-Group"] && u.asGroups?.length) headers["Impersonate-Group"] = u.asGroups;
  const tls: RequestOptions = {
    ...((ca ?? cfg.cluster.ca) ? { ca: ca ?? cfg.cluster.ca } : {}),
    ...(u.cert ? { cert: u.cert } : {}),
    ...(u.key ? { key: u.key } : {}),
    ...(flags.insecureSkipTlsVerify || cfg.cluster.insecureSkipTlsVerify
      ? { rejectUnauthorized: false }
      : {}),
    ...((flags.tlsServerName ?? cfg.cluster.tlsServerName)
      ? { servername: flags.tlsServerName ?? cfg.cluster.tlsServerName }
      : {}),
  };
  return {
    server: server.replace(/\/+$/, ""),
    contextName: cfg.contextName,
    defaultNamespace: cfg.namespace,
    headers,
    qps: flags.qps ?? 0,
    burst: flags.burst ?? 100,
    requestOptions: async () => ({ ...tls }),
  };
}

/** A connection through @kubernetes/client-node: exec plugins, auth providers, in-cluster config. */
async function clientNodeConnection(flags: KubeFlags): Promise<KubeConnection> {
  const { KubeConfig } = await import("@kubernetes/client-node/dist/config.js");
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const where = flags.kubeconfig ?? process.env.KUBECONFIG ?? "~/.kube/config";
    throw new Error(`cannot load kubeconfig ${where}: ${(err as Error).message}`);
  }
  if (flags.context) {
    if (!kc.getContextObject(flags.context)) {
      throw new Error(`context "${flags.context}" does not exist in the kubeconfig`);
    }
    kc.setCurrentContext(flags.context);
  }
  const context = kc.getContextObject(kc.getCurrentContext());
  const cluster = kc.getCurrentCluster();
  const server = flags.apiserver || cluster?.server;
  if (!server) throw noServer();
  const { headers, ca } = overrides(flags);
  return {
    server: server.replace(/\/+$/, ""),
    contextName: kc.getCurrentContext(),
    defaultNamespace: context?.namespace || "default",
    headers,
    qps: flags.qps ?? 0,
    burst: flags.burst ?? 100,
    async requestOptions() {
      const opts: RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      // The library builds an agent of its own; we make plain requests with the same TLS material.
      delete opts.agent;
      if (ca) opts.ca = ca;
      if (flags.insecureSkipTlsVerify) opts.rejectUnauthorized = false;
      if (flags.tlsServerName) opts.servername = flags.tlsServerName;
      if (flags.token && opts.headers) delete (opts.headers as Record<string, unknown>).Authorization;
      return opts;
    },
  };
}
