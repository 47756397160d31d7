/**
 * The test control plane itself (issue 3): a real kube-apiserver + etcd + kube-controller-manager
 * on loopback, RBAC with static tokens, the fake kubelet, and clean shutdown.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import {
  type ClusterProcess,
  processAlive,
  processGroupMembers,
  startCluster,
  type TestCluster,
} from "../cluster/harness.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";

let c: SharedCluster;

beforeAll(async () => {
  c = await sharedCluster();
}, CLUSTER_TIMEOUT_MS);

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Listening TCP sockets (local address as text) of the given pids, from /proc. */
function listeningSockets(pids: number[]): { pid: number; address: string; port: number }[] {
  const byInode = new Map<string, { address: string; port: number }>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const lines = readFileSync(file, "utf8").trim().split("\n").slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== "0A") continue; // LISTEN
      const [hexAddr, hexPort] = f[1].split(":");
      byInode.set(f[9], { address: decodeProcAddress(hexAddr), port: Number.parseInt(hexPort, 16) });
    }
  }
  const out: { pid: number; address: string; port: number }[] = [];
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let target = "";
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      const sock = m ? byInode.get(m[1]) : undefined;
      if (sock) out.push({ pid, ...sock });
    }
  }
  return out;
}

/** /proc/net/tcp{,6} addresses are little-endian 32-bit words in hex. */
function decodeProcAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => Number.parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    return `::ffff:${bytes.slice(12).join(".")}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(":");
}

describe("test cluster", () => {
  test("runs the pinned versions", async () => {
    expect(c.cluster.versions.kubeApiserver).toBe("v1.34.10");
    expect(c.cluster.versions.etcd).toMatch(/^3\.6\./);
    const v = await c.kubectl(["version", "-o", "json"]);
    expect(v.code).toBe(0);
    const parsed = JSON.parse(v.stdout) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string; major: string; minor: string };
    };
    expect(parsed.clientVersion.gitVersion).toBe("v1.34.5");
    // The ldflags stamps: Helm's .Capabilities.KubeVersion reads these.
    expect(parsed.serverVersion).toMatchObject({ gitVersion: "v1.34.10", major: "1", minor: "34" });
  });

  test("a namespace and a ConfigMap made with client-node read back with the real kubectl", async () => {
    const core = c.api(CoreV1Api);
    const ns = `cluster-cm-${Date.now().toString(36)}`;
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "greeting" }, data: { hello: "world", n: "42" } },
    });
    const got = await c.kubectl(["get", "configmap", "greeting", "-n", ns, "-o", "json"]);
    expect(got.stderr).toBe("");
    expect(got.code).toBe(0);
    const cm = JSON.parse(got.stdout) as { metadata: { namespace: string }; data: Record<string, string> };
    expect(cm.metadata.namespace).toBe(ns);
    expect(cm.data).toEqual({ hello: "world", n: "42" });
    const nsOut = await c.kubectl(["get", "namespace", ns, "-o", "jsonpath={.status.phase}"]);
    expect(nsOut.stdout).toBe("Active");
    // The controller-manager's serviceaccount and root-ca controllers fill a new namespace.
    await until("default ServiceAccount and kube-root-ca.crt", 30_000, async () => {
      const sa = await c.kubectl(["get", "serviceaccount/default", "configmap/kube-root-ca.crt", "-n", ns]);
      return sa.code === 0 ? true : undefined;
    });
  });

  test("a restricted user is refused with 403 until RBAC grants access", async () => {
    const ns = await c.createNamespace("cluster-rbac");
    const alice = c.api(CoreV1Api, "alice");
    let status = 0;
    try {
      await alice.listNamespacedConfigMap({ namespace: ns });
    } catch (err) {
      status = (err as { code?: number }).code ?? -1;
    }
    expect(status).toBe(403);

    const who = await c.kubectl(
      ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"],
      {
        context: "alice",
      },
    );
    expect(who.stdout).toBe('alice ["team-a","system:authenticated"]');
    const denied = await c.kubectl(["get", "configmaps", "-n", ns], { context: "alice" });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("Forbidden");
    expect(denied.stderr).toContain('User "alice" cannot list resource "configmaps"');

    // The aggregated ClusterRole `view` has rules (clusterrole-aggregation-controller), so a
    // RoleBinding for group team-a lets alice read — and still not write, and bob still nothing.
    const bind = await c.kubectl([
      "create",
      "rolebinding",
      "team-a-view",
      "--clusterrole=view",
      "--group=team-a",
      "-n",
      ns,
    ]);
    expect(bind.code).toBe(0);
    await until("alice allowed to list", 10_000, async () => {
      const r = await alice.listNamespacedConfigMap({ namespace: ns });
      return r.items;
    });
    const write = await c.kubectl(["create", "configmap", "x", "-n", ns], { context: "alice" });
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('User "alice" cannot create resource "configmaps"');
    const bob = await c.kubectl(["get", "configmaps", "-n", ns], { context: "bob" });
    expect(bob.stderr).toContain('User "bob" cannot list');
    const canI = await c.kubectl([
      "auth",
      "can-i",
      "list",
      "configmaps",
      "-n",
      ns,
      "--as",
      "alice",
      "--as-group",
      "team-a",
    ]);
    expect(canI.stdout.trim()).toBe("yes");
  });

  test("the helm-server identity can review tokens and impersonate", async () => {
    const review = await c.kubectl(
      ["create", "--validate=false", "-f", "-", "-o", "jsonpath={.status.user.username}"],
      {
        context: "helm-server",
        input: JSON.stringify({
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenReview",
          spec: { token: c.tokens.alice },
        }),
      },
    );
    expect(review.stderr).toBe("");
    expect(review.stdout).toBe("alice");
    const asAlice = await c.kubectl(
      ["auth", "whoami", "--as", "alice", "--as-group", "team-a", "-o", "name"],
      {
        context: "helm-server",
      },
    );
    expect(asAlice.code).toBe(0);
  });

  test("the controller-manager turns a Deployment into a ReplicaSet; the fake kubelet makes it available", async () => {
    const ns = await c.createNamespace("cluster-deploy", { fakeKubelet: true });
    const apps = c.api(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: "web" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
          },
        },
      },
    });
    const rs = await until("ReplicaSet", 30_000, async () => {
      const list = await apps.listNamespacedReplicaSet({ namespace: ns });
      return list.items.length > 0 ? list.items[0] : undefined;
    });
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Deployment", name: "web" });
    const dep = await until("Deployment available", 60_000, async () => {
      const d = await apps.readNamespacedDeployment({ namespace: ns, name: "web" });
      const available = d.status?.conditions?.find((x) => x.type === "Available")?.status === "True";
      return available && d.status?.availableReplicas === 2 && d.status?.readyReplicas === 2 ? d : undefined;
    });
    expect(dep.status?.conditions?.find((x) => x.type === "Progressing")?.reason).toBe(
      "NewReplicaSetAvailable",
    );
    // The real kubectl agrees it rolled out.
    const rollout = await c.kubectl(["rollout", "status", "deployment/web", "-n", ns, "--timeout=30s"]);
    expect(rollout.stdout).toContain('deployment "web" successfully rolled out');
    const pods = await c.kubectl(["get", "pods", "-n", ns, "-o", "jsonpath={.items[*].status.phase}"]);
    expect(pods.stdout).toBe("Running Running");

    // A Job's Pod is Succeeded, and the job controller marks the Job Complete.
    const job = await c.kubectl(["create", "job", "once", "--image=busybox", "-n", ns]);
    expect(job.code).toBe(0);
    const wait = await c.kubectl(["wait", "--for=condition=Complete", "job/once", "-n", ns, "--timeout=60s"]);
    expect(wait.stdout).toContain("condition met");

    // A namespace without the label keeps its Pods Pending.
    const other = await c.createNamespace("cluster-pending");
    const plain = await c.kubectl(["run", "idle", "--image=busybox", "-n", other]);
    expect(plain.code).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    const phase = await c.kubectl(["get", "pod", "idle", "-n", other, "-o", "jsonpath={.status.phase}"]);
    expect(phase.stdout).toBe("Pending");
  }, 120_000);

  test("every listening socket of the control plane is on 127.0.0.1", () => {
    const procs = c.cluster.processes.filter((p) => processAlive(p.pid));
    expect(procs.map((p) => p.name)).toEqual(
      expect.arrayContaining(["etcd", "kube-apiserver", "kube-controller-manager"]),
    );
    const pids = procs.flatMap((p) => processGroupMembers(p.pgid));
    const socks = listeningSockets(pids);
    const ports = socks.map((s) => s.port);
    const { etcdClient, etcdPeer, apiserver, controllerManager } = c.cluster.ports;
    expect(ports).toEqual(expect.arrayContaining([etcdClient, etcdPeer, apiserver, controllerManager]));
    const notLoopback = socks.filter((s) => s.address !== "127.0.0.1");
    expect(notLoopback).toEqual([]);
  });
});

describe("test cluster shutdown", () => {
  test("after stop() no process of that run remains and its temp dir is gone", async () => {
    // A second, private control plane: stopping the shared one would pull it from under other suites.
    const own: TestCluster = await startCluster({ fakeKubelet: "labelled" });
    const procs: ClusterProcess[] = own.processes;
    expect(procs.map((p) => p.name).sort()).toEqual([
      "etcd",
      "fake-kubelet",
      "kube-apiserver",
      "kube-controller-manager",
    ]);
    for (const p of procs) {
      expect(processAlive(p.pid)).toBe(true);
      expect(p.pgid).toBe(p.pid);
    }
    const dir = own.dir;
    await own.stop();
    for (const p of procs) {
      expect({ name: p.name, alive: processAlive(p.pid), group: processGroupMembers(p.pgid) }).toEqual({
        name: p.name,
        alive: false,
        group: [],
      });
    }
    expect(existsSync(dir)).toBe(false);
  }, 120_000);

  // The owning process ends without calling stop(): by exiting (exit handler) or by SIGKILL (reaper).
  for (const how of ["exit", "SIGKILL"] as const) {
    test(`when the owning process ends by ${how}, its control plane goes too`, async () => {
      const harness = join(import.meta.dir, "..", "cluster", "harness.ts");
      const script = `
        import { startCluster } from ${JSON.stringify(harness)};
        const c = await startCluster({ controllerManager: false, binDir: ${JSON.stringify(c.cluster.binDir)} });
        console.log(JSON.stringify({ dir: c.dir, pids: c.processes.map((p) => p.pid) }));
        ${how === "exit" ? "process.exit(0);" : "setInterval(() => {}, 1 << 30);"}
      `;
      const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
      // Listen now: the exiting child may be gone before its output line is seen.
      const exited = new Promise((r) => child.once("exit", r));
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (s: string) => {
        out += s;
      });
      // Generous: a cold start of etcd and kube-apiserver on a busy 2-core machine can take a minute.
      const line = await until("child cluster up", 150_000, async () =>
        out.split("\n").find((l) => l.startsWith("{")),
      );
      const info = JSON.parse(line) as { dir: string; pids: number[] };
      expect(info.pids.length).toBe(2);
      if (how === "SIGKILL") child.kill("SIGKILL");
      await exited;
      if (how === "exit") {
        // The exit handler stops synchronously: nothing is left the moment the process is gone.
        expect(info.pids.filter((pid) => processAlive(pid))).toEqual([]);
        expect(existsSync(info.dir)).toBe(false);
      }
      await until("processes and dir gone", 15_000, async () =>
        info.pids.every((pid) => !processAlive(pid)) && !existsSync(info.dir) ? true : undefined,
      );
    }, 180_000);
  }
});
