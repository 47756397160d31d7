/**
 * An exclusive lock on a file, shared with real Helm: Helm takes flock(2) on `repositories.lock`
 * (beside `repositories.yaml`) while it adds a repository. Node has no flock, so the lock is held
 * by a small `flock(1)` child (util-linux) that keeps it until we close its stdin — and loses it
 * by itself when this process dies, as a kernel lock does. Where `flock(1)` is missing (not
 * Linux), an exclusively created `<lock>.pid` file serialises our own processes instead.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The lock could not be taken in time. */
export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
}

const FLOCK_PATHS = ["/usr/bin/flock", "/bin/flock"];

function flockBinary(): string | undefined {
  return FLOCK_PATHS.find((p) => existsSync(p));
}

function touch(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  closeSync(openSync(path, "a", 0o600));
}

/** Run `fn` while holding an exclusive lock on `lockPath` (created 0600 if missing). */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T> | T,
  timeoutMs = 30_000,
): Promise<T> {
  touch(lockPath);
  const release = flockBinary()
    ? await flockHelper(flockBinary()!, lockPath, timeoutMs)
    : await pidLock(lockPath, timeoutMs);
  try {
    return await fn();
  } finally {
    release();
  }
}

function flockHelper(bin: string, lockPath: string, timeoutMs: number): Promise<() => void> {
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  // `flock` runs the shell once it holds the lock; the shell says so and waits for stdin to close.
  const child = spawn(bin, ["-x", "-w", seconds, lockPath, "sh", "-c", "echo locked; exec cat >/dev/null"], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("locked")) {
        resolve(() => {
          child.stdin.end();
          child.unref();
        });
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!out.includes("locked")) {
        reject(new LockTimeoutError(`timed out waiting for the lock on ${lockPath} (exit ${code})`));
      }
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pidLock(lockPath: string, timeoutMs: number): Promise<() => void> {
  const pidFile = `${lockPath}.pid`;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      writeFileSync(pidFile, String(process.pid), { flag: "wx", mode: 0o600 });
      return () => rmSync(pidFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number(readFileSync(pidFile, "utf8").trim());
      if (!Number.isInteger(holder) || holder <= 0 || !processAlive(holder)) {
        rmSync(pidFile, { force: true });
        continue;
      }
    }
    if (Date.now() > deadline) throw new LockTimeoutError(`timed out waiting for the lock on ${lockPath}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
