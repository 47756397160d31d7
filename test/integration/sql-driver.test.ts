/**
 * HELM_DRIVER=sql end to end: build/helm installs, upgrades, rolls back and uninstalls on the real
 * API server with its history in a real PostgreSQL, and real Helm v4.1.4 shares that database —
 * each lists and reads the other's releases, byte for byte. Setup errors match real Helm's.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { helmTs, runExe } from "../support/binary.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";
import { type Postgres, startPostgres } from "../support/postgres.ts";

let c: SharedCluster;
let pg: Postgres;
let work: string;
let ns: string;
let other: string;
let db: string;
let env: Record<string, string>;
let chartDir: string;

const ours = (args: string[], e = env) => helmTs(args, e);
const helm = (args: string[], e = env) => runExe(oraclePaths().helm, args, e);

function writeChart(name: string): string {
  const dir = join(work, name);
  const files: Record<string, string> = {
    "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.0"\n`,
    "values.yaml": "a: 1\n",
    "templates/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  a: "{{ .Values.a }}"\n`,
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** Both tools give the same status, output and errors. */
function same(args: string[], e = env) {
  const o = ours(args, e);
  const h = helm(args, e);
  expect({ args, status: o.status, stdout: o.stdout, stderr: o.stderr }).toEqual({
    args,
    status: h.status,
    stdout: h.stdout,
    stderr: h.stderr,
  });
  return o;
}

function rows(sql: string): string {
  return pg.psql(db, sql);
}

beforeAll(async () => {
  [c, pg] = await Promise.all([sharedCluster(), startPostgres()]);
  work = mkdtempSync(join(tmpdir(), "helmts-sql-it-"));
  ns = await c.createNamespace("sql");
  other = await c.createNamespace("sql-other");
  db = "releases";
  const url = await pg.createDatabase(db);
  env = c.env(
    isolatedHelmEnv(join(work, "home"), { HELM_DRIVER: "sql", HELM_DRIVER_SQL_CONNECTION_STRING: url }),
  );
  chartDir = writeChart("demo");
}, CLUSTER_TIMEOUT_MS);

afterAll(async () => {
  await pg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  await c?.deleteNamespace(ns);
  await c?.deleteNamespace(other);
});

describe("our binary with HELM_DRIVER=sql", () => {
  test("install, upgrade, rollback, uninstall: history in PostgreSQL, not in Secrets; real Helm reads it", async () => {
    expect(ours(["install", "app", chartDir, "-n", ns, "--labels", "team=blue"]).status).toBe(0);
    expect(ours(["upgrade", "app", chartDir, "-n", ns, "--set", "a=2"]).status).toBe(0);
    expect(ours(["rollback", "app", "1", "-n", ns]).status).toBe(0);
    expect(
      rows(
        `SELECT key, version, status FROM releases_v1 WHERE namespace = '${ns}' AND name = 'app' ORDER BY version`,
      ),
    ).toBe(
      "sh.helm.release.v1.app.v1|1|superseded\nsh.helm.release.v1.app.v2|2|superseded\nsh.helm.release.v1.app.v3|3|deployed\n",
    );
    expect(rows(`SELECT key, value FROM custom_labels_v1 WHERE releasenamespace = '${ns}'`)).toContain(
      "team|blue",
    );
    const secrets = await c.kubectl(["get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name"]);
    expect(secrets.stdout).toBe("");
    const cm = await c.kubectl(["get", "configmap", "app-cm", "-n", ns, "-o", "jsonpath={.data.a}"]);
    expect(cm.stdout).toBe("1");

    same(["history", "app", "-n", ns]);
    same(["history", "app", "-n", ns, "-o", "json"]);
    same(["list", "-n", ns]);
    same(["list", "-n", ns, "-l", "team=blue"]);
    same(["get", "values", "app", "-n", ns, "--revision", "2"]);
    same(["get", "manifest", "app", "-n", ns]);
    same(["status", "app", "-n", ns, "--show-resources=false"]);

    expect(ours(["uninstall", "app", "-n", ns, "--keep-history"]).status).toBe(0);
    same(["list", "-n", ns, "--uninstalled"]);
    expect(ours(["uninstall", "app", "-n", ns]).status).toBe(0);
    expect(rows(`SELECT count(*) FROM releases_v1 WHERE namespace = '${ns}' AND name = 'app'`)).toBe("0\n");
    expect(rows(`SELECT count(*) FROM custom_labels_v1 WHERE releasenamespace = '${ns}'`)).toBe("0\n");
    same(["history", "app", "-n", ns]);
  });

  test("a release real Helm made: we list, upgrade and roll it back; real Helm sees our revisions", async () => {
    expect(helm(["install", "theirs", chartDir, "-n", other, "--set", "a=7"]).status).toBe(0);
    same(["list", "-n", other]);
    same(["get", "values", "theirs", "-n", other]);
    expect(ours(["upgrade", "theirs", chartDir, "-n", other, "--reuse-values", "--set", "b=1"]).status).toBe(
      0,
    );
    expect(helm(["upgrade", "theirs", chartDir, "-n", other, "--reuse-values"]).status).toBe(0);
    expect(ours(["rollback", "theirs", "2", "-n", other]).status).toBe(0);
    same(["history", "theirs", "-n", other]);
    same(["get", "values", "theirs", "-n", other, "--all"]);
    same(["list", "-A"]);
    same(["list", "-A", "--all", "-o", "yaml"]);
  });
});

describe("setup errors", () => {
  test.each([
    ["not a connection string", "nonsense"],
    ["nothing listening", "postgres://helm@127.0.0.1:1/x?sslmode=disable"],
    ["SSL required by default", () => `postgres://helm@127.0.0.1:${pg.port}/releases`],
    ["unknown role", () => `postgres://nobody@127.0.0.1:${pg.port}/releases?sslmode=disable`],
    ["wrong password", () => `postgres://guarded:bad@127.0.0.1:${pg.port}/releases?sslmode=disable`],
    ["no password", () => `postgres://guarded@127.0.0.1:${pg.port}/releases?sslmode=disable`],
    ["bad connect_timeout", "host=127.0.0.1 port=1 sslmode=disable connect_timeout=soon"],
    ["unknown sslmode", () => `host=127.0.0.1 port=${pg.port} sslmode=prefer`],
    ["unknown sslmode, nothing listening: the dial error wins", "host=127.0.0.1 port=1 sslmode=prefer"],
  ])("%s: the same line and exit code as real Helm", (_what, conn) => {
    const url = typeof conn === "function" ? conn() : conn;
    const started = performance.now();
    const o = same(["list", "-n", ns], { ...env, HELM_DRIVER_SQL_CONNECTION_STRING: url });
    // No connection is left open for the server to time out (it waits 60 s for a password).
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(o.status).toBe(1);
    expect(o.stderr).toStartWith('level=INFO msg="unable to instantiate SQL driver: ');
  });

  test("a corrupt row: one clear error naming the driver and the row, exit 1", () => {
    rows(
      `INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdat)
       VALUES ('sh.helm.release.v1.broken.v1', 'helm.sh/release.v1', 'H4sIAAAA', 'broken', '${ns}', 1, 'deployed', 'helm', 1)`,
    );
    const r = ours(["history", "broken", "-n", ns]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^Error: release record ${ns}/sh\\.helm\\.release\\.v1\\.broken\\.v1 \\(SQL driver\\): cannot decompress body: [^\\n]+\\n$`,
      ),
    );
    expect(ours(["list", "-n", ns]).status).toBe(1);
    rows(`DELETE FROM releases_v1 WHERE name = 'broken'`);
  });
});
