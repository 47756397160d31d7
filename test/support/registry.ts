/**
 * A real OCI registry (Debian's docker-registry, the CNCF distribution registry; installed by
 * `test/support/prepare-servers.sh`) on a free 127.0.0.1 port with a temp storage directory: plain HTTP, or
 * TLS with throwaway certificates (`certs.ts`), with or without htpasswd auth (a bcrypt file made
 * here with bcryptjs).
 *
 *   const reg = await startRegistry({ auth: { user: "alice", password: "s3cret" }, tls: true });
 *   reg.host  // 127.0.0.1:PORT
 *   await reg.stop();
 *
 * The registry runs under a shell that kills it when our stdin pipe closes, so it never outlives
 * the test process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { freePorts, waitForPort } from "../cluster/harness.ts";
import { makeCertificates } from "./certs.ts";

export const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface RegistryOptions {
  tls?: boolean;
  auth?: { user: string; password: string };
}

export interface Registry {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Harness files (config, certificates, log, storage). */
  dir: string;
  /** The CA that signed the server certificate (TLS registries). */
  ca: string;
  log(): string;
  stop(): Promise<void>;
}

/** The registry executable, or a clear error telling how to get one. */
export function registryBinary(): string {
  if (!existsSync(REGISTRY_BINARY))
    throw new Error("docker-registry is not installed: run `bash test/support/prepare-servers.sh`");
  return REGISTRY_BINARY;
}

/** Start a registry. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<Registry> {
  const bin = registryBinary();
  const dir = mkdtempSync(join(tmpdir(), "helmts-registry-"));
  const port = (await freePorts(1))[0]!;
  const lines = [
    "version: 0.1",
    "log:",
    "  level: info",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${join(dir, "data")}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${Math.random().toString(36).slice(2)}`,
  ];
  if (opts.tls) {
    makeCertificates(dir);
    lines.push(
      "  tls:",
      `    certificate: ${join(dir, "server.crt")}`,
      `    key: ${join(dir, "server.key")}`,
    );
  }
  if (opts.auth) {
    const file = join(dir, "htpasswd");
    writeFileSync(file, `${opts.auth.user}:${bcrypt.hashSync(opts.auth.password, 5)}\n`);
    lines.push("auth:", "  htpasswd:", "    realm: helm-ts-test", `    path: ${file}`);
  }
  const config = join(dir, "config.yml");
  writeFileSync(config, `${lines.join("\n")}\n`);
  const logFile = join(dir, "registry.log");
  const child: ChildProcess = spawn(
    "sh",
    ["-c", `"$0" serve "$1" >"$2" 2>&1 & p=$!; read _; kill $p; wait $p`, bin, config, logFile],
    { stdio: ["pipe", "ignore", "ignore"] },
  );
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      gone = true;
      resolve();
    }),
  );
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  try {
    if (!(await waitForPort(port, Date.now() + 15_000, () => gone)))
      throw new Error(`the registry did not listen on ${port}`);
  } catch (err) {
    child.stdin?.end();
    await exited;
    throw new Error(`${(err as Error).message}: ${readLog()}`);
  }
  return {
    host: `127.0.0.1:${port}`,
    dir,
    ca: join(dir, "ca.crt"),
    log: readLog,
    stop: async () => {
      child.stdin?.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
