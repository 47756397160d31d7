/**
 * A fast kubeconfig reader for the common cases (token, client certificate, basic auth), so
 * commands that talk to a cluster do not pay for loading @kubernetes/client-node (≈150 ms of
 * module start-up). Files listed in KUBECONFIG are merged as kubectl merges them: the first file
 * that defines a name wins, the first `current-context` wins, relative paths resolve against the
 * file that names them. Anything this reader does not handle (exec plugins, auth providers,
 * in-cluster service accounts) returns undefined, and the caller uses client-node.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { load as loadYaml } from "js-yaml";

export interface SimpleCluster {
  server: string;
  ca?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
}

export interface SimpleUser {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  username?: string;
  password?: string;
  asUser?: string;
  asGroups?: string[];
}

export interface SimpleConfig {
  contextName: string;
  namespace: string;
  cluster: SimpleCluster;
  user: SimpleUser;
}

type Named = { name?: string; [k: string]: unknown };
type Obj = Record<string, unknown>;

interface LoadedFile {
  dir: string;
  doc: Obj;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The kubeconfig files in use: the explicit one, else KUBECONFIG's list, else ~/.kube/config. */
function configFiles(explicit?: string): string[] {
  // A missing explicit file is left to client-node, which reports it in kubectl's words.
  if (explicit) return existsSync(explicit) ? [explicit] : [];
  const env = process.env.KUBECONFIG;
  if (env) return env.split(delimiter).filter((f) => f !== "" && existsSync(f));
  const home = join(process.env.HOME ?? homedir(), ".kube", "config");
  return existsSync(home) ? [home] : [];
}

function entry(
  files: LoadedFile[],
  list: string,
  name: string,
): { file: LoadedFile; value: Obj } | undefined {
  for (const file of files) {
    const items = file.doc[list];
    if (!Array.isArray(items)) continue;
    const hit = (items as Named[]).find((i) => i?.name === name);
    if (hit) {
      const key = list.slice(0, -1); // clusters → cluster
      const value = hit[key];
      return { file, value: value && typeof value === "object" ? (value as Obj) : {} };
    }
  }
  return undefined;
}

function bytes(file: LoadedFile, value: Obj, dataKey: string, fileKey: string): Buffer | undefined {
  const data = str(value[dataKey]);
  if (data) return Buffer.from(data, "base64");
  const path = str(value[fileKey]);
  if (!path) return undefined;
  return readFileSync(isAbsolute(path) ? path : join(file.dir, path));
}

/**
 * Read the kubeconfig; undefined when it needs client-node (no file, exec or auth-provider
 * users). Errors name the file or context at fault.
 */
export function readSimpleKubeconfig(
  explicit: string | undefined,
  contextFlag: string | undefined,
): SimpleConfig | undefined {
  const paths = configFiles(explicit);
  if (paths.length === 0) return undefined;
  const files: LoadedFile[] = paths.map((path) => {
    let doc: unknown;
    try {
      doc = loadYaml(readFileSync(path, "utf8"));
    } catch (err) {
      throw new Error(`cannot load kubeconfig ${path}: ${(err as Error).message.split("\n")[0]}`);
    }
    return { dir: dirname(path), doc: doc && typeof doc === "object" ? (doc as Obj) : {} };
  });
  const contextName = contextFlag || files.map((f) => str(f.doc["current-context"])).find((c) => c) || "";
  const context = contextName ? entry(files, "contexts", contextName) : undefined;
  if (contextFlag && !context) throw new Error(`context "${contextFlag}" does not exist in the kubeconfig`);
  if (!context) return undefined;
  const clusterEntry = entry(files, "clusters", str(context.value.cluster) ?? "");
  const userEntry = entry(files, "users", str(context.value.user) ?? "");
  const u = userEntry?.value ?? {};
  if (u.exec || u["auth-provider"]) return undefined;
  const c = clusterEntry?.value ?? {};
  const user: SimpleUser = {};
  if (userEntry) {
    const token =
      str(u.token) ?? (str(u.tokenFile) ? readFileSync(str(u.tokenFile)!, "utf8").trim() : undefined);
    Object.assign(user, {
      token,
      cert: bytes(userEntry.file, u, "client-certificate-data", "client-certificate"),
      key: bytes(userEntry.file, u, "client-key-data", "client-key"),
      username: str(u.username),
      password: str(u.password),
      asUser: str(u.as),
      asGroups: Array.isArray(u["as-groups"]) ? (u["as-groups"] as string[]) : undefined,
    });
  }
  return {
    contextName,
    namespace: str(context.value.namespace) ?? "default",
    cluster: {
      server: str(c.server) ?? "",
      ca: clusterEntry
        ? bytes(clusterEntry.file, c, "certificate-authority-data", "certificate-authority")
        : undefined,
      insecureSkipTlsVerify: c["insecure-skip-tls-verify"] === true,
      tlsServerName: str(c["tls-server-name"]),
    },
    user,
  };
}

/** The contexts the kubeconfig files define (first definition of a name wins), with their cluster names. */
export function kubeconfigContexts(explicit: string | undefined): { name: string; cluster: string }[] {
  const seen = new Map<string, string>();
  for (const path of configFiles(explicit)) {
    const doc = loadYaml(readFileSync(path, "utf8"));
    const items = doc && typeof doc === "object" ? (doc as Obj).contexts : undefined;
    if (!Array.isArray(items)) continue;
    for (const item of items as Named[]) {
      const name = str(item?.name);
      if (name === undefined || seen.has(name)) continue;
      const ctx = item.context && typeof item.context === "object" ? (item.context as Obj) : {};
      seen.set(name, str(ctx.cluster) ?? "");
    }
  }
  return [...seen].map(([name, cluster]) => ({ name, cluster }));
}
