/**
 * The client's effective settings: Helm's environment variables, overridden by global flags,
 * with Helm's XDG-based default locations. `helm env` prints exactly these.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { type ColorMode, envColorMode, parseColorMode } from "./color.ts";

/** Global flags as parsed from the command line (all optional). */
export interface GlobalFlags {
  kubeContext?: string;
  kubeconfig?: string;
  namespace?: string;
  debug?: boolean;
  registryConfig?: string;
  repositoryConfig?: string;
  repositoryCache?: string;
  burstLimit?: number;
  qps?: number;
  kubeApiserver?: string;
  kubeToken?: string;
  kubeAsUser?: string;
  kubeAsGroup?: string[];
  kubeCaFile?: string;
  kubeInsecureSkipTlsVerify?: boolean;
  kubeTlsServerName?: string;
  contentCache?: string;
  color?: string;
  colour?: string;
  host?: string;
  tillerNamespace?: string;
  tillerConnectionTimeout?: number;
}

/** Everything a command needs to know about where things are and how to reach the cluster. */
export interface EnvSettings {
  namespace: string;
  /** True when the namespace came from a flag or HELM_NAMESPACE rather than the kubeconfig default. */
  namespaceExplicit: boolean;
  kubeContext: string;
  kubeconfig: string;
  kubeApiserver: string;
  kubeToken: string;
  kubeAsUser: string;
  kubeAsGroups: string[];
  kubeCaFile: string;
  kubeInsecureSkipTlsVerify: boolean;
  kubeTlsServerName: string;
  debug: boolean;
  burstLimit: number;
  qps: number;
  maxHistory: number;
  registryConfig: string;
  repositoryConfig: string;
  repositoryCache: string;
  contentCache: string;
  pluginsDirectory: string;
  cacheHome: string;
  /** Compiled values.schema.json validators kept between runs (ours; see chart/values/schema-cache.ts). */
  schemaCache: string;
  configHome: string;
  dataHome: string;
  color: ColorMode;
  driver: string;
  /** HELM_DRIVER_SQL_CONNECTION_STRING: the `sql` driver's PostgreSQL database. */
  sqlConnectionString: string;
  /** A remote Tiller (`--host` / TILLER_HOST); empty = the embedded release service. */
  tillerHost: string;
  /** Tiller's namespace (`--tiller-namespace` / TILLER_NAMESPACE, default `kube-system`). */
  tillerNamespace: string;
  /**
   * True when the Tiller namespace was given: without `--host`, release commands then reach
   * Tiller by a port-forward to its pod instead of using the embedded service.
   */
  tillerNamespaceExplicit: boolean;
  /** Seconds to wait for a connection to Tiller (`--tiller-connection-timeout`, default 300). */
  tillerConnectionTimeout: number;
  /** TLS towards a remote Tiller (Helm 2's HELM_TLS_* variables). */
  tillerTls: {
    enable: boolean;
    caCert: string;
    cert: string;
    key: string;
    hostname: string;
    verify: boolean;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

function envBool(v: string | undefined): boolean {
  return v !== undefined && /^(1|t|true|y|yes|on)$/i.test(v);
}

function envNumber(v: string | undefined, fallback: number): number {
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** Helm's lookup order for a base directory: HELM_*_HOME, then XDG_*, then the OS default. */
function helmHome(env: Env, helmVar: string, xdgVar: string, fallback: string): string {
  const explicit = nonEmpty(env[helmVar]);
  if (explicit) return explicit;
  const xdg = nonEmpty(env[xdgVar]);
  return join(xdg ?? join(env.HOME ?? homedir(), fallback), "helm");
}

/** Resolve the effective settings from the environment and the parsed global flags. */
export function resolveSettings(flags: GlobalFlags, env: Env = process.env): EnvSettings {
  const cacheHome = helmHome(env, "HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache");
  const configHome = helmHome(env, "HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config");
  const dataHome = helmHome(env, "HELM_DATA_HOME", "XDG_DATA_HOME", join(".local", "share"));
  const namespace = flags.namespace ?? nonEmpty(env.HELM_NAMESPACE);
  const tillerNamespace = flags.tillerNamespace ?? nonEmpty(env.TILLER_NAMESPACE);
  const colorFlag = flags.color ?? flags.colour;
  // A bad --color is refused even when NO_COLOR would turn colour off anyway.
  const colorMode = colorFlag !== undefined ? parseColorMode(colorFlag) : envColorMode(env);
  const asGroups = flags.kubeAsGroup?.length
    ? flags.kubeAsGroup
    : (nonEmpty(env.HELM_KUBEASGROUPS)
        ?.split(",")
        .map((g) => g.trim())
        .filter(Boolean) ?? []);
  return {
    namespace: namespace ?? "default",
    namespaceExplicit: namespace !== undefined,
    kubeContext: flags.kubeContext ?? env.HELM_KUBECONTEXT ?? "",
    kubeconfig: flags.kubeconfig ?? env.KUBECONFIG ?? "",
    kubeApiserver: flags.kubeApiserver ?? env.HELM_KUBEAPISERVER ?? "",
    kubeToken: flags.kubeToken ?? env.HELM_KUBETOKEN ?? "",
    kubeAsUser: flags.kubeAsUser ?? env.HELM_KUBEASUSER ?? "",
    kubeAsGroups: asGroups,
    kubeCaFile: flags.kubeCaFile ?? env.HELM_KUBECAFILE ?? "",
    kubeInsecureSkipTlsVerify:
      flags.kubeInsecureSkipTlsVerify ?? envBool(env.HELM_KUBEINSECURE_SKIP_TLS_VERIFY),
    kubeTlsServerName: flags.kubeTlsServerName ?? env.HELM_KUBETLS_SERVER_NAME ?? "",
    debug: flags.debug ?? envBool(env.HELM_DEBUG),
    burstLimit: flags.burstLimit ?? envNumber(env.HELM_BURST_LIMIT, 100),
    qps: flags.qps ?? envNumber(env.HELM_QPS, 0),
    maxHistory: envNumber(env.HELM_MAX_HISTORY, 10),
    registryConfig:
      flags.registryConfig ??
      nonEmpty(env.HELM_REGISTRY_CONFIG) ??
      join(configHome, "registry", "config.json"),
    repositoryConfig:
      flags.repositoryConfig ?? nonEmpty(env.HELM_REPOSITORY_CONFIG) ?? join(configHome, "repositories.yaml"),
    repositoryCache:
      flags.repositoryCache ?? nonEmpty(env.HELM_REPOSITORY_CACHE) ?? join(cacheHome, "repository"),
    contentCache: flags.contentCache ?? nonEmpty(env.HELM_CONTENT_CACHE) ?? join(cacheHome, "content"),
    pluginsDirectory: nonEmpty(env.HELM_PLUGINS) ?? join(dataHome, "plugins"),
    cacheHome,
    schemaCache: join(cacheHome, "helm-ts", "schemas"),
    configHome,
    dataHome,
    color: nonEmpty(env.NO_COLOR) ? "never" : colorMode,
    driver: nonEmpty(env.HELM_DRIVER) ?? "secret",
    sqlConnectionString: env.HELM_DRIVER_SQL_CONNECTION_STRING ?? "",
    tillerHost: flags.host ?? nonEmpty(env.TILLER_HOST) ?? "",
    tillerNamespace: tillerNamespace ?? "kube-system",
    tillerNamespaceExplicit: tillerNamespace !== undefined,
    tillerConnectionTimeout: flags.tillerConnectionTimeout ?? 300,
    tillerTls: {
      enable: envBool(env.HELM_TLS_ENABLE) || envBool(env.HELM_TLS_VERIFY),
      caCert: env.HELM_TLS_CA_CERT ?? "",
      cert: env.HELM_TLS_CERT ?? "",
      key: env.HELM_TLS_KEY ?? "",
      hostname: env.HELM_TLS_HOSTNAME ?? "",
      verify: envBool(env.HELM_TLS_VERIFY),
    },
  };
}

/** Whether release commands talk to a remote Tiller (by address, or by namespace through a port-forward). */
export function usesRemoteTiller(s: EnvSettings): boolean {
  return s.tillerHost !== "" || s.tillerNamespaceExplicit;
}

/** The variables `helm env` prints, in Helm's order and format. */
export function envVars(s: EnvSettings, helmBin: string): [string, string][] {
  const vars: [string, string][] = [
    ["HELM_BIN", helmBin],
    ["HELM_BURST_LIMIT", String(s.burstLimit)],
    ["HELM_CACHE_HOME", s.cacheHome],
    ["HELM_CONFIG_HOME", s.configHome],
    ["HELM_CONTENT_CACHE", s.contentCache],
    ["HELM_DATA_HOME", s.dataHome],
    ["HELM_DEBUG", String(s.debug)],
    ["HELM_KUBEAPISERVER", s.kubeApiserver],
    ["HELM_KUBEASGROUPS", s.kubeAsGroups.join(",")],
    ["HELM_KUBEASUSER", s.kubeAsUser],
    ["HELM_KUBECAFILE", s.kubeCaFile],
    ["HELM_KUBECONTEXT", s.kubeContext],
    ["HELM_KUBEINSECURE_SKIP_TLS_VERIFY", String(s.kubeInsecureSkipTlsVerify)],
    ["HELM_KUBETLS_SERVER_NAME", s.kubeTlsServerName],
    ["HELM_KUBETOKEN", s.kubeToken],
    ["HELM_MAX_HISTORY", String(s.maxHistory)],
    ["HELM_NAMESPACE", s.namespace],
    ["HELM_PLUGINS", s.pluginsDirectory],
    ["HELM_QPS", s.qps.toFixed(2)],
    ["HELM_REGISTRY_CONFIG", s.registryConfig],
    ["HELM_REPOSITORY_CACHE", s.repositoryCache],
    ["HELM_REPOSITORY_CONFIG", s.repositoryConfig],
  ];
  return vars;
}
