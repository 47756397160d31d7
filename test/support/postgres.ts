/**
 * A real PostgreSQL (Debian's `postgresql` package; `test/support/prepare-servers.sh` installs it)
 * in a temp directory, on a free 127.0.0.1 port, for the SQL storage driver's tests. `initdb` and
 * `postgres` refuse to run as root, so when the tests run as root both run as the `postgres` system
 * user, in a directory that user owns. Local connections are trusted (no password); the unix socket
 * lives in the temp directory, never in /var/run. With `{ tls: true }` the server also speaks TLS,
 * with a certificate from a throwaway CA (`ca`).
 *
 *   const pg = await startPostgres();
 *   const url = await pg.createDatabase("t1");   // postgres://helm@127.0.0.1:PORT/t1?sslmode=disable
 *   pg.psql("t1", "SELECT count(*) FROM releases_v1");
 *   await pg.stop();
 *
 * The server runs in the foreground under a shell that stops it when our stdin pipe closes, so it
 * never outlives the test process.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, portAccepts } from "../cluster/harness.ts";
import { makeCertificates } from "./certs.ts";

export interface Postgres {
  port: number;
  /** The role every test database belongs to (trusted on 127.0.0.1, a superuser). */
  user: string;
  /** With `tls`: the CA (PEM file) that signed the server's certificate (for 127.0.0.1 and localhost). */
  ca?: string;
  /** A role that must log in with a password (scram-sha-256), for authentication tests. */
  guarded: { user: string; password: string };
  /** A new empty database; its `postgres://` connection string (sslmode=disable). */
  createDatabase(name: string): Promise<string>;
  /** Run SQL with `psql` in a database; returns its unaligned, tuples-only output. */
  psql(database: string, sql: string): string;
  /** `pg_dump --schema-only` of a database, without comments and pg_dump's random `\restrict` keys. */
  dumpSchema(database: string): string;
  stop(): Promise<void>;
}

const GUARDED = { user: "guarded", password: "s3cret" };

/** The directory of PostgreSQL's executables, or a clear error telling how to get them. */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => join(root, v, "bin")).find((d) => existsSync(join(d, "postgres")));
  if (!dir)
    throw new Error(
      "PostgreSQL is not installed: run `bash test/support/prepare-servers.sh` (installs Debian's postgresql)",
    );
  return dir;
}

/** Runs a command as the `postgres` user when we are root (initdb and postgres refuse root). */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
}

function serverUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Server options for TLS with the harness CA's certificate; the key must belong to the server's user. */
function serverTls(dir: string, ids: { uid: number; gid: number } | undefined): string[] {
  makeCertificates(dir);
  for (const f of ["server.crt", "server.key"]) {
    if (ids) chownSync(join(dir, f), ids.uid, ids.gid);
    chmodSync(join(dir, f), 0o600);
  }
  return [
    "-c",
    "ssl=on",
    "-c",
    `ssl_cert_file=${join(dir, "server.crt")}`,
    "-c",
    `ssl_key_file=${join(dir, "server.key")}`,
  ];
}

/** Start a fresh PostgreSQL cluster with a trusted superuser `helm`. */
export async function startPostgres(opts: { tls?: boolean } = {}): Promise<Postgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), "helmts-postgres-"));
  chmodSync(dir, 0o700);
  const ids = serverUserIds();
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, "data");
  const user = "helm";
  const [initCmd, initArgs] = asServerUser(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    user,
    "--auth=trust",
    "--encoding=UTF8",
    "--no-sync",
  ]);
  execFileSync(initCmd, initArgs, { stdio: ["ignore", "ignore", "pipe"] });
  writeFileSync(
    join(data, "pg_hba.conf"),
    // The password-protected role comes first: the first matching line decides.
    `host all ${GUARDED.user} 127.0.0.1/32 scram-sha-256\nlocal all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n`,
  );
  if (ids) chownSync(join(data, "pg_hba.conf"), ids.uid, ids.gid);
  const port = (await freePorts(1))[0]!;
  const [serverCmd, serverArgs] = asServerUser(join(bin, "postgres"), [
    "-D",
    data,
    "-p",
    String(port),
    "-h",
    "127.0.0.1",
    "-k",
    dir,
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
    ...(opts.tls ? serverTls(dir, ids) : []),
  ]);
  // The shell stops the server (fast shutdown) as soon as our end of its stdin closes. The signal
  // goes to the postmaster itself (its pid file's first line): runuser would not pass it on.
  const child: ChildProcess = spawn(
    "sh",
    [
      "-c",
      `"$@" & p=$!; read _; kill -INT "$(head -n 1 "${data}/postmaster.pid")" 2>/dev/null; wait $p`,
      "sh",
      serverCmd,
      ...serverArgs,
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    child.stdin?.end();
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  const psqlBin = join(bin, "psql");
  const psql = (database: string, sql: string) =>
    execFileSync(
      psqlBin,
      [
        "-X",
        "-q",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        user,
        "-d",
        database,
      ],
      { input: sql, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
    );
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`postgres exited: ${stderr}`);
    }
    if ((await portAccepts(port)) && tryPsql(() => psql("postgres", "SELECT 1"))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`postgres did not start on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  psql("postgres", `CREATE ROLE ${GUARDED.user} LOGIN SUPERUSER PASSWORD '${GUARDED.password}'`);
  return {
    port,
    user,
    ca: opts.tls ? join(dir, "ca.crt") : undefined,
    guarded: GUARDED,
    psql,
    dumpSchema: (database) =>
      execFileSync(
        join(bin, "pg_dump"),
        ["--schema-only", "-h", "127.0.0.1", "-p", String(port), "-U", user, database],
        { encoding: "utf8" },
      )
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("--") && !/^\\(un)?restrict /.test(l))
        .join("\n"),
    createDatabase: async (name) => {
      psql("postgres", `CREATE DATABASE "${name}"`);
      return `postgres://${user}@127.0.0.1:${port}/${name}?sslmode=disable`;
    },
    stop,
  };
}

function tryPsql(run: () => string): boolean {
  try {
    run();
    return true;
  } catch {
    return false;
  }
}
