/**
 * Tiller benchmarks on the real API server (test cluster), same run:
 *  - round-trip overhead of a remote Tiller (build/helm tiller serve, TLS + token auth) over the
 *    embedded service, for `list` with 1,000 releases stored and `install`+`uninstall` of a
 *    20-resource chart — p50/p99 and the ratio (goal: remote adds at most 20%);
 *  - a load test: 50 concurrent clients installing and listing different releases through one
 *    server — throughput, p99 latency and errors.
 * Calls go through the ReleaseService interface in this process, so the difference is the gRPC hop.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newGoMap } from "../src/chart/engine/value.ts";
import { loadChart } from "../src/chart/loader.ts";
import { EmbeddedReleaseService } from "../src/tiller/embedded.ts";
import { RemoteReleaseService } from "../src/tiller/grpc/client.ts";
import { KubeClient } from "../src/tiller/kube/client.ts";
import type { Release } from "../src/tiller/release/release.ts";
import type { ReleaseService } from "../src/tiller/service.ts";
import { releaseKey } from "../src/tiller/storage/driver.ts";
import { secretsDriver } from "../src/tiller/storage/secrets.ts";
import { makeCertificates } from "../test/support/certs.ts";
import { sharedCluster } from "../test/support/cluster.ts";
import { startTillerProcess } from "../test/support/tiller.ts";

const helmBuild = {
  version: "v4.1.4",
  gitCommit: "",
  gitTreeState: "",
  goVersion: "",
  kubeClientVersion: "v1.34",
};

function chartOf(resources: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), "helmts-bench-tiller-")), "twenty");
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: twenty\nversion: 1.0.0\n");
  const docs = Array.from(
    { length: resources },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${i}\ndata:\n  i: "${i}"`,
  );
  writeFileSync(join(dir, "templates", "all.yaml"), `${docs.join("\n---\n")}\n`);
  return dir;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function timeEach(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

function line(label: string, ms: number[]): string {
  return `  ${label.padEnd(10)} p50 ${pct(ms, 50).toFixed(1).padStart(8)} ms   p99 ${pct(ms, 99).toFixed(1).padStart(8)} ms   (${ms.length} runs)`;
}

export async function benchTiller(): Promise<void> {
  const c = await sharedCluster();
  const work = mkdtempSync(join(tmpdir(), "helmts-bench-tiller-"));
  makeCertificates(work);
  const tiller = await startTillerProcess(
    [
      "--tls",
      "--tls-cert",
      join(work, "server.crt"),
      "--tls-key",
      join(work, "server.key"),
      "--max-calls-per-caller",
      "64",
    ],
    c.env(),
  );
  const port = tiller.port;
  const kubeFlags = { kubeconfig: c.kubeconfig, context: "admin" };
  const embedded: ReleaseService = new EmbeddedReleaseService({
    kube: kubeFlags,
    driver: "secret",
    maxHistory: 10,
    helm: helmBuild,
    log: () => {},
  });
  const remote = (): RemoteReleaseService =>
    new RemoteReleaseService({
      host: `localhost:${port}`,
      token: c.tokens.admin,
      tls: { ca: readFileSync(join(work, "ca.crt")) },
      version: "bench",
      connectTimeoutMs: 10_000,
    });
  const client = remote();

  // list: 1,000 releases stored in one namespace.
  const listNs = await c.createNamespace("bench-tiller-list");
  const kube = await KubeClient.create(kubeFlags, listNs);
  const driver = secretsDriver(kube, listNs);
  const jobs: Promise<void>[] = [];
  for (let r = 0; r < 1000; r++) {
    const rls: Release = {
      name: `r${r}`,
      namespace: listNs,
      version: 1,
      info: {
        status: "deployed",
        first_deployed: "2026-11-24T10:00:00Z",
        last_deployed: "2026-11-24T10:00:00Z",
        description: "Install complete",
      },
      chart: {
        metadata: { name: "app", version: "1.0.0" },
        lock: null,
        templates: [],
        values: {},
        schema: null,
        files: [],
      },
      config: {},
      manifest: "",
    };
    jobs.push(driver.create(releaseKey(rls.name, 1), rls));
    if (jobs.length >= 32) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
  const listOpts = { namespace: listNs };
  await embedded.list(listOpts);
  await client.list(listOpts);
  const listLocal = await timeEach(10, () => embedded.list(listOpts));
  const listRemote = await timeEach(10, () => client.list(listOpts));
  console.log("\ntiller: list of 1,000 releases, embedded vs remote (same process, same cluster)");
  console.log(line("embedded", listLocal));
  console.log(line("remote", listRemote));
  console.log(`  ratio      p50 ${(pct(listRemote, 50) / pct(listLocal, 50)).toFixed(2)}x (goal ≤ 1.2x)`);

  // install + uninstall of a 20-resource chart.
  const chart = loadChart(chartOf(20));
  const installNs = await c.createNamespace("bench-tiller-install");
  const cycle = async (svc: ReleaseService, name: string) => {
    await svc.install({ name, namespace: installNs, chart, values: newGoMap(), timeoutMs: 60_000 });
    await svc.uninstall({ name, namespace: installNs, timeoutMs: 60_000 });
  };
  await cycle(embedded, "warm-e");
  await cycle(client, "warm-r");
  const instLocal = await timeEach(8, (i) => cycle(embedded, `e${i}`));
  const instRemote = await timeEach(8, (i) => cycle(client, `r${i}`));
  console.log("\ntiller: install + uninstall of a 20-resource chart, embedded vs remote");
  console.log(line("embedded", instLocal));
  console.log(line("remote", instRemote));
  console.log(`  ratio      p50 ${(pct(instRemote, 50) / pct(instLocal, 50)).toFixed(2)}x (goal ≤ 1.2x)`);

  // Load: 50 concurrent clients, each installing its own release then listing, 3 rounds.
  const loadNs = await c.createNamespace("bench-tiller-load");
  const small = loadChart(chartOf(3));
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async (_, k) => {
      const cl = remote();
      for (let round = 0; round < 3; round++) {
        for (const op of [
          () =>
            cl.install({
              name: `load-${k}-${round}`,
              namespace: loadNs,
              chart: small,
              values: newGoMap(),
              timeoutMs: 60_000,
            }),
          () => cl.list({ namespace: loadNs }),
        ]) {
          const t = performance.now();
          try {
            await op();
          } catch (e) {
            errors++;
            if (errors <= 3) console.error(`  load error: ${(e as Error).message}`);
          }
          latencies.push(performance.now() - t);
        }
      }
      cl.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log("\ntiller: load test, 50 concurrent clients × 3 × (install + list), one server");
  console.log(
    `  ${latencies.length} calls in ${seconds.toFixed(1)} s = ${(latencies.length / seconds).toFixed(1)} calls/s   p50 ${pct(latencies, 50).toFixed(0)} ms   p99 ${pct(latencies, 99).toFixed(0)} ms   errors ${errors}`,
  );
  client.close();
  tiller.proc.kill("SIGTERM");
  await c.stop();
}
