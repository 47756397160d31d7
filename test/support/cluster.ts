/**
 * One real Kubernetes control plane per `bun test` process, shared by every integration suite.
 *
 *   const c = await sharedCluster();            // started on first use (builds binaries once if needed)
 *   const ns = await c.createNamespace("mysuite", { fakeKubelet: true });
 *   const r = await c.kubectl(["get", "cm", "-n", ns]);
 *
 * Call it from `beforeAll(..., CLUSTER_TIMEOUT_MS)` so the first start (and, on a fresh machine, the
 * one-time build) fits the hook's timeout. The cluster stops when the process ends, even when tests
 * fail: `bun test` exits without a process "exit" event, so the harness's reaper does it within about
 * a second. Each suite makes its own namespaces (createNamespace gives unique names) and its own RBAC.
 * Use `c.api(CoreV1Api)` rather than `KubeConfig.makeApiClient` (see `api` for why).
 *
 * Pods stay Pending unless their namespace opts into the fake kubelet (`fakeKubelet: true` →
 * label `helm-ts.test/fake-kubelet=true`), which marks them Running/Ready, or Succeeded for Job
 * and Helm hook Pods. It runs in its own process, so spawnSync in a test does not stall it.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import https from "node:https";
import {
  type ApiConstructor,
  type ApiType,
  createConfiguration,
  KubeConfig,
  type RequestContext,
  ResponseContext,
  SelfDecodingBody,
  ServerConfiguration,
  wrapHttpLibrary,
} from "@kubernetes/client-node";
import {
  type ClusterTokens,
  FAKE_KUBELET_LABEL,
  startCluster,
  type TestCluster,
} from "../cluster/harness.ts";
import { type KubeEndpoint, kubeJson, kubeRequest } from "../cluster/kube-http.ts";
import { oraclePaths } from "./oracle.ts";

/** Timeout for the beforeAll that calls sharedCluster(): a fresh machine builds the binaries first. */
export const CLUSTER_TIMEOUT_MS = Number(process.env.K8S_TEST_START_TIMEOUT_MS || 60 * 60 * 1000);

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** kubeconfig context: admin (default), alice, bob, helm-server */
  context?: "admin" | "alice" | "bob" | "helm-server";
  /** stdin */
  input?: string;
  timeoutMs?: number;
}

export interface SharedCluster {
  /** `$D/kubeconfig` with contexts admin (current), alice, bob, helm-server. */
  kubeconfig: string;
  /** `https://127.0.0.1:PORT` */
  server: string;
  tokens: ClusterTokens;
  /** PEM bundle (serving cert + CA) to verify the API server. */
  ca: string;
  /** The underlying harness object (processes, ports, logs, versions). */
  cluster: TestCluster;
  /** Env for child processes: KUBECONFIG and NO_PROXY, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Endpoint for test/cluster/kube-http.ts as a user. */
  endpoint(user?: keyof ClusterTokens): KubeEndpoint;
  /** A KubeConfig loaded from `kubeconfig` with `context` current. */
  kubeConfig(context?: KubectlOptions["context"]): KubeConfig;
  /**
   * A `@kubernetes/client-node` API client (`c.api(CoreV1Api, "alice")`). Under Bun the library's
   * default transport (undici `dispatcher`) is ignored by Bun's fetch, so the kubeconfig CA never
   * applies and every call fails with SELF_SIGNED_CERT_IN_CHAIN; this one sends through node:https
   * with the kubeconfig's CA and the library's own auth headers.
   */
  api<T extends ApiType>(type: ApiConstructor<T>, context?: KubectlOptions["context"]): T;
  /** Run the real kubectl v1.34.5 oracle against this cluster (async: never blocks the event loop). */
  kubectl(args: string[], opts?: KubectlOptions): Promise<ExecResult>;
  /** Create `prefix-xxxxxx` and return its name; `fakeKubelet` labels it so its Pods become ready. */
  createNamespace(
    prefix: string,
    opts?: { fakeKubelet?: boolean; labels?: Record<string, string> },
  ): Promise<string>;
  /** Delete a namespace (does not wait for it to go). */
  deleteNamespace(name: string): Promise<void>;
  /** Make sure the fake kubelet process runs (labelled-namespace mode). */
  enableFakeKubelet(): Promise<void>;
  /** Stop the control plane now; a later sharedCluster() starts a new one. */
  stop(): Promise<void>;
}

let current: Promise<SharedCluster> | undefined;

/** Run a program; resolves with its exit code and output (never rejects for a non-zero exit). */
export function run(
  file: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** client-node HttpLibrary over node:https, verifying the server with `ca`. */
function nodeHttpsLibrary(ca: string) {
  return wrapHttpLibrary({
    send(req: RequestContext): Promise<ResponseContext> {
      const url = new URL(req.getUrl());
      const body = req.getBody();
      if (body !== undefined && typeof body !== "string") {
        return Promise.reject(new Error("nodeHttpsLibrary: only string bodies are supported"));
      }
      return new Promise((resolve, reject) => {
        const r = https.request(
          {
            hostname: url.hostname,
            port: url.port,
            path: url.pathname + url.search,
            method: req.getHttpMethod(),
            headers: req.getHeaders(),
            ca,
            agent: false,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("error", reject);
            res.on("end", () => {
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers)) {
                if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
              }
              const data = Buffer.concat(chunks);
              resolve(
                new ResponseContext(
                  res.statusCode ?? 0,
                  headers,
                  new SelfDecodingBody(Promise.resolve(data)),
                ),
              );
            });
          },
        );
        r.on("error", reject);
        if (body !== undefined) r.write(body);
        r.end();
      });
    },
  });
}

function wrap(cluster: TestCluster): SharedCluster {
  const kubectlPath = oraclePaths().kubectl;
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: cluster.dir,
    ...cluster.env(),
    ...extra,
  });
  const shared: SharedCluster = {
    kubeconfig: cluster.kubeconfig,
    server: cluster.server,
    tokens: cluster.tokens,
    ca: cluster.ca,
    cluster,
    env,
    endpoint: (user = "admin") => cluster.endpoint(user),
    kubeConfig(context = "admin") {
      const kc = new KubeConfig();
      kc.loadFromFile(cluster.kubeconfig);
      kc.setCurrentContext(context);
      return kc;
    },
    api(type, context = "admin") {
      const kc = shared.kubeConfig(context);
      const server = kc.getCurrentCluster()?.server ?? cluster.server;
      return new type(
        createConfiguration({
          baseServer: new ServerConfiguration(server, {}),
          authMethods: { default: kc },
          httpApi: nodeHttpsLibrary(cluster.ca),
        }),
      );
    },
    kubectl: (args, opts = {}) =>
      run(kubectlPath, ["--kubeconfig", cluster.kubeconfig, "--context", opts.context ?? "admin", ...args], {
        env: env(),
        input: opts.input,
        timeoutMs: opts.timeoutMs,
      }),
    async createNamespace(prefix, opts = {}) {
      if (opts.fakeKubelet)
        await cluster.startFakeKubelet(cluster.fakeKubeletMode === "all" ? "all" : "labelled");
      const name = `${prefix}-${randomBytes(3).toString("hex")}`;
      const labels = {
        ...(opts.labels ?? {}),
        ...(opts.fakeKubelet ? { [FAKE_KUBELET_LABEL]: "true" } : {}),
      };
      await kubeJson(cluster.endpoint(), "POST", "/api/v1/namespaces", {
        body: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } },
      });
      return name;
    },
    async deleteNamespace(name) {
      const res = await kubeRequest(
        cluster.endpoint(),
        "DELETE",
        `/api/v1/namespaces/${encodeURIComponent(name)}`,
      );
      if (res.status !== 200 && res.status !== 202 && res.status !== 404) {
        throw new Error(`delete namespace ${name}: HTTP ${res.status} ${res.body}`);
      }
    },
    enableFakeKubelet: () => cluster.startFakeKubelet(cluster.fakeKubeletMode === "all" ? "all" : "labelled"),
    async stop() {
      if (current) current = undefined;
      await cluster.stop();
    },
  };
  return shared;
}

async function start(): Promise<SharedCluster> {
  const cluster = await startCluster();
  const shared = wrap(cluster);
  // Record the versions under test in the output (test-cluster.md section 8).
  const { helm } = oraclePaths();
  const kubectlVersion = await shared.kubectl(["version", "-o", "json"]);
  const helmVersion = await run(helm, ["version", "--short"], { env: shared.env() });
  let kubectl = "?";
  try {
    kubectl = (JSON.parse(kubectlVersion.stdout) as { clientVersion: { gitVersion: string } }).clientVersion
      .gitVersion;
  } catch {
    kubectl = kubectlVersion.stderr.trim();
  }
  process.stderr.write(
    `[test-cluster] versions: kube-apiserver ${cluster.versions.kubeApiserver}, etcd ${cluster.versions.etcd}, ` +
      `kubectl ${kubectl}, helm ${helmVersion.stdout.trim()}\n`,
  );
  return shared;
}

/**
 * The process-wide control plane, started on first use and stopped at process exit.
 * `fakeKubelet: true` also makes sure the fake kubelet process runs.
 */
export async function sharedCluster(opts: { fakeKubelet?: boolean } = {}): Promise<SharedCluster> {
  if (!current) {
    const p = start();
    current = p;
    // A failed start is reported to every caller once, then the next call tries again.
    p.catch(() => {
      if (current === p) current = undefined;
    });
  }
  const shared = await current;
  if (shared.cluster.isStopped) {
    current = undefined;
    return sharedCluster(opts);
  }
  if (opts.fakeKubelet) await shared.enableFakeKubelet();
  return shared;
}
