/**
 * `helm registry login` / `logout`: check the credentials against the registry's API root (the
 * 401 challenge flow), then store them in the registry config file — or remove them.
 */
import { RegistryClient, type RegistryOptions } from "./client.ts";
import { removeCredential, storeCredential } from "./credentials.ts";
import { validateRegistry } from "./reference.ts";

export interface LoginRequest extends Omit<RegistryOptions, "username" | "password" | "staticCredential"> {
  host: string;
  username: string;
  password: string;
  /** Helm's warnings (a host with a path). */
  warn: (message: string, attrs: [string, string][]) => void;
}

/** Log in: fails with `authenticating to "HOST": …` when the registry refuses. */
export async function login(req: LoginRequest): Promise<void> {
  if (req.host.includes("/"))
    req.warn("registry login currently only supports registry hostname, not a repository path", [
      ["host", req.host],
      ["suggested", req.host.split("/")[0]!],
    ]);
  validateRegistry(req.host);
  const client = new RegistryClient(req.host, {
    ...req,
    staticCredential: { username: req.username, password: req.password },
  });
  try {
    await client.ping();
  } catch (err) {
    throw new Error(`authenticating to "${req.host}": ${(err as Error).message}`);
  }
  storeCredential(req.registryConfig, req.host, { username: req.username, password: req.password });
}

/** Log out: forget the host's credentials (not an error when there were none). */
export function logout(registryConfig: string, host: string): void {
  removeCredential(registryConfig, host);
}
