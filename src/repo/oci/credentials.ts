/**
 * Registry credentials in Docker's config.json format, at `$HELM_REGISTRY_CONFIG` — the file
 * `helm registry login` writes and real Helm reads: `{"auths": {"HOST": {"auth": base64(user:pass)}}}`,
 * tab-indented with no final newline, mode 0600 in a 0700 directory. Other keys in the file
 * (credsStore, credHelpers, other hosts) are kept untouched.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { atomicWriteFile } from "../fs.ts";

export interface RegistryCredential {
  username: string;
  password: string;
}

type AuthEntry = { auth?: string; username?: string; password?: string; identitytoken?: string };
type ConfigFile = { auths?: Record<string, AuthEntry>; [key: string]: unknown };

function readConfig(path: string): ConfigFile {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`failed to decode config file at ${path}: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`failed to decode config file at ${path}: not a JSON object`);
  return parsed as ConfigFile;
}

/** Go's json.MarshalIndent with a tab, HTML characters escaped as Go does. */
function encodeConfig(config: ConfigFile): string {
  return JSON.stringify(config, null, "\t")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
}

function writeConfig(path: string, config: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  atomicWriteFile(path, encodeConfig(config), 0o600);
}

/** The keys a host may be stored under (Docker once stored URLs). */
function candidateKeys(host: string): string[] {
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

/** Credentials stored for `host` (`registry:port`), if any. */
export function readCredential(path: string, host: string): RegistryCredential | undefined {
  const auths = readConfig(path).auths ?? {};
  for (const key of candidateKeys(host)) {
    const entry = auths[key];
    if (!entry || typeof entry !== "object") continue;
    if (entry.identitytoken) return { username: "", password: entry.identitytoken };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) throw new Error(`invalid auth configuration file: bad auth entry for ${key} in ${path}`);
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username !== undefined || entry.password !== undefined)
      return { username: entry.username ?? "", password: entry.password ?? "" };
  }
  return undefined;
}

/** Store credentials for `host`, replacing any earlier ones. */
export function storeCredential(path: string, host: string, cred: RegistryCredential): void {
  const config = readConfig(path);
  const auths = { ...(config.auths ?? {}) };
  auths[host] = { auth: Buffer.from(`${cred.username}:${cred.password}`).toString("base64") };
  writeConfig(path, { ...config, auths });
}

/** Forget the credentials of `host` (not an error when there are none, as in Helm). */
export function removeCredential(path: string, host: string): void {
  const config = readConfig(path);
  const auths = { ...(config.auths ?? {}) };
  for (const key of candidateKeys(host)) delete auths[key];
  writeConfig(path, { ...config, auths });
}
