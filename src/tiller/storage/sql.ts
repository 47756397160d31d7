/**
 * The `sql` driver (HELM_DRIVER=sql): release records in PostgreSQL, in Helm's schema
 * (`sql-schema.ts`) and with Helm's queries, so real Helm and this tool share one database. A row
 * holds the key `sh.helm.release.v1.NAME.vN`, the namespace, Helm's system labels as columns and
 * the body base64(gzip(JSON)) as the secret driver encodes it; user labels live in
 * `custom_labels_v1`. Writes that touch more than one row run in a transaction.
 */
import net from "node:net";
import pg from "pg";
import type { Release } from "../release/release.ts";
import { decodeRelease, encodeRelease } from "./codec.ts";
import {
  type Driver,
  DriverInitError,
  type LabelQuery,
  ReleaseExistsError,
  ReleaseNotFoundError,
  recordLabels,
  SYSTEM_LABELS,
} from "./driver.ts";
import {
  clientConfig,
  connectionSettings,
  describeSqlError,
  dialServer,
  TlsSetupError,
} from "./sql-connection.ts";
import { LABELS_TABLE, migrate, RELEASES_TABLE } from "./sql-schema.ts";

/** Helm's record type and owner columns. */
const RECORD_TYPE = "helm.sh/release.v1";
const OWNER = "helm";

type Queryable = Pick<pg.Pool, "query">;

interface Row {
  key: string;
  namespace: string;
  body: string;
  labels: Record<string, string> | null;
}

/** A release row's columns with its user labels as one JSON object (`FROM releases_v1 r`). */
const ROW = `r.key, r.namespace, r.body,
  (SELECT json_object_agg(l.key, l.value) FROM ${LABELS_TABLE} l
    WHERE l.releaseKey = r.key AND l.releaseNamespace = r.namespace) AS labels`;

const openDatabases = new Map<string, Promise<SqlDatabase>>();

/** A connection pool to one database, migrated to Helm's schema; drivers per namespace share it. */
export class SqlDatabase {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly settings: Map<string, string>,
  ) {}

  /**
   * Connect and bring the schema up to date. Any failure is a {@link DriverInitError} worded as
   * Helm's (`unable to instantiate SQL driver: …`).
   */
  static async open(connectionString: string): Promise<SqlDatabase> {
    let settings: Map<string, string> | undefined;
    let pool: pg.Pool | undefined;
    // node-postgres leaves a socket open when it gives up during authentication (the server would
    // hold it for a minute); they are closed here on failure, so the command ends at once.
    const sockets = new Set<net.Socket>();
    const socket = () => {
      const s = new net.Socket();
      sockets.add(s);
      s.once("close", () => sockets.delete(s));
      return s;
    };
    try {
      settings = connectionSettings(connectionString);
      const config = await clientConfigAfterDial(settings);
      // Idle connections must not keep a finished command alive.
      pool = new pg.Pool({ ...config, stream: socket, max: 8, allowExitOnIdle: true });
      pool.on("error", () => {}); // a dropped idle connection surfaces on the next query
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
      return new SqlDatabase(pool, settings);
    } catch (err) {
      for (const s of sockets) s.destroy();
      pool?.end().catch(() => {});
      throw new DriverInitError(`unable to instantiate SQL driver: ${describeSqlError(err, settings)}`);
    }
  }

  /**
   * One database per connection string for the whole process: a Tiller serving many callers (one
   * release service each) shares one pool. A failed setup is forgotten, so a later call retries.
   */
  static shared(connectionString: string): Promise<SqlDatabase> {
    let db = openDatabases.get(connectionString);
    if (!db) {
      db = SqlDatabase.open(connectionString);
      openDatabases.set(connectionString, db);
      db.catch(() => openDatabases.delete(connectionString));
    }
    return db;
  }

  /** A query whose failure reads as lib/pq's error, naming the driver. */
  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], on: Queryable = this.pool) {
    try {
      return await on.query<T>(sql, params);
    } catch (err) {
      throw new Error(`SQL driver: ${describeSqlError(err, this.settings)}`);
    }
  }

  /** Run `work` in one transaction: all of its writes or none. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new Error(`SQL driver: error beginning transaction: ${describeSqlError(err, this.settings)}`);
    }
    try {
      await this.query("BEGIN", [], client);
      const result = await work(client);
      await this.query("COMMIT", [], client);
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The client options; when they are unusable, a server that cannot be reached is reported first, as lib/pq does. */
async function clientConfigAfterDial(settings: Map<string, string>): Promise<pg.ClientConfig> {
  try {
    return clientConfig(settings);
  } catch (err) {
    if (err instanceof TlsSetupError) await dialServer(settings);
    throw err;
  }
}

export class SqlDriver implements Driver {
  readonly name = "SQL";

  /** `namespace` empty means all namespaces (list and query only), as in Helm. */
  constructor(
    private readonly db: SqlDatabase,
    private readonly namespace: string,
  ) {}

  private decode(row: Row): Release {
    const rls = decodeRelease(row.body, `${row.namespace}/${row.key} (SQL driver)`);
    const labels = Object.entries(row.labels ?? {}).filter(
      ([k]) => !(SYSTEM_LABELS as readonly string[]).includes(k),
    );
    if (labels.length > 0) rls.labels = Object.fromEntries(labels);
    else delete rls.labels;
    return rls;
  }

  /** ` AND namespace = $n` when the driver is scoped to one namespace. */
  private scope(params: unknown[]): string {
    if (this.namespace === "") return "";
    params.push(this.namespace);
    return ` AND namespace = $${params.length}`;
  }

  async get(key: string): Promise<Release> {
    const res = await this.db.query<Row>(
      `SELECT ${ROW} FROM ${RELEASES_TABLE} r WHERE key = $1 AND namespace = $2`,
      [key, this.namespace],
    );
    if (res.rows.length === 0) throw new ReleaseNotFoundError(key);
    return this.decode(res.rows[0]!);
  }

  async list(filter: (rls: Release) => boolean): Promise<Release[]> {
    const params: unknown[] = [OWNER];
    const res = await this.db.query<Row>(
      `SELECT ${ROW} FROM ${RELEASES_TABLE} r WHERE owner = $1${this.scope(params)}`,
      params,
    );
    return res.rows.map((r) => this.decode(r)).filter(filter);
  }

  /** The newest revision of each release, chosen by the database: only those bodies are read. */
  async latest(): Promise<Release[]> {
    const params: unknown[] = [OWNER];
    const res = await this.db.query<Row>(
      `SELECT DISTINCT ON (namespace, name) ${ROW} FROM ${RELEASES_TABLE} r
        WHERE owner = $1${this.scope(params)} ORDER BY namespace, name, version DESC`,
      params,
    );
    return res.rows.map((r) => this.decode(r));
  }

  /** Records whose label columns match; like Helm, only its system labels can be queried. */
  async query(labels: LabelQuery): Promise<Release[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    for (const key of Object.keys(labels).sort()) {
      if (!(SYSTEM_LABELS as readonly string[]).includes(key)) throw new Error(`unknown label ${key}`);
      params.push(labels[key]);
      where.push(`${key.toLowerCase()} = $${params.length}`);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "WHERE TRUE";
    const res = await this.db.query<Row>(
      `SELECT ${ROW} FROM ${RELEASES_TABLE} r ${clause}${this.scope(params)}`,
      params,
    );
    if (res.rows.length === 0) throw new ReleaseNotFoundError(JSON.stringify(labels));
    return res.rows.map((r) => this.decode(r));
  }

  async create(key: string, rls: Release): Promise<void> {
    const namespace = rls.namespace || "default";
    const body = encodeRelease(rls);
    const system = recordLabels(rls);
    const custom = Object.entries(rls.labels ?? {}).filter(
      ([k]) => !(SYSTEM_LABELS as readonly string[]).includes(k),
    );
    await this.db.transaction(async (client) => {
      const inserted = await this.db.query(
        `INSERT INTO ${RELEASES_TABLE} (key, type, body, name, namespace, version, status, owner, createdAt)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (key, namespace) DO NOTHING`,
        [key, RECORD_TYPE, body, rls.name, namespace, rls.version, system.status, OWNER, unixNow()],
        client,
      );
      if (inserted.rowCount === 0) throw new ReleaseExistsError(key);
      for (const [k, v] of custom) {
        await this.db.query(
          `INSERT INTO ${LABELS_TABLE} (releaseKey, releaseNamespace, key, value) VALUES ($1, $2, $3, $4)`,
          [key, namespace, k, v],
          client,
        );
      }
    });
  }

  /** Replace a record's body and label columns (user labels stay as created, as in Helm). */
  async update(key: string, rls: Release): Promise<void> {
    const namespace = rls.namespace || "default";
    const res = await this.db.query(
      `UPDATE ${RELEASES_TABLE} SET body = $1, name = $2, version = $3, status = $4, owner = $5, modifiedAt = $6
        WHERE key = $7 AND namespace = $8`,
      [encodeRelease(rls), rls.name, rls.version, rls.info.status, OWNER, unixNow(), key, namespace],
    );
    if (res.rowCount === 0) throw new ReleaseNotFoundError(key);
  }

  async delete(key: string): Promise<Release> {
    return this.db.transaction(async (client) => {
      const res = await this.db.query<Row>(
        `DELETE FROM ${RELEASES_TABLE} r WHERE key = $1 AND namespace = $2 RETURNING ${ROW}`,
        [key, this.namespace],
        client,
      );
      const row = res.rows[0];
      if (!row) throw new ReleaseNotFoundError(key);
      // Decoded before the labels go: a corrupt body aborts the transaction and deletes nothing.
      const rls = this.decode(row);
      await this.db.query(
        `DELETE FROM ${LABELS_TABLE} WHERE releaseKey = $1 AND releaseNamespace = $2`,
        [key, this.namespace],
        client,
      );
      return rls;
    });
  }
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
