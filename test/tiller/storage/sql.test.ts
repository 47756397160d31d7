/**
 * The SQL driver against a real PostgreSQL: the driver contract, Helm's schema and migrations
 * (compared with the schema real Helm creates), namespaces, user labels, transactions, hostile rows,
 * TLS and connection errors.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DriverInitError, ReleaseNotFoundError, releaseKey } from "../../../src/tiller/storage/driver.ts";
import { SqlDatabase, SqlDriver } from "../../../src/tiller/storage/sql.ts";
import {
  clientConfig,
  connectionSettings,
  parseKeyValueDsn,
} from "../../../src/tiller/storage/sql-connection.ts";
import { MIGRATIONS } from "../../../src/tiller/storage/sql-schema.ts";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";
import { type Postgres, startPostgres } from "../../support/postgres.ts";
import { driverContract, sampleRelease } from "./contract.ts";

let pg: Postgres;
let home: string;
const opened: SqlDatabase[] = [];
let databases = 0;

beforeAll(async () => {
  pg = await startPostgres({ tls: true });
  home = mkdtempSync(join(tmpdir(), "helmts-sql-"));
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  await pg?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** A fresh database: its name and connection string. */
async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `db${++databases}`;
  return { name, url: await pg.createDatabase(name) };
}

async function open(url: string): Promise<SqlDatabase> {
  const db = await SqlDatabase.open(url);
  opened.push(db);
  return db;
}

/** Real Helm with the sql driver on a database; `helm version` sets the driver up and exits 0. */
function realHelm(url: string, args: string[]) {
  const r = spawnSync(oraclePaths().helm, args, {
    env: isolatedHelmEnv(home, { HELM_DRIVER: "sql", HELM_DRIVER_SQL_CONNECTION_STRING: url }),
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function migrationRows(db: string): string {
  return pg.psql(db, "SELECT id, applied_at FROM gorp_migrations ORDER BY applied_at");
}

let contractDb: Promise<SqlDatabase> | undefined;
driverContract("sql", async (slot) => {
  contractDb ??= freshDatabase().then((d) => open(d.url));
  return { driver: new SqlDriver(await contractDb, `ns-${slot}`), namespace: `ns-${slot}` };
});

describe("schema and migrations", () => {
  test("a fresh database gets exactly the schema real Helm creates", async () => {
    const ours = await freshDatabase();
    const helms = await freshDatabase();
    await open(ours.url);
    const r = realHelm(helms.url, ["version", "--short"]);
    expect(r.stderr).toBe("");
    expect(pg.dumpSchema(ours.name)).toBe(pg.dumpSchema(helms.name));
    expect(pg.dumpSchema(ours.name)).toContain("CREATE TABLE public.releases_v1");
    // Same migration ids, applied in the same order (sql-migrate sorts them by id).
    const ids = (db: string) => pg.psql(db, "SELECT id FROM gorp_migrations ORDER BY applied_at");
    expect(ids(ours.name)).toBe("custom_labels\ninit\n");
    expect(ids(ours.name)).toBe(ids(helms.name));
  });

  test("real Helm takes our migrations as done, and we take Helm's as done", async () => {
    const ours = await freshDatabase();
    await open(ours.url);
    const before = migrationRows(ours.name);
    expect(realHelm(ours.url, ["version", "--short"]).code).toBe(0);
    expect(migrationRows(ours.name)).toBe(before);

    const helms = await freshDatabase();
    expect(realHelm(helms.url, ["version", "--short"]).code).toBe(0);
    const helmRows = migrationRows(helms.name);
    const db = await open(helms.url);
    expect(migrationRows(helms.name)).toBe(helmRows);
    const d = new SqlDriver(db, "default");
    await d.create(releaseKey("x", 1), sampleRelease("x", 1, "deployed"));
    expect((await d.get(releaseKey("x", 1))).name).toBe("x");
  });

  test("a database from Helm before 3.14 (only `init`) gets the labels table added", async () => {
    const old = await freshDatabase();
    pg.psql(
      old.name,
      `CREATE TABLE gorp_migrations (id text NOT NULL PRIMARY KEY, applied_at timestamp with time zone);
       ${MIGRATIONS.find((m) => m.id === "init")!.up}
       INSERT INTO gorp_migrations VALUES ('init', now());`,
    );
    await open(old.url);
    expect(pg.psql(old.name, "SELECT id FROM gorp_migrations ORDER BY applied_at")).toBe(
      "init\ncustom_labels\n",
    );
    expect(pg.psql(old.name, "SELECT count(*) FROM custom_labels_v1")).toBe("0\n");
  });

  test("several of our processes starting on a new database at once: one migrates, all work", async () => {
    const d = await freshDatabase();
    const dbs = await Promise.all(Array.from({ length: 6 }, () => open(d.url)));
    expect(pg.psql(d.name, "SELECT id FROM gorp_migrations ORDER BY applied_at")).toBe(
      "custom_labels\ninit\n",
    );
    expect(await new SqlDriver(dbs[5]!, "default").list(() => true)).toEqual([]);
  });

  test("a migration the database has and we do not know stops the setup", async () => {
    const odd = await freshDatabase();
    pg.psql(
      odd.name,
      `CREATE TABLE gorp_migrations (id text NOT NULL PRIMARY KEY, applied_at timestamp with time zone);
       INSERT INTO gorp_migrations VALUES ('from-the-future', now());`,
    );
    const err = await SqlDatabase.open(odd.url).catch((e) => e);
    expect(err).toBeInstanceOf(DriverInitError);
    expect(err.message).toBe(
      "unable to instantiate SQL driver: Unable to create migration plan because of from-the-future: unknown migration in database",
    );
    expect(pg.psql(odd.name, "SELECT to_regclass('releases_v1') IS NULL")).toBe("t\n");
  });
});

describe("records", () => {
  let db: SqlDatabase;
  let name: string;
  beforeAll(async () => {
    const d = await freshDatabase();
    name = d.name;
    db = await open(d.url);
  });

  test("rows carry Helm's columns; the body is the secret driver's encoding", async () => {
    const d = new SqlDriver(db, "cols");
    const rls = sampleRelease("cols", 3, "deployed", "cols");
    await d.create(releaseKey("cols", 3), rls);
    const row = pg.psql(
      name,
      "SELECT key, type, name, namespace, version, status, owner, createdat > 0, modifiedat FROM releases_v1 WHERE namespace = 'cols'",
    );
    expect(row).toBe("sh.helm.release.v1.cols.v3|helm.sh/release.v1|cols|cols|3|deployed|helm|t|0\n");
    await d.update(releaseKey("cols", 3), { ...rls, info: { ...rls.info, status: "superseded" } });
    expect(pg.psql(name, "SELECT status, modifiedat > 0 FROM releases_v1 WHERE namespace = 'cols'")).toBe(
      "superseded|t\n",
    );
  });

  test("user labels live in custom_labels_v1 and go with the record", async () => {
    const d = new SqlDriver(db, "lab");
    await d.create(releaseKey("lab", 1), {
      ...sampleRelease("lab", 1, "deployed", "lab"),
      labels: { team: "blue" },
    });
    expect(pg.psql(name, "SELECT releasekey, releasenamespace, key, value FROM custom_labels_v1")).toBe(
      "sh.helm.release.v1.lab.v1|lab|team|blue\n",
    );
    expect((await d.get(releaseKey("lab", 1))).labels).toEqual({ team: "blue" });
    expect((await d.list(() => true))[0]?.labels).toEqual({ team: "blue" });
    expect((await d.delete(releaseKey("lab", 1))).labels).toEqual({ team: "blue" });
    expect(pg.psql(name, "SELECT count(*) FROM custom_labels_v1 WHERE releasenamespace = 'lab'")).toBe("0\n");
  });

  test("a failed label insert leaves no release row (one transaction)", async () => {
    const d = new SqlDriver(db, "tx");
    const rls = { ...sampleRelease("tx", 1, "deployed", "tx"), labels: { big: "v".repeat(64) } };
    await expect(d.create(releaseKey("tx", 1), rls)).rejects.toThrow(
      "SQL driver: pq: value too long for type character varying(63)",
    );
    expect(pg.psql(name, "SELECT count(*) FROM releases_v1 WHERE namespace = 'tx'")).toBe("0\n");
  });

  test("namespaces: scoped drivers see their own; the all-namespaces driver sees all", async () => {
    const a = new SqlDriver(db, "ns1");
    const b = new SqlDriver(db, "ns2");
    await a.create(releaseKey("same", 1), sampleRelease("same", 1, "superseded", "ns1"));
    await a.create(releaseKey("same", 2), sampleRelease("same", 2, "deployed", "ns1"));
    await b.create(releaseKey("same", 1), sampleRelease("same", 1, "deployed", "ns2"));
    await expect(b.get(releaseKey("same", 2))).rejects.toBeInstanceOf(ReleaseNotFoundError);
    expect((await a.query({ name: "same", owner: "helm" })).map((r) => r.version).sort()).toEqual([1, 2]);
    expect((await b.query({ name: "same", owner: "helm" })).map((r) => r.version)).toEqual([1]);
    const all = new SqlDriver(db, "");
    const latest = (await all.latest()).filter((r) => r.name === "same");
    expect(latest.map((r) => `${r.namespace}:${r.version}`).sort()).toEqual(["ns1:2", "ns2:1"]);
    expect((await all.list((r) => r.name === "same")).length).toBe(3);
  });

  test("only Helm's system labels can be queried", async () => {
    const d = new SqlDriver(db, "ns1");
    await expect(d.query({ team: "blue" })).rejects.toThrow("unknown label team");
  });

  test("hostile rows: bad base64, bad gzip, bad JSON give one clear error and change nothing", async () => {
    const d = new SqlDriver(db, "bad");
    const bodies = {
      base64: "!!!% not base64 %!!!",
      gzip: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from("truncated")]).toString("base64"),
      json: gzipSync(Buffer.from("{not json")).toString("base64"),
    };
    for (const [kind, body] of Object.entries(bodies)) {
      pg.psql(
        name,
        `INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdat)
         VALUES ('sh.helm.release.v1.${kind}.v1', 'helm.sh/release.v1', '${body}', '${kind}', 'bad', 1, 'deployed', 'helm', 1)`,
      );
      const key = releaseKey(kind, 1);
      const err = await d.get(key).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toStartWith(`release record bad/${key} (SQL driver): `);
      expect((err as Error).message).not.toContain("\n");
      await expect(d.delete(key)).rejects.toThrow("(SQL driver)");
      expect(pg.psql(name, `SELECT count(*) FROM releases_v1 WHERE key = '${key}'`)).toBe("1\n");
    }
    await expect(d.list(() => true)).rejects.toThrow(/release record bad\/.* \(SQL driver\): /);
    await expect(d.get(releaseKey("gzip", 1))).rejects.toThrow("cannot decompress body");
    await expect(d.get(releaseKey("json", 1))).rejects.toThrow("body is not valid JSON");
  });
});

describe("connection", () => {
  test("one shared pool per connection string; a failed setup is retried on the next call", async () => {
    const d = await freshDatabase();
    const first = SqlDatabase.shared(d.url);
    expect(SqlDatabase.shared(d.url)).toBe(first);
    opened.push(await first);
    const bad = "postgres://helm@127.0.0.1:1/x?sslmode=disable";
    const failed = SqlDatabase.shared(bad);
    await expect(failed).rejects.toBeInstanceOf(DriverInitError);
    const again = SqlDatabase.shared(bad);
    expect(again).not.toBe(failed);
    await expect(again).rejects.toBeInstanceOf(DriverInitError);
  });

  test("key=value strings: quoting, escapes and lib/pq's errors", () => {
    expect([...parseKeyValueDsn("host=h port = 5433 password='a b\\'c' dbname=x\\ y empty=")]).toEqual([
      ["host", "h"],
      ["port", "5433"],
      ["password", "a b'c"],
      ["dbname", "x y"],
      ["empty", ""],
    ]);
    expect(() => parseKeyValueDsn("nonsense")).toThrow(
      'missing "=" after "nonsense" in connection info string"',
    );
    expect(() => parseKeyValueDsn("password='open")).toThrow(
      "unterminated quoted string literal in connection string",
    );
    expect(() => parseKeyValueDsn("host=a\\")).toThrow("missing character after backslash");
  });

  test("URLs, defaults and PG* variables", () => {
    const s = connectionSettings("postgres://u:p%40ss@db.example:6000/releases?sslmode=verify-full", {
      PGHOST: "ignored",
      PGAPPNAME: "helm-ts",
    });
    expect(Object.fromEntries(s)).toEqual({
      host: "db.example",
      port: "6000",
      user: "u",
      password: "p@ss",
      dbname: "releases",
      sslmode: "verify-full",
      application_name: "helm-ts",
    });
    const defaults = connectionSettings("dbname=x", { PGUSER: "envuser" });
    expect(defaults.get("host")).toBe("localhost");
    expect(defaults.get("port")).toBe("5432");
    expect(defaults.get("user")).toBe("envuser");
    expect(() => connectionSettings("mysql://x")).toThrow('missing "=" after "mysql://x"');
    expect(clientConfig(connectionSettings("sslmode=disable statement_timeout=5s")).options).toBe(
      "-c statement_timeout=5s",
    );
    expect(() => clientConfig(connectionSettings("sslmode=allow"))).toThrow(
      'pq: unsupported sslmode "allow"',
    );
    expect(clientConfig(connectionSettings("sslmode=disable")).ssl).toBe(false);
    expect(() => clientConfig(connectionSettings("connect_timeout=1s"))).toThrow(
      'invalid value for parameter connect_timeout: strconv.ParseInt: parsing "1s": invalid syntax',
    );
  });

  test("unreachable server, wrong password, missing database: one line naming the driver", async () => {
    const base = `127.0.0.1:${pg.port}`;
    const cases: [string, string][] = [
      ["postgres://helm@127.0.0.1:1/x?sslmode=disable", "dial tcp 127.0.0.1:1: connect: connection refused"],
      [
        `postgres://${pg.guarded.user}:wrong@${base}/postgres?sslmode=disable`,
        `pq: password authentication failed for user "${pg.guarded.user}"`,
      ],
      [
        `postgres://${pg.guarded.user}@${base}/postgres?sslmode=disable`,
        `pq: password authentication failed for user "${pg.guarded.user}"`,
      ],
      [`postgres://helm@${base}/absent?sslmode=disable`, 'pq: database "absent" does not exist'],
    ];
    for (const [url, why] of cases) {
      const err = await SqlDatabase.open(url).catch((e) => e);
      expect(err).toBeInstanceOf(DriverInitError);
      expect(err.message).toBe(`unable to instantiate SQL driver: ${why}`);
    }
    const d = await freshDatabase();
    const ok = await open(
      `host=127.0.0.1 port=${pg.port} user=${pg.guarded.user} password='${pg.guarded.password}' dbname=${d.name} sslmode=disable`,
    );
    expect(await new SqlDriver(ok, "default").list(() => true)).toEqual([]);
  });
});

describe("TLS", () => {
  const encrypted = async (db: SqlDatabase) =>
    (await db.query<{ ssl: boolean }>("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows[0]
      ?.ssl;

  test("sslmode require (the default), verify-ca and verify-full with the CA: encrypted sessions", async () => {
    const d = await freshDatabase();
    const plain = d.url.replace("?sslmode=disable", "");
    expect(await encrypted(await open(plain))).toBe(true);
    for (const mode of ["verify-ca", "verify-full"]) {
      expect(await encrypted(await open(`${plain}?sslmode=${mode}&sslrootcert=${pg.ca}`))).toBe(true);
    }
    const byName = `host=localhost port=${pg.port} user=helm dbname=${d.name} sslmode=verify-full sslrootcert='${pg.ca}'`;
    expect(await encrypted(await open(byName))).toBe(true);
  });

  test("an unknown authority or a missing CA file fails with real Helm's line", async () => {
    const d = await freshDatabase();
    const plain = d.url.replace("?sslmode=disable", "");
    for (const query of [
      "?sslmode=verify-full",
      "?sslmode=verify-ca",
      "?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt",
    ]) {
      const err = await SqlDatabase.open(plain + query).catch((e) => e);
      expect(err).toBeInstanceOf(DriverInitError);
      expect(realHelm(plain + query, ["version", "--short"]).stderr).toBe(
        `level=INFO msg=${JSON.stringify(err.message)}\n`,
      );
    }
  });
});
