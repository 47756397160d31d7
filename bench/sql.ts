/**
 * The SQL storage driver with 20,000 releases stored (PostgreSQL from test/support/postgres.ts, the
 * test cluster for the API server): `list --all-namespaces` and `history NAME` with HELM_DRIVER=sql
 * against the secret driver (our binary, same releases), and against real Helm v4.1.4's sql driver
 * on the same database. Both stores are seeded through the storage drivers, with concurrency;
 * Secrets are seeded within a time budget (BENCH_SQL_SECRET_BUDGET_S, default 300 s) and the
 * report says how many made it.
 * Run with `npm run bench -- sql`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeClient } from "../src/tiller/kube/client.ts";
import { mapLimit } from "../src/tiller/kube/parallel.ts";
import type { Release } from "../src/tiller/release/release.ts";
import { releaseKey } from "../src/tiller/storage/driver.ts";
import { secretsDriver } from "../src/tiller/storage/secrets.ts";
import { SqlDatabase, SqlDriver } from "../src/tiller/storage/sql.ts";
import { sharedCluster } from "../test/support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../test/support/oracle.ts";
import { startPostgres } from "../test/support/postgres.ts";
import { measure, report } from "./measure.ts";
import { benchRelease } from "./releases.ts";

const ours = join(import.meta.dir, "..", "build", "helm");
const RELEASES = 20_000;
const NAMESPACES = 20;
/** Revisions of the release whose history is read. */
const HISTORY_REVISIONS = 20;

/** The release `target` with its history first (so a cut-short Secret seeding still has it), then the rest. */
function records(namespaces: string[]): Release[] {
  const out: Release[] = [];
  for (let v = 1; v <= HISTORY_REVISIONS; v++)
    out.push(benchRelease("target", namespaces[0]!, v, v === HISTORY_REVISIONS));
  for (let r = 1; out.length < RELEASES; r++)
    out.push(benchRelease(`rel-${r}`, namespaces[r % namespaces.length]!, 1, true));
  return out;
}

function stdoutOf(cmd: string[], env: Record<string, string>): string {
  const r = Bun.spawnSync(cmd, { env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

export async function benchSql(): Promise<void> {
  const [c, pg] = await Promise.all([sharedCluster(), startPostgres()]);
  try {
    const namespaces: string[] = [];
    for (let i = 0; i < NAMESPACES; i++) namespaces.push(await c.createNamespace("bench-sql"));
    const all = records(namespaces);
    const url = await pg.createDatabase("bench");

    let t = performance.now();
    const db = await SqlDatabase.open(url);
    const sqlDrivers = new Map(namespaces.map((ns) => [ns, new SqlDriver(db, ns)]));
    await mapLimit(all, (r) => sqlDrivers.get(r.namespace)!.create(releaseKey(r.name, r.version), r), 8);
    await db.close();
    console.error(`seeded ${all.length} SQL records in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const budgetMs = Number(process.env.BENCH_SQL_SECRET_BUDGET_S ?? 300) * 1000;
    const kube = await KubeClient.create({ kubeconfig: c.kubeconfig, context: "admin", qps: 0 });
    const secretDrivers = new Map(namespaces.map((ns) => [ns, secretsDriver(kube.inNamespace(ns), ns)]));
    t = performance.now();
    const deadline = t + budgetMs;
    let secrets = 0;
    await mapLimit(
      all,
      async (r) => {
        if (performance.now() > deadline) return;
        await secretDrivers.get(r.namespace)!.create(releaseKey(r.name, r.version), r);
        secrets++;
      },
      32,
    );
    console.error(`seeded ${secrets} Secrets in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const base = c.env(isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-bench-home-"))));
    const sqlEnv = { ...base, HELM_DRIVER: "sql", HELM_DRIVER_SQL_CONNECTION_STRING: url };
    const secretEnv = { ...base, HELM_DRIVER: "secret" };
    const list = ["list", "--all-namespaces", "--max", "0"];
    const history = ["history", "target", "-n", namespaces[0]!];

    // The two tools must agree on what they list before their speed means anything.
    const ourList = stdoutOf([ours, ...list], sqlEnv);
    const same = ourList === stdoutOf([oraclePaths().helm, ...list], sqlEnv);
    console.error(
      `list (sql): ${ourList.split("\n").length - 2} releases; same output as real Helm: ${same}`,
    );

    const stored = `${RELEASES.toLocaleString("en")} records`;
    const secretNote =
      secrets === all.length ? stored : `${secrets.toLocaleString("en")} of ${stored} seeded`;
    report(
      `sql driver: list --all-namespaces, ${stored}; vs our secret driver (${secretNote})`,
      measure("helm-ts sql", [ours, ...list], { runs: 5, warmup: 1, env: sqlEnv }),
      measure("helm-ts secret", [ours, ...list], { runs: 3, warmup: 1, env: secretEnv }),
    );
    report(
      `sql driver: history (${HISTORY_REVISIONS} revisions) among ${stored}; vs our secret driver (${secretNote})`,
      measure("helm-ts sql", [ours, ...history], { runs: 10, warmup: 1, env: sqlEnv }),
      measure("helm-ts secret", [ours, ...history], { runs: 10, warmup: 1, env: secretEnv }),
    );
    report(
      `sql driver: list --all-namespaces, ${stored}; vs real Helm's sql driver`,
      measure("helm-ts sql", [ours, ...list], { runs: 5, warmup: 1, env: sqlEnv }),
      measure("helm v4.1.4 sql", [oraclePaths().helm, ...list], { runs: 3, warmup: 1, env: sqlEnv }),
    );
    report(
      `sql driver: history (${HISTORY_REVISIONS} revisions) among ${stored}; vs real Helm's sql driver`,
      measure("helm-ts sql", [ours, ...history], { runs: 10, warmup: 1, env: sqlEnv }),
      measure("helm v4.1.4 sql", [oraclePaths().helm, ...history], { runs: 10, warmup: 1, env: sqlEnv }),
    );
  } finally {
    await pg.stop();
    await c.stop();
  }
}
