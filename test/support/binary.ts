/** Run the compiled build/helm (built by `npm run build`, which `npm test` runs first). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");
export const HELM_TS = join(ROOT, "build", "helm");

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Run an executable with args and an environment; never throws on a non-zero exit. */
export function runExe(exe: string, args: string[], env: Record<string, string>, input?: string): RunResult {
  const r = spawnSync(exe, args, { env, encoding: "utf8", input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

/** Run our compiled binary. */
export function helmTs(args: string[], env: Record<string, string>, input?: string): RunResult {
  if (!existsSync(HELM_TS)) throw new Error(`${HELM_TS} is missing: run 'npm run build' first`);
  return runExe(HELM_TS, args, env, input);
}
