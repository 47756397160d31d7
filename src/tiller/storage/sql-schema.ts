/**
 * The SQL driver's schema, exactly as Helm's creates it, so real Helm and this tool share one
 * database: `releases_v1` (one row per revision), `custom_labels_v1` (user labels, Helm 3.14+)
 * and the `gorp_migrations` bookkeeping table of Helm's migration library (sql-migrate), holding
 * the ids `init` and `custom_labels`. Unquoted identifiers: PostgreSQL folds `createdAt` to
 * `createdat`, as it does for Helm's statements.
 */
import type { PoolClient } from "pg";

export const RELEASES_TABLE = "releases_v1";
export const LABELS_TABLE = "custom_labels_v1";
const MIGRATIONS_TABLE = "gorp_migrations";

interface Migration {
  id: string;
  up: string;
}

/** Helm's migrations, in the order sql-migrate applies them (non-numeric ids sort as strings). */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: "custom_labels",
    up: `
      CREATE TABLE ${LABELS_TABLE} (
        releaseKey VARCHAR(64),
        releaseNamespace VARCHAR(67),
        key VARCHAR(317),
        value VARCHAR(63)
      );
      CREATE INDEX ON ${LABELS_TABLE} (releaseKey, releaseNamespace);
      GRANT ALL ON ${LABELS_TABLE} TO PUBLIC;
      ALTER TABLE ${LABELS_TABLE} ENABLE ROW LEVEL SECURITY;`,
  },
  {
    id: "init",
    up: `
      CREATE TABLE ${RELEASES_TABLE} (
        key VARCHAR(90),
        type VARCHAR(64) NOT NULL,
        body TEXT NOT NULL,
        name VARCHAR(64) NOT NULL,
        namespace VARCHAR(64) NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        owner TEXT NOT NULL,
        createdAt INTEGER NOT NULL,
        modifiedAt INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (key, namespace)
      );
      CREATE INDEX ON ${RELEASES_TABLE} (key, namespace);
      CREATE INDEX ON ${RELEASES_TABLE} (version);
      CREATE INDEX ON ${RELEASES_TABLE} (status);
      CREATE INDEX ON ${RELEASES_TABLE} (owner);
      CREATE INDEX ON ${RELEASES_TABLE} (createdAt);
      CREATE INDEX ON ${RELEASES_TABLE} (modifiedAt);
      GRANT ALL ON ${RELEASES_TABLE} TO PUBLIC;
      ALTER TABLE ${RELEASES_TABLE} ENABLE ROW LEVEL SECURITY;`,
  },
];

async function appliedIds(client: PoolClient): Promise<string[] | undefined> {
  try {
    const res = await client.query<{ id: string }>(`SELECT id FROM ${MIGRATIONS_TABLE}`);
    return res.rows.map((r) => r.id);
  } catch {
    return undefined; // no bookkeeping table yet
  }
}

/** Session lock held while migrating, so two of our processes starting on a new database do not race. */
const MIGRATION_LOCK = 0x68656c6d; // "helm"

/**
 * Apply the migrations the database lacks, each in its own transaction with its bookkeeping row,
 * as sql-migrate does; a database with every id recorded is left untouched.
 */
export async function migrate(client: PoolClient): Promise<void> {
  const done = await appliedIds(client);
  if (done && MIGRATIONS.every((m) => done.includes(m.id))) return;
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id TEXT NOT NULL PRIMARY KEY, applied_at TIMESTAMP WITH TIME ZONE)`,
    );
    const applied = (await appliedIds(client)) ?? [];
    const unknown = applied.find((id) => !MIGRATIONS.some((m) => m.id === id));
    if (unknown !== undefined)
      throw new Error(`Unable to create migration plan because of ${unknown}: unknown migration in database`);
    for (const m of MIGRATIONS) if (!applied.includes(m.id)) await apply(client, m);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
  }
}

async function apply(client: PoolClient, m: Migration): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(m.up);
    await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (id, applied_at) VALUES ($1, $2)`, [
      m.id,
      new Date(),
    ]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    // sql-migrate names the failing migration after the database's message.
    throw Object.assign(err as Error, { message: `${(err as Error).message} handling ${m.id}` });
  }
}
