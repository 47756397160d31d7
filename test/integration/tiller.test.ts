/**
 * `helm tiller serve` as a real process on the real API server: release commands through it give
 * what embedded mode gives; callers are authenticated (bearer token → TokenReview, or an mTLS
 * client certificate) and act with their own RBAC rights (impersonation); Helm 2's wire protocol
 * is spoken (checked with a client built here from the hapi field numbers, independently of our
 * generated code); bad requests get clean errors and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { HELM_TS, helmTs, type RunResult } from "../support/binary.ts";
import { makeCertificates } from "../support/certs.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { HAPI } from "../support/hapi-wire.ts";
import { isolatedHelmEnv } from "../support/oracle.ts";
import { openGate, upgradeGate } from "../support/release-charts.ts";
import { startTillerProcess, type TillerProcess } from "../support/tiller.ts";

let c: SharedCluster;
let work: string;
let certs: string;
const servers: ChildProcess[] = [];

beforeAll(async () => {
  c = await sharedCluster();
  work = mkdtempSync(join(tmpdir(), "helmts-tiller-"));
  certs = join(work, "certs");
  mkdirSync(certs);
  makeCertificates(certs, "/CN=cert-admin/O=system:masters");
  mkdirSync(join(work, "other-ca"));
  makeCertificates(join(work, "other-ca"));
}, CLUSTER_TIMEOUT_MS);

afterAll(() => {
  for (const s of servers) s.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

type Tiller = TillerProcess;

/** Start `helm tiller serve` as the helm-server identity; resolves once it listens. */
async function serve(args: string[]): Promise<Tiller> {
  const t = await startTillerProcess(args, c.env(isolatedHelmEnv(join(work, "server-home"))));
  servers.push(t.proc);
  return t;
}

let charts = 0;
function chart(templates: Record<string, string>, values = ""): string {
  const dir = join(work, `chart-${charts++}`, "app");
  const files: Record<string, string> = {
    "Chart.yaml": 'apiVersion: v2\nname: app\nversion: 0.1.0\nappVersion: "1.0"\n',
    "values.yaml": values,
    ...Object.fromEntries(Object.entries(templates).map(([k, v]) => [`templates/${k}`, v])),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const cm = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "{{ .Values.a | default 1 }}"\n  big: "{{ .Values.big | default 0 }}"\n`;

function clientEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return c.env({
    ...isolatedHelmEnv(join(work, "client-home")),
    TILLER_HOST: `localhost:${port}`,
    HELM_TLS_ENABLE: "true",
    HELM_TLS_CA_CERT: join(certs, "ca.crt"),
    ...extra,
  });
}

async function records(ns: string): Promise<string[]> {
  const r = await c.kubectl(["get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name"]);
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("release commands through a real Tiller", () => {
  let tiller: Tiller;
  beforeAll(async () => {
    tiller = await serve([
      "--tls",
      "--tls-cert",
      join(certs, "server.crt"),
      "--tls-key",
      join(certs, "server.key"),
    ]);
  });

  test("install, upgrade, rollback, test and uninstall give what embedded mode gives", async () => {
    const embeddedNs = await c.createNamespace("tiller-emb", { fakeKubelet: true });
    const remoteNs = await c.createNamespace("tiller-rem", { fakeKubelet: true });
    const testHook = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ .Release.Name }}-t"\n  annotations:\n    helm.sh/hook: test\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: busybox}]\n`;
    const app = chart({
      "a.yaml": cm("{{ .Release.Name }}-cfg"),
      "t.yaml": testHook,
      "NOTES.txt": "a={{ .Values.a }}",
    });
    const mask = (r: RunResult, ns: string) => ({
      status: r.status,
      stdout: r.stdout
        .replace(/(LAST DEPLOYED|Last Started|Last Completed): +.*$/gm, "$1: <t>")
        .replaceAll(ns, "<ns>"),
      stderr: r.stderr.replaceAll(ns, "<ns>"),
    });
    const embedded = isolatedHelmEnv(join(work, "emb-home"));
    for (const args of [
      ["install", "web", app, "--set", "a=2", "--set", "big=12345678"],
      ["upgrade", "web", app, "--set", "a=3"],
      ["upgrade", "--install", "web", app, "--reuse-values", "--set", "b=1"],
      ["rollback", "web", "1"],
      ["test", "web"],
      ["upgrade", "missing", app],
      ["uninstall", "web"],
      ["uninstall", "web"],
    ]) {
      const local = helmTs([...args, "-n", embeddedNs], c.env(embedded));
      const remote = helmTs([...args, "-n", remoteNs], clientEnv(tiller.port));
      expect({ args, ...mask(remote, remoteNs) }).toEqual({ args, ...mask(local, embeddedNs) });
    }
  });

  test("a user without rights is refused by RBAC, acting as themselves; nothing is written", async () => {
    const ns = await c.createNamespace("tiller-rbac");
    const r = helmTs(
      ["install", "x", chart({ "a.yaml": cm("c") }), "-n", ns, "--kube-context", "alice"],
      clientEnv(tiller.port),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Error: INSTALLATION FAILED: .*User "alice" cannot .+\n$/);
    expect(await records(ns)).toEqual([]);
  });

  test("callers without credentials are refused (UNAUTHENTICATED); a wrong CA is refused", async () => {
    const r = helmTs(
      ["install", "x", chart({ "a.yaml": cm("c") }), "-n", "default"],
      clientEnv(tiller.port, { KUBECONFIG: join(work, "no-such-kubeconfig") }),
    );
    expect(r.stderr).toBe(
      "Error: INSTALLATION FAILED: no credentials: send a bearer token (authorization metadata) or a client certificate\n",
    );
    const wrongCa = helmTs(["install", "x", chart({ "a.yaml": cm("c") }), "-n", "default"], {
      ...clientEnv(tiller.port),
      HELM_TLS_CA_CERT: join(work, "other-ca", "ca.crt"),
    });
    expect(wrongCa.status).toBe(1);
    expect(wrongCa.stderr).toStartWith(
      `Error: INSTALLATION FAILED: cannot reach Tiller at localhost:${tiller.port}:`,
    );
  });

  test("probes answer and /metrics counts calls per method", async () => {
    const live = await fetch(`http://127.0.0.1:${tiller.probePort}/liveness`);
    expect(live.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${tiller.probePort}/metrics`)).text();
    expect(metrics).toMatch(/^helmts_tiller_requests_total\{method="Call",code="OK"\} \d+$/m);
    expect(metrics).toMatch(/^helmts_tiller_requests_total\{method="Call",code="UNAUTHENTICATED"\} \d+$/m);
  });
});

describe("mutual TLS", () => {
  test("a verified client certificate is the caller's identity; other certificates are refused", async () => {
    const tiller = await serve([
      "--tls-verify",
      "--tls-cert",
      join(certs, "server.crt"),
      "--tls-key",
      join(certs, "server.key"),
      "--tls-ca-cert",
      join(certs, "ca.crt"),
    ]);
    const ns = await c.createNamespace("tiller-mtls");
    const certEnv = {
      KUBECONFIG: join(work, "no-such-kubeconfig"),
      HELM_TLS_VERIFY: "true",
      HELM_TLS_CERT: join(certs, "client.crt"),
      HELM_TLS_KEY: join(certs, "client.key"),
    };
    const ok = helmTs(
      ["install", "m", chart({ "a.yaml": cm("m") }), "-n", ns],
      clientEnv(tiller.port, certEnv),
    );
    expect(ok.stderr).toBe("");
    expect(await records(ns)).toEqual(["secret/sh.helm.release.v1.m.v1"]);
    const stranger = helmTs(["install", "n", chart({ "a.yaml": cm("n") }), "-n", ns], {
      ...clientEnv(tiller.port, certEnv),
      HELM_TLS_CERT: join(work, "other-ca", "client.crt"),
      HELM_TLS_KEY: join(work, "other-ca", "client.key"),
    });
    expect(stranger.status).toBe(1);
    expect(await records(ns)).toEqual(["secret/sh.helm.release.v1.m.v1"]);
  });

  test("plain text without --insecure is refused at start", () => {
    const r = helmTs(["tiller", "serve", "--listen", "127.0.0.1:0"], c.env());
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "Error: refusing to serve plain text without authentication: use --tls/--tls-verify, or --insecure for local experiments\n",
    );
  });
});

function hapiClient(port: number, token?: string, clientVersion = "v2.17.0") {
  const m = (name: string, req: string, res: string, stream = false) => {
    const Req = HAPI.lookupType(req);
    const Res = HAPI.lookupType(res);
    return {
      path: `/hapi.services.tiller.ReleaseService/${name}`,
      requestStream: false,
      responseStream: stream,
      requestSerialize: (v: object | Buffer) =>
        Buffer.isBuffer(v) ? v : Buffer.from(Req.encode(Req.fromObject(v)).finish()),
      requestDeserialize: (b: Buffer) => Req.decode(b),
      responseSerialize: (v: object) => Buffer.from(Res.encode(v).finish()),
      responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b), { longs: Number, defaults: true }),
    };
  };
  const Client = grpc.makeGenericClientConstructor(
    {
      GetVersion: m("GetVersion", "GetVersionRequest", "GetVersionResponse"),
      InstallRelease: m("InstallRelease", "InstallReleaseRequest", "InstallReleaseResponse"),
      ListReleases: m("ListReleases", "ListReleasesRequest", "ListReleasesResponse", true),
      GetHistory: m("GetHistory", "GetHistoryRequest", "GetHistoryResponse"),
    },
    "ReleaseService",
  );
  const client = new Client(
    `localhost:${port}`,
    grpc.credentials.createSsl(readFileSync(join(certs, "ca.crt"))),
  ) as unknown as Record<string, (...a: unknown[]) => unknown> & grpc.Client;
  const md = () => {
    const meta = new grpc.Metadata();
    meta.set("x-helm-api-client", clientVersion);
    if (token) meta.set("authorization", `Bearer ${token}`);
    return meta;
  };
  const unary = (name: string, req: object | Buffer) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      client[name]!(req, md(), (err: grpc.ServiceError | null, res: Record<string, unknown>) =>
        err ? reject(err) : resolve(res),
      ),
    );
  const stream = (name: string, req: object) =>
    new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const out: Record<string, unknown>[] = [];
      const call = client[name]!(req, md()) as grpc.ClientReadableStream<Record<string, unknown>>;
      call.on("data", (d) => out.push(d));
      call.on("error", reject);
      call.on("end", () => resolve(out));
    });
  return { unary, stream, close: () => client.close() };
}

describe("Helm 2 wire compatibility", () => {
  test("a client built from hapi field numbers installs, lists and reads history", async () => {
    const tiller = await serve([
      "--tls",
      "--tls-cert",
      join(certs, "server.crt"),
      "--tls-key",
      join(certs, "server.key"),
    ]);
    const ns = await c.createNamespace("tiller-hapi");
    const hc = hapiClient(tiller.port, c.tokens.admin);
    try {
      const v = await hc.unary("GetVersion", {});
      expect((v.Version as { sem_ver: string }).sem_ver).toStartWith("v2.17.0+helmts.");
      const installed = await hc.unary("InstallRelease", {
        name: "h2",
        namespace: ns,
        chart: {
          metadata: { name: "legacy", version: "1.2.3", apiVersion: "v1" },
          templates: [{ name: "templates/cm.yaml", data: Buffer.from(cm("{{ .Release.Name }}-legacy")) }],
          values: { raw: "a: 7\n" },
          files: [{ type_url: "README.md", value: Buffer.from("hi") }],
        },
        values: { raw: "big: 99\n" },
      });
      const rel = installed.release as {
        name: string;
        version: number;
        info: { status: { code: number } };
        manifest: string;
      };
      expect([rel.name, rel.version, rel.info.status.code]).toEqual(["h2", 1, 1]);
      expect(rel.manifest).toContain('a: "7"\n  big: "99"');
      const live = await c.kubectl(["get", "configmap", "h2-legacy", "-n", ns, "-o", "jsonpath={.data.a}"]);
      expect(live.stdout).toBe("7");
      const pages = await hc.stream("ListReleases", { namespace: ns, status_codes: [1] });
      expect(pages.flatMap((p) => (p.releases as { name: string }[]).map((r) => r.name))).toEqual(["h2"]);
      const hist = await hc.unary("GetHistory", { name: "h2", max: 10 });
      expect((hist.releases as { version: number }[]).map((r) => r.version)).toEqual([1]);
    } finally {
      hc.close();
    }
  });

  test("bad requests get clean gRPC errors and the server keeps serving", async () => {
    const tiller = await serve([
      "--tls",
      "--tls-cert",
      join(certs, "server.crt"),
      "--tls-key",
      join(certs, "server.key"),
    ]);
    const noToken = hapiClient(tiller.port);
    const hc = hapiClient(tiller.port, c.tokens.admin);
    try {
      await expect(noToken.unary("GetVersion", {})).rejects.toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
      });
      const badToken = hapiClient(tiller.port, "not-a-token");
      await expect(badToken.unary("GetVersion", {})).rejects.toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
      });
      badToken.close();
      await expect(
        hc.unary("InstallRelease", Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01])),
      ).rejects.toHaveProperty("code");
      const hostile = hc.unary("InstallRelease", {
        name: "evil",
        namespace: "default",
        chart: {
          metadata: { name: "evil", version: "1.0.0", apiVersion: "v2" },
          templates: [{ name: "templates/../../etc/passwd", data: Buffer.from("x") }],
        },
      });
      await expect(hostile).rejects.toMatchObject({ details: expect.stringContaining("is not allowed") });
      const badName = hc.unary("InstallRelease", {
        name: "Bad_Name",
        namespace: "default",
        chart: { metadata: { name: "ok", version: "1.0.0", apiVersion: "v2" }, templates: [] },
      });
      await expect(badName).rejects.toMatchObject({
        details: expect.stringContaining("invalid release name"),
      });
      const old = hapiClient(tiller.port, c.tokens.admin, "v2.16.1");
      await expect(old.unary("GetVersion", {})).rejects.toMatchObject({
        code: grpc.status.FAILED_PRECONDITION,
        details: expect.stringMatching(
          /^incompatible versions client\[v2\.16\.1\] server\[v2\.17\.0\+helmts\..+\]$/,
        ),
      });
      old.close();
      // Still serving.
      expect(((await hc.unary("GetVersion", {})).Version as { sem_ver: string }).sem_ver).toStartWith(
        "v2.17.0",
      );
    } finally {
      hc.close();
      noToken.close();
    }
  });
});

describe("helm init and helm reset", () => {
  test("init installs valid least-privilege manifests (the API server accepts them); reset removes them", async () => {
    const ns = await c.createNamespace("tiller-init");
    const tlsArgs = [
      "--tiller-tls",
      "--tiller-tls-cert",
      join(certs, "server.crt"),
      "--tiller-tls-key",
      join(certs, "server.key"),
    ];
    const dry = helmTs(["init", "--tiller-namespace", ns, ...tlsArgs, "--dry-run", "-o", "yaml"], c.env());
    expect(dry.status).toBe(0);
    const serverDryRun = await c.kubectl(["apply", "--dry-run=server", "-f", "-"], { input: dry.stdout });
    expect(serverDryRun.code).toBe(0);
    expect(dry.stdout).toContain("kind: ClusterRole");
    expect(dry.stdout).not.toContain("secrets"); // no rights on release storage: callers act as themselves
    const init = helmTs(["init", "--tiller-namespace", ns, ...tlsArgs, "--replicas", "2"], c.env());
    expect(init.stdout).toBe(
      `Tiller (the Helm server-side component) has been installed into your Kubernetes Cluster (namespace ${ns}).\n`,
    );
    const deploy = await c.kubectl([
      "get",
      "deployment",
      "tiller-deploy",
      "-n",
      ns,
      "-o",
      "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].args}",
    ]);
    expect(deploy.stdout).toStartWith('2 ["tiller","serve","--listen=:44134"');
    expect(helmTs(["init", "--tiller-namespace", ns, ...tlsArgs], c.env()).stdout).toStartWith(
      "Warning: Tiller is already installed in the cluster.",
    );
    expect(helmTs(["init", "--tiller-namespace", ns], c.env()).stderr).toBe(
      "Error: helm init needs --tiller-tls (with --tiller-tls-cert and --tiller-tls-key), or --insecure\n",
    );
    const reset = helmTs(["reset", "--tiller-namespace", ns], c.env());
    expect(reset.stdout).toBe(
      "Tiller (the Helm server-side component) has been uninstalled from your Kubernetes Cluster.\n",
    );
    const gone = await c.kubectl([
      "get",
      "deployment,service,serviceaccount,secret",
      "-n",
      ns,
      "-l",
      "name=tiller",
      "-o",
      "name",
    ]);
    expect(gone.stdout.trim()).toBe("");
  });
});

describe("faults and scale-out", () => {
  const tlsArgs = () => [
    "--tls",
    "--tls-cert",
    join(certs, "server.crt"),
    "--tls-key",
    join(certs, "server.key"),
  ];
  const slowDeploy = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: slow\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: slow}}\n  template:\n    metadata: {labels: {app: slow}}\n    spec: {containers: [{name: c, image: "busybox:{{ .Values.tag | default 1 }}"}]}\n`;

  test("helm version shows the server's version", async () => {
    const tiller = await serve(tlsArgs());
    const v = helmTs(["version"], clientEnv(tiller.port));
    expect(v.stdout).toMatch(
      /^version\.BuildInfo\{.*\}\nServer: &version\.Version\{SemVer:"v2\.17\.0\+helmts\.[^"]+", GitCommit:"\w*", GitTreeState:"\w*"\}\n$/,
    );
  });

  test("Tiller killed mid-upgrade and restarted: the next operation recovers the release", async () => {
    const ns = await c.createNamespace("tiller-kill");
    const app = chart({ "d.yaml": slowDeploy });
    const first = await serve(tlsArgs());
    expect(helmTs(["install", "k", app, "-n", ns], clientEnv(first.port)).status).toBe(0);
    const upgrade = spawn(
      HELM_TS,
      ["upgrade", "k", app, "--set", "tag=2", "--wait", "--timeout", "5m", "-n", ns],
      {
        env: clientEnv(first.port),
      },
    );
    const status = async () =>
      (
        await c.kubectl([
          "get",
          "secrets",
          "-n",
          ns,
          "-l",
          "owner=helm,name=k",
          "-o",
          "jsonpath={.items[*].metadata.labels.status}",
        ])
      ).stdout;
    for (let i = 0; i < 100 && !(await status()).includes("pending-upgrade"); i++) await Bun.sleep(100);
    expect(await status()).toContain("pending-upgrade");
    first.proc.kill("SIGKILL");
    await new Promise((r) => upgrade.on("close", r));
    const second = await serve(tlsArgs());
    const next = helmTs(["upgrade", "k", app, "--set", "tag=3", "-n", ns], clientEnv(second.port));
    expect(next.status).toBe(0);
    expect((await status()).split(" ").sort()).toEqual(["deployed", "failed", "superseded"]);
  });

  test("two replicas, two clients upgrading one release at once: one wins, the other gets a clear conflict", async () => {
    const ns = await c.createNamespace("tiller-race");
    const app = chart({ "a.yaml": cm("cfg"), "gate.yaml": upgradeGate });
    const [a, b] = await Promise.all([serve(tlsArgs()), serve(tlsArgs())]);
    expect(helmTs(["install", "race", app, "-n", ns], clientEnv(a.port)).status).toBe(0);
    const first = spawn(HELM_TS, ["upgrade", "race", app, "--set", "a=1", "-n", ns], {
      env: clientEnv(a.port),
    });
    const firstDone = new Promise<number>((resolve) => first.on("close", (code) => resolve(code ?? -1)));
    const gateUp = async () => (await c.kubectl(["get", "pod", "gate", "-n", ns])).code === 0;
    for (let i = 0; i < 200 && !(await gateUp()); i++) await Bun.sleep(50);
    const second = helmTs(["upgrade", "race", app, "--set", "a=2", "-n", ns], clientEnv(b.port));
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      /^Error: UPGRADE FAILED: another operation on release "race" is in progress/,
    );
    expect((await c.kubectl(openGate(ns))).code).toBe(0);
    expect(await firstDone).toBe(0);
    expect(await records(ns)).toEqual([
      "secret/sh.helm.release.v1.race.v1",
      "secret/sh.helm.release.v1.race.v2",
    ]);
  });
});
