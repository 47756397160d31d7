/**
 * Release benchmarks on a real API server (the test cluster), ours vs real Helm v4.1.4, same run:
 *  (a) `install` then `uninstall` of a chart with 100 resources — goal ≤ 0.7× Helm's wall time;
 *  (b) `list --all-namespaces` with 2,000 releases × 3 revisions stored — goal ≤ 0.25× Helm's
 *      time and lower peak memory (run with `npm run bench -- releases-list`; it needs `list`).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeClient } from "../src/tiller/kube/client.ts";
import { mapLimit } from "../src/tiller/kube/parallel.ts";
import type { Release } from "../src/tiller/release/release.ts";
import { releaseKey } from "../src/tiller/storage/driver.ts";
import { secretsDriver } from "../src/tiller/storage/secrets.ts";
import { sharedCluster } from "../test/support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../test/support/oracle.ts";
import { measure, report, runOnce, type Sample, type Summary } from "./measure.ts";

const ours = join(import.meta.dir, "..", "build", "helm");

/** A chart of 100 objects: 50 ConfigMaps, 25 Secrets, 25 Services. */
function hundredResourceChart(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "helmts-bench-rel-")), "hundred");
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: hundred\nversion: 1.0.0\n");
  const docs: string[] = [];
  for (let i = 0; i < 50; i++)
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm-${i}\ndata:\n  i: "${i}"`,
    );
  for (let i = 0; i < 25; i++)
    docs.push(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-s-${i}\nstringData:\n  i: "${i}"`,
    );
  for (let i = 0; i < 25; i++)
    docs.push(
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc-${i}\nspec:\n  selector: {app: x}\n  ports: [{port: ${1000 + i}}]`,
    );
  writeFileSync(join(dir, "templates", "all.yaml"), `${docs.join("\n---\n")}\n`);
  return dir;
}

function summarize(label: string, samples: Sample[]): Summary {
  const walls = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  return {
    label,
    runs: samples.length,
    medianMs: walls[Math.floor((walls.length - 1) / 2)]!,
    p90Ms: walls[Math.min(walls.length - 1, Math.ceil(walls.length * 0.9) - 1)]!,
    peakRssMiB: Math.max(...samples.map((s) => s.maxRssBytes)) / (1024 * 1024),
  };
}

export async function benchReleaseInstall(): Promise<void> {
  const c = await sharedCluster();
  const ns = await c.createNamespace("bench-install");
  const env = c.env(isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-bench-home-"))));
  const chart = hundredResourceChart();
  const cycle = (exe: string, name: string): Sample => {
    const a = runOnce([exe, "install", name, chart, "-n", ns], env);
    const b = runOnce([exe, "uninstall", name, "-n", ns, "--wait"], env);
    return { wallMs: a.wallMs + b.wallMs, maxRssBytes: Math.max(a.maxRssBytes, b.maxRssBytes) };
  };
  const mine: Sample[] = [];
  const theirs: Sample[] = [];
  cycle(ours, "warm-ours");
  cycle(oraclePaths().helm, "warm-helm");
  for (let i = 0; i < 5; i++) {
    mine.push(cycle(ours, `ours-${i}`));
    theirs.push(cycle(oraclePaths().helm, `helm-${i}`));
  }
  report(
    "releases: install + uninstall --wait of a 100-resource chart (5 runs each, alternating)",
    summarize("helm-ts", mine),
    summarize("helm v4.1.4", theirs),
    "time ≤ 0.7x",
  );
  await c.stop();
}

const BENCH_MANIFEST = `---\n# Source: app/templates/cm.yaml\n${"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n".repeat(3)}`;

/** A small stored release, as the listing benchmarks seed them. */
export function benchRelease(name: string, namespace: string, version: number, latest: boolean): Release {
  return {
    name,
    namespace,
    version,
    info: {
      status: latest ? "deployed" : "superseded",
      first_deployed: "2026-11-24T10:00:00Z",
      last_deployed: "2026-11-24T10:00:00Z",
      description: "Upgrade complete",
    },
    chart: {
      metadata: { name: "app", version: "1.0.0", appVersion: "1.0", apiVersion: "v2" },
      lock: null,
      templates: [],
      values: { a: 1 },
      schema: null,
      files: [],
    },
    config: {},
    manifest: BENCH_MANIFEST,
  };
}

/** 2,000 releases × 3 revisions in 20 namespaces, written straight into storage. */
export async function seedReleases(kubeconfig: string, namespaces: string[]): Promise<void> {
  const kube = await KubeClient.create({ kubeconfig, context: "admin", qps: 0 });
  const records: { driver: ReturnType<typeof secretsDriver>; rls: Release }[] = [];
  for (let r = 0; r < 2000; r++) {
    const namespace = namespaces[r % namespaces.length]!;
    const driver = secretsDriver(kube.inNamespace(namespace), namespace);
    for (let v = 1; v <= 3; v++)
      records.push({ driver, rls: benchRelease(`rel-${r}`, namespace, v, v === 3) });
  }
  await mapLimit(records, ({ driver, rls }) => driver.create(releaseKey(rls.name, rls.version), rls), 32);
}

export async function benchReleaseList(): Promise<void> {
  const c = await sharedCluster();
  const namespaces: string[] = [];
  for (let i = 0; i < 20; i++) namespaces.push(await c.createNamespace("bench-list"));
  console.error("seeding 2,000 releases × 3 revisions…");
  await seedReleases(c.kubeconfig, namespaces);
  const env = c.env(isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-bench-home-"))));
  const args = ["list", "--all-namespaces", "--max", "0"];
  const o = measure("helm-ts", [ours, ...args], { runs: 5, warmup: 1, env });
  const h = measure("helm v4.1.4", [oraclePaths().helm, ...args], { runs: 5, warmup: 1, env });
  report("releases: list --all-namespaces, 2,000 releases × 3 revisions", o, h, "time ≤ 0.25x, memory < 1x");
  await c.stop();
}
