/**
 * Test control plane: etcd + kube-apiserver (+ kube-controller-manager, + an optional fake kubelet)
 * on free 127.0.0.1 ports, in a fresh 0700 temp dir, with RBAC and static bearer tokens.
 * Recipe: /work/shared/docs/test-cluster.md sections 3-6 and 8. Binaries come from prepare.sh.
 *
 * Every process is spawned detached (its own process group) and stopped with SIGTERM to the group,
 * then SIGKILL after 5 s: on stop(), on a failed start, on SIGINT/SIGTERM and at process exit.
 * `bun test` (1.4.5) exits without emitting process "exit", and SIGKILL runs no handler at all, so
 * each cluster also has a small detached reaper (sh) that watches this process and does the same
 * shutdown within about half a second of its death.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { FAKE_KUBELET_LABEL } from "./fake-kubelet.ts";
import { type KubeEndpoint, kubeJson, kubeRequest } from "./kube-http.ts";

export { FAKE_KUBELET_LABEL };

const HERE = import.meta.dir;

/**
 * `off`: Pods stay Pending. `labelled`: Pods in namespaces labelled `helm-ts.test/fake-kubelet=true`
 * become Running/Ready (or Succeeded). `all`: the same in every namespace.
 */
export type FakeKubeletMode = "off" | "labelled" | "all";

export interface ClusterOptions {
  /** Start kube-controller-manager (Deployments → ReplicaSets → Pods, GC, namespace deletion). Default true. */
  controllerManager?: boolean;
  /** Default "off". Needs the controller-manager for workloads to react. */
  fakeKubelet?: FakeKubeletMode;
  /** How long to wait for each component to become ready. Default 60 s. */
  readyTimeoutMs?: number;
  /** Use these binaries instead of running prepare.sh (also env K8S_TEST_BIN_DIR). */
  binDir?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** Bearer tokens from `$D/tokens.csv`. */
export interface ClusterTokens {
  /** user `admin`, group `system:masters` (bypasses RBAC) */
  admin: string;
  /** user `alice`, group `team-a`; no rights unless a test grants them */
  alice: string;
  /** user `bob`, group `team-b`; no rights unless a test grants them */
  bob: string;
  /** user `helm-server`, group `helm-servers`: `system:auth-delegator` + impersonation (for Tiller) */
  helmServer: string;
}

export interface ClusterProcess {
  name: "etcd" | "kube-apiserver" | "kube-controller-manager" | "fake-kubelet";
  pid: number;
  /** Process group id (= pid: every process is spawned detached). */
  pgid: number;
  log: string;
}

export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
}

export interface ClusterVersions {
  kubeApiserver: string;
  etcd: string;
}

/** Users in tokens.csv and their groups. */
export const CLUSTER_USERS = {
  admin: { user: "admin", groups: ["system:masters"] },
  alice: { user: "alice", groups: ["team-a"] },
  bob: { user: "bob", groups: ["team-b"] },
  helmServer: { user: "helm-server", groups: ["helm-servers"] },
} as const;

const CONTROLLERS = [
  "deployment-controller",
  "replicaset-controller",
  "statefulset-controller",
  "daemonset-controller",
  "job-controller",
  "cronjob-controller",
  "garbage-collector-controller",
  "namespace-controller",
  "serviceaccount-controller",
  "serviceaccount-token-controller",
  "clusterrole-aggregation-controller",
  "root-ca-certificate-publisher-controller",
  "endpoints-controller",
  "endpointslice-controller",
  "replicationcontroller-controller",
  "disruption-controller",
  "resourcequota-controller",
  "ttl-after-finished-controller",
];

// ---- binaries ------------------------------------------------------------------------------------

/** Cache root shared with prepare.sh. */
export function clusterCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME || join(process.env.HOME || tmpdir(), ".cache");
  return process.env.K8S_TEST_CACHE || join(xdg, "helm-ts", "test-cluster");
}

/**
 * Directory holding etcd, kube-apiserver and kube-controller-manager, built by prepare.sh if
 * needed (slow once, about a second when cached). Its progress goes to stderr.
 */
export async function ensureBinaries(): Promise<string> {
  const fromEnv = process.env.K8S_TEST_BIN_DIR;
  if (fromEnv) return fromEnv;
  const child = spawn("bash", [join(HERE, "prepare.sh"), "--bin-dir"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (s: string) => {
    out += s;
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c) => resolve(c ?? 1));
  });
  const dir = out.trim().split("\n").pop() ?? "";
  if (code !== 0 || !dir)
    throw new Error(`test/cluster/prepare.sh failed (exit ${code}); see its output above`);
  return dir;
}

// ---- small helpers -------------------------------------------------------------------------------

/** `n` distinct free ports on 127.0.0.1 (all held open together, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === "string") throw new Error("no port");
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Whether something accepts connections on 127.0.0.1:`port` now. */
export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, "127.0.0.1");
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => {
      sock.destroy();
      resolve(false);
    });
  });
}

/** Wait until 127.0.0.1:`port` accepts connections; false at the deadline or once `gaveUp()` says so. */
export async function waitForPort(
  port: number,
  deadline: number,
  gaveUp: () => boolean = () => false,
): Promise<boolean> {
  while (Date.now() < deadline && !gaveUp()) {
    if (await portAccepts(port)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** Alive and not a zombie (Linux: /proc; elsewhere: signal 0). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    if (existsSync("/proc/self/stat")) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Pids of live (non-zombie) processes whose process group is `pgid` (Linux). */
export function processGroupMembers(pgid: number): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // rest[0] = state, rest[1] = ppid, rest[2] = pgrp
      if (Number(rest[2]) === pgid && rest[0] !== "Z" && rest[0] !== "X") out.push(Number(e));
    } catch {
      // raced with exit
    }
  }
  return out;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

const token = () => randomBytes(16).toString("hex");

// ---- process-wide cleanup ---------------------------------------------------------------------------

const live = new Set<TestCluster>();
let handlersInstalled = false;

function onExit(): void {
  for (const c of [...live]) c.stopSync();
}

function onSignal(signal: NodeJS.Signals): void {
  const code = signal === "SIGINT" ? 130 : 143;
  void Promise.allSettled([...live].map((c) => c.stop())).then(() => process.exit(code));
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", onExit);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

function removeHandlers(): void {
  if (!handlersInstalled || live.size > 0) return;
  handlersInstalled = false;
  process.off("exit", onExit);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}

// If this process dies without running its exit handlers (SIGKILL), the reaper stops the groups
// listed in $D/pgids and removes $D. It exits by itself once $D is gone.
const REAPER = `
parent=$1; dir=$2
while kill -0 "$parent" 2>/dev/null && [ -d "$dir" ]; do sleep 0.5; done
[ -f "$dir/pgids" ] || exit 0
pgids=$(cat "$dir/pgids")
for g in $pgids; do kill -TERM "-$g" 2>/dev/null; done
i=0
while [ $i -lt 50 ]; do
  alive=0
  for g in $pgids; do kill -0 "-$g" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
  sleep 0.1; i=$((i+1))
done
for g in $pgids; do kill -KILL "-$g" 2>/dev/null; done
rm -rf "$dir"
`;

// ---- the cluster ---------------------------------------------------------------------------------

interface Running extends ClusterProcess {
  child: ChildProcess;
  exitInfo?: string;
}

export class TestCluster {
  /** The 0700 temp dir: logs, certs, tokens, kubeconfigs, etcd data. Removed by stop(). */
  readonly dir: string;
  /** `$D/kubeconfig`: contexts admin (current), alice, bob, helm-server. */
  readonly kubeconfig: string;
  /** `$D/admin.kubeconfig`: only the admin context. */
  readonly adminKubeconfig: string;
  readonly tokens: ClusterTokens;
  readonly ports: ClusterPorts;
  readonly binDir: string;
  /** `https://127.0.0.1:PORT` */
  readonly server: string;
  /** PEM of the API server's serving cert + CA (`$D/certs/apiserver.crt`); set once it is up. */
  ca = "";
  versions: ClusterVersions = { kubeApiserver: "", etcd: "" };
  fakeKubeletMode: FakeKubeletMode = "off";
  private readonly procs: Running[] = [];
  private reaper: ChildProcess | undefined;
  private stopping: Promise<void> | undefined;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(binDir: string, ports: number[], log: (line: string) => void) {
    this.binDir = binDir;
    this.log = log;
    this.dir = mkdtempSync(join(tmpdir(), "helm-ts-cluster-"));
    chmodSync(this.dir, 0o700);
    this.kubeconfig = join(this.dir, "kubeconfig");
    this.adminKubeconfig = join(this.dir, "admin.kubeconfig");
    const [etcdClient, etcdPeer, apiserver, controllerManager] = ports;
    this.ports = { etcdClient, etcdPeer, apiserver, controllerManager };
    this.server = `https://127.0.0.1:${apiserver}`;
    this.tokens = { admin: token(), alice: token(), bob: token(), helmServer: token() };
  }

  /** Processes started by this cluster (those still running and those already stopped). */
  get processes(): ClusterProcess[] {
    return this.procs.map(({ name, pid, pgid, log }) => ({ name, pid, pgid, log }));
  }

  /** Endpoint for kube-http as the given user (default admin). */
  endpoint(user: keyof ClusterTokens = "admin"): KubeEndpoint {
    return { server: this.server, token: this.tokens[user], ca: this.ca || undefined };
  }

  /** Environment for child processes (kubectl, helm): KUBECONFIG and NO_PROXY. */
  env(): Record<string, string> {
    return { KUBECONFIG: this.kubeconfig, NO_PROXY: "127.0.0.1,localhost", no_proxy: "127.0.0.1,localhost" };
  }

  /** The last `lines` lines of a component's log. */
  logTail(name: ClusterProcess["name"], lines = 40): string {
    return tail(join(this.dir, `${name}.log`), lines);
  }

  /** Every log's tail, for failure messages. */
  allLogTails(lines = 30): string {
    return this.procs.map((p) => `--- ${p.name} (${p.log}) ---\n${tail(p.log, lines)}`).join("\n");
  }

  // -- start ---------------------------------------------------------------------------------------

  async start(opts: ClusterOptions): Promise<void> {
    const timeout = opts.readyTimeoutMs ?? 60_000;
    const withKcm = opts.controllerManager ?? true;
    this.prepareDir();
    this.startReaper();

    const etcdUrl = `http://127.0.0.1:${this.ports.etcdClient}`;
    const peerUrl = `http://127.0.0.1:${this.ports.etcdPeer}`;
    const etcd = this.spawnProc("etcd", join(this.binDir, "etcd"), [
      `--data-dir=${join(this.dir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      "--unsafe-no-fsync",
      "--log-level=warn",
    ]);
    await this.waitFor("etcd /health", timeout, [etcd], async () => {
      const res = await kubeRequest({ server: etcdUrl, token: "" }, "GET", "/health", { timeoutMs: 2000 });
      return res.status === 200 && res.body.includes('"health":"true"');
    });

    const ap = this.ports.apiserver;
    const apiserver = this.spawnProc("kube-apiserver", join(this.binDir, "kube-apiserver"), [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${ap}`,
      "--advertise-address=127.0.0.1",
      "--endpoint-reconciler-type=none",
      `--cert-dir=${join(this.dir, "certs")}`,
      "--service-cluster-ip-range=10.0.0.0/16",
      "--allow-privileged=true",
      "--authorization-mode=RBAC",
      `--token-auth-file=${join(this.dir, "tokens.csv")}`,
      `--service-account-issuer=https://127.0.0.1:${ap}`,
      `--service-account-key-file=${join(this.dir, "sa.pub")}`,
      `--service-account-signing-key-file=${join(this.dir, "sa.key")}`,
      ...(withKcm ? [] : ["--disable-admission-plugins=ServiceAccount"]),
      "--profiling=false",
      "--v=1",
    ]);
    const insecure: KubeEndpoint = { server: this.server, token: this.tokens.admin };
    await this.waitFor("kube-apiserver /readyz", timeout, [etcd, apiserver], async () => {
      const res = await kubeRequest(insecure, "GET", "/readyz", { timeoutMs: 5000 });
      return res.status === 200 && res.body.trim() === "ok";
    });
    this.ca = readFileSync(join(this.dir, "certs", "apiserver.crt"), "utf8");
    this.writeKubeconfigs();
    // From here on every request verifies the server against the generated CA.
    const ep = this.endpoint();
    const version = await kubeJson<{ gitVersion: string }>(ep, "GET", "/version");
    const etcdVersion = await kubeJson<{ etcdserver: string }>(
      { server: etcdUrl, token: "" },
      "GET",
      "/version",
    );
    this.versions = { kubeApiserver: version.gitVersion, etcd: etcdVersion.etcdserver };
    await this.bootstrapRbac();

    if (withKcm) {
      const kcm = this.spawnProc("kube-controller-manager", join(this.binDir, "kube-controller-manager"), [
        `--kubeconfig=${this.adminKubeconfig}`,
        `--authentication-kubeconfig=${this.adminKubeconfig}`,
        `--authorization-kubeconfig=${this.adminKubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${this.ports.controllerManager}`,
        "--authorization-always-allow-paths=/healthz,/readyz,/livez",
        "--leader-elect=false",
        "--use-service-account-credentials=false",
        `--service-account-private-key-file=${join(this.dir, "sa.key")}`,
        `--root-ca-file=${join(this.dir, "certs", "apiserver.crt")}`,
        "--kube-api-qps=100",
        "--kube-api-burst=200",
        `--controllers=${CONTROLLERS.join(",")}`,
        "--profiling=false",
        "--v=1",
      ]);
      const kcmEp: KubeEndpoint = { server: `https://127.0.0.1:${this.ports.controllerManager}`, token: "" };
      await this.waitFor("kube-controller-manager /healthz", timeout, [apiserver, kcm], async () => {
        const res = await kubeRequest(kcmEp, "GET", "/healthz", { timeoutMs: 2000 });
        return res.status === 200 && res.body.trim() === "ok";
      });
      await this.waitFor("serviceaccount default/default", timeout, [apiserver, kcm], async () => {
        const res = await kubeRequest(ep, "GET", "/api/v1/namespaces/default/serviceaccounts/default");
        return res.status === 200;
      });
      await this.waitFor("aggregated clusterrole edit", timeout, [apiserver, kcm], async () => {
        const res = await kubeRequest(ep, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/edit");
        if (res.status !== 200) return false;
        const rules = (JSON.parse(res.body) as { rules?: unknown[] }).rules;
        return Array.isArray(rules) && rules.length > 0;
      });
    }
    if (opts.fakeKubelet && opts.fakeKubelet !== "off") await this.startFakeKubelet(opts.fakeKubelet);
  }

  /**
   * Start the fake kubelet process (idempotent). "labelled" handles only namespaces labelled
   * `helm-ts.test/fake-kubelet=true`; "all" every namespace. Switching mode restarts it.
   */
  async startFakeKubelet(mode: Exclude<FakeKubeletMode, "off"> = "labelled"): Promise<void> {
    const current = this.procs.find((p) => p.name === "fake-kubelet" && !p.exitInfo);
    if (current && this.fakeKubeletMode === mode) return;
    if (current) await this.stopProc(current);
    const caFile = join(this.dir, "certs", "apiserver.crt");
    const kubelet = this.spawnProc(
      "fake-kubelet",
      process.execPath,
      [join(HERE, "fake-kubelet.ts"), ...(mode === "all" ? ["--all-namespaces"] : [])],
      {
        FAKE_KUBELET_SERVER: this.server,
        FAKE_KUBELET_TOKEN: this.tokens.admin,
        FAKE_KUBELET_CA_FILE: caFile,
        // The API server does not verify kubelets here; its own serving pair will do.
        FAKE_KUBELET_TLS_CERT: caFile,
        FAKE_KUBELET_TLS_KEY: join(this.dir, "certs", "apiserver.key"),
      },
    );
    this.fakeKubeletMode = mode;
    await this.waitFor("fake-kubelet", 30_000, [kubelet], async () =>
      tail(kubelet.log, 5).includes("fake-kubelet: watching pods"),
    );
  }

  private prepareDir(): void {
    const t = this.tokens;
    const u = CLUSTER_USERS;
    const row = (tok: string, user: string, groups: readonly string[]) =>
      `${tok},${user},uid-${user},"${groups.join(",")}"`;
    writeFileSync(
      join(this.dir, "tokens.csv"),
      `${[
        row(t.admin, u.admin.user, u.admin.groups),
        row(t.alice, u.alice.user, u.alice.groups),
        row(t.bob, u.bob.user, u.bob.groups),
        row(t.helmServer, u.helmServer.user, u.helmServer.groups),
      ].join("\n")}\n`,
      { mode: 0o600 },
    );
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    writeFileSync(join(this.dir, "sa.key"), privateKey, { mode: 0o600 });
    writeFileSync(join(this.dir, "sa.pub"), publicKey, { mode: 0o600 });
    writeFileSync(join(this.dir, "pgids"), "", { mode: 0o600 });
  }

  private writeKubeconfigs(): void {
    const cluster = {
      name: "test",
      cluster: { server: this.server, "certificate-authority-data": Buffer.from(this.ca).toString("base64") },
    };
    const users = [
      { name: "admin", user: { token: this.tokens.admin } },
      { name: "alice", user: { token: this.tokens.alice } },
      { name: "bob", user: { token: this.tokens.bob } },
      { name: "helm-server", user: { token: this.tokens.helmServer } },
    ];
    const contexts = [
      { name: "admin", context: { cluster: "test", user: "admin", namespace: "default" } },
      { name: "alice", context: { cluster: "test", user: "alice", namespace: "team-a" } },
      { name: "bob", context: { cluster: "test", user: "bob", namespace: "team-b" } },
      { name: "helm-server", context: { cluster: "test", user: "helm-server" } },
    ];
    const config = (us: typeof users, cs: typeof contexts) =>
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [cluster],
        users: us,
        contexts: cs,
        "current-context": "admin",
      });
    writeFileSync(this.kubeconfig, config(users, contexts), { mode: 0o600 });
    writeFileSync(this.adminKubeconfig, config(users.slice(0, 1), contexts.slice(0, 1)), { mode: 0o600 });
  }

  /** The server identity may review tokens/access and impersonate callers (Tiller's needs). */
  private async bootstrapRbac(): Promise<void> {
    const ep = this.endpoint();
    const rbac = "/apis/rbac.authorization.k8s.io/v1";
    const create = async (path: string, body: unknown) => {
      const res = await kubeRequest(ep, "POST", path, { body });
      if (res.status !== 201 && res.status !== 409)
        throw new Error(`POST ${path}: HTTP ${res.status} ${res.body}`);
    };
    await create(`${rbac}/clusterroles`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "helm-ts:impersonator" },
      rules: [
        { apiGroups: [""], resources: ["users", "groups", "serviceaccounts"], verbs: ["impersonate"] },
        { apiGroups: ["authentication.k8s.io"], resources: ["*"], verbs: ["impersonate"] },
      ],
    });
    for (const role of ["system:auth-delegator", "helm-ts:impersonator"]) {
      await create(`${rbac}/clusterrolebindings`, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: `helm-server:${role.replace(/:/g, "-")}` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
        subjects: [
          { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: CLUSTER_USERS.helmServer.user },
        ],
      });
    }
  }

  private startReaper(): void {
    const reaper = spawn("/bin/sh", ["-c", REAPER, "reaper", String(process.pid), this.dir], {
      detached: true,
      stdio: "ignore",
    });
    reaper.unref();
    this.reaper = reaper;
  }

  private spawnProc(
    name: ClusterProcess["name"],
    bin: string,
    args: string[],
    extraEnv: Record<string, string> = {},
  ): Running {
    const log = join(this.dir, `${name}.log`);
    const fd = openSync(log, "a", 0o600);
    const child = spawn(bin, args, {
      detached: true,
      stdio: ["ignore", fd, fd],
      cwd: this.dir,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: this.dir,
        NO_PROXY: "127.0.0.1,localhost",
        no_proxy: "127.0.0.1,localhost",
        ...extraEnv,
      },
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${bin}`);
    child.unref();
    const proc: Running = { name, pid: child.pid, pgid: child.pid, log, child };
    child.once("exit", (code, signal) => {
      proc.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
    });
    child.once("error", (err) => {
      proc.exitInfo = `spawn error ${err.message}`;
    });
    appendFileSync(join(this.dir, "pgids"), `${proc.pgid}\n`);
    this.procs.push(proc);
    this.log(`started ${name} (pid ${proc.pid})`);
    return proc;
  }

  private async waitFor(
    what: string,
    timeoutMs: number,
    watch: Running[],
    check: () => Promise<boolean>,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastErr = "";
    for (;;) {
      for (const p of watch) {
        if (p.exitInfo) throw new Error(`${p.name} exited (${p.exitInfo}) while waiting for ${what}`);
      }
      try {
        if (await check()) return;
      } catch (err) {
        lastErr = String(err);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (last: ${lastErr})` : ""}`,
        );
      }
      await sleep(150);
    }
  }

  // -- stop ----------------------------------------------------------------------------------------

  private async stopProc(p: Running): Promise<void> {
    killGroup(p.pgid, "SIGTERM");
    const gone = () => !processAlive(p.pid) && processGroupMembers(p.pgid).length === 0;
    const deadline = Date.now() + 5000;
    while (!gone() && Date.now() < deadline) await sleep(50);
    if (!gone()) {
      this.log(`${p.name} (pid ${p.pid}) ignored SIGTERM for 5 s: SIGKILL`);
      killGroup(p.pgid, "SIGKILL");
      const killDeadline = Date.now() + 2000;
      while (!gone() && Date.now() < killDeadline) await sleep(50);
    }
  }

  /** Stop everything (kubelet, controller-manager, API server, etcd) and remove the temp dir. Idempotent. */
  stop(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopping ??= (async () => {
      for (const p of [...this.procs].reverse()) await this.stopProc(p);
      this.finish();
    })();
    return this.stopping;
  }

  /** Synchronous stop for the process `exit` handler (no event loop there). */
  stopSync(): void {
    if (this.stopped) return;
    for (const p of [...this.procs].reverse()) {
      killGroup(p.pgid, "SIGTERM");
      const deadline = Date.now() + 5000;
      while ((processAlive(p.pid) || processGroupMembers(p.pgid).length > 0) && Date.now() < deadline) {
        sleepSync(50);
      }
      killGroup(p.pgid, "SIGKILL");
    }
    this.finish();
  }

  private finish(): void {
    this.stopped = true;
    if (this.reaper?.pid) killGroup(this.reaper.pid, "SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
    removeHandlers();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}

/**
 * Start a control plane. On failure everything started so far is stopped and the error carries
 * the tails of the component logs.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[test-cluster] ${line}\n`));
  const binDir = opts.binDir ?? (await ensureBinaries());
  const ports = await freePorts(4);
  const cluster = new TestCluster(binDir, ports, log);
  live.add(cluster);
  installHandlers();
  const t0 = Date.now();
  try {
    await cluster.start(opts);
  } catch (err) {
    const tails = cluster.allLogTails();
    await cluster.stop();
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`test cluster did not start: ${msg}\n${tails}`);
  }
  log(
    `kube-apiserver ${cluster.versions.kubeApiserver}, etcd ${cluster.versions.etcd} at ${cluster.server} ` +
      `ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; KUBECONFIG=${cluster.kubeconfig}`,
  );
  return cluster;
}
