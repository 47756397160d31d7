/**
 * `--tiller-namespace` / TILLER_NAMESPACE without `--host`: the client finds the Tiller pod
 * (labels app=helm,name=tiller, Running and Ready) and reaches it by a port-forward through the real
 * API server (WebSocket, v4.channel.k8s.io), as Helm 2's client did. The "pod" is a Pod object bound
 * to the fake kubelet's Node, whose port-forward leads to a real `build/helm tiller serve` process.
 *
 * Not checked with `kubectl port-forward`: kubectl 1.34 sends SPDY tunnelled in a WebSocket
 * (`SPDY/3.1+portforward.k8s.io`), which the API server turns into SPDY towards the kubelet, and the
 * fake kubelet speaks only the kubelet's WebSocket protocol (SPDY is out of scope): tried by hand,
 * `kubectl port-forward pod/p 0:44134` against the fake node ends with "error upgrading
 * connection: unable to upgrade connection: Invalid HTTP method" (the SPDY POST is refused).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FAKE_NODE_NAME, FORWARD_HANG_ANNOTATION, FORWARD_TO_ANNOTATION } from "../cluster/fake-node.ts";
import { freePorts } from "../cluster/harness.ts";
import { kubeJson } from "../cluster/kube-http.ts";
import { helmTs, type RunResult } from "../support/binary.ts";
import { makeCertificates } from "../support/certs.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { isolatedHelmEnv } from "../support/oracle.ts";
import { startTillerProcess, type TillerProcess } from "../support/tiller.ts";

let c: SharedCluster;
let work: string;
let tiller: TillerProcess;
let tillerNs: string;

/** A Tiller Pod object on the fake node; its port-forward reaches `annotations`' target. */
async function tillerPod(ns: string, annotations: Record<string, string>): Promise<void> {
  await kubeJson(c.endpoint(), "POST", `/api/v1/namespaces/${ns}/pods`, {
    body: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "tiller-deploy-abc12", labels: { app: "helm", name: "tiller" }, annotations },
      spec: { nodeName: FAKE_NODE_NAME, containers: [{ name: "tiller", image: "helm-ts" }] },
    },
  });
}

async function waitRunning(ns: string): Promise<void> {
  const r = await c.kubectl([
    "wait",
    "-n",
    ns,
    "pod/tiller-deploy-abc12",
    "--for=condition=Ready",
    "--timeout=60s",
  ]);
  if (r.code !== 0) throw new Error(`tiller pod not ready: ${r.stderr}`);
}

function clientEnv(extra: Record<string, string> = {}): Record<string, string> {
  return c.env({
    ...isolatedHelmEnv(join(work, "client-home")),
    HELM_TLS_ENABLE: "true",
    HELM_TLS_CA_CERT: join(work, "certs", "ca.crt"),
    ...extra,
  });
}

/** Calls the Tiller process has answered (its /metrics). */
async function tillerCalls(): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${tiller.probePort}/metrics`)).text();
  const m = /^helmts_tiller_requests_total\{method="Call",code="OK"\} (\d+)$/m.exec(metrics);
  return Number(m?.[1] ?? 0);
}

const chartDir = () => join(work, "app");

beforeAll(async () => {
  c = await sharedCluster({ fakeKubelet: true });
  work = mkdtempSync(join(tmpdir(), "helmts-tunnel-"));
  mkdirSync(join(work, "certs"));
  makeCertificates(join(work, "certs"));
  mkdirSync(join(chartDir(), "templates"), { recursive: true });
  writeFileSync(join(chartDir(), "Chart.yaml"), "apiVersion: v2\nname: app\nversion: 0.1.0\n");
  writeFileSync(join(chartDir(), "values.yaml"), "a: 1\n");
  writeFileSync(
    join(chartDir(), "templates", "cm.yaml"),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}-cfg"\ndata:\n  a: "{{ .Values.a }}"\n',
  );
  writeFileSync(join(chartDir(), "templates", "NOTES.txt"), "a={{ .Values.a }}\n");
  tiller = await startTillerProcess(
    [
      "--tls",
      "--tls-cert",
      join(work, "certs", "server.crt"),
      "--tls-key",
      join(work, "certs", "server.key"),
    ],
    c.env(isolatedHelmEnv(join(work, "server-home"))),
  );
  tillerNs = await c.createNamespace("tiller-pf", { fakeKubelet: true });
  await tillerPod(tillerNs, { [FORWARD_TO_ANNOTATION]: `127.0.0.1:${tiller.port}` });
  await waitRunning(tillerNs);
}, CLUSTER_TIMEOUT_MS);

afterAll(() => {
  tiller?.proc.kill("SIGKILL");
  if (work) rmSync(work, { recursive: true, force: true });
});

const mask = (r: RunResult, ns: string) => ({
  status: r.status,
  stdout: r.stdout
    .replace(/(LAST DEPLOYED|Updated): +.*$/gm, "$1: <t>")
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC/g, "<t>")
    .replace(/\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}/g, "<t>")
    .replace(/ \d+[smhd]$/gm, " <age>")
    .replaceAll(ns, "<ns>")
    // Column widths follow the masked values (a time's fraction has as many digits as it needs).
    .replace(/ +(\t|$)/gm, "$1"),
  stderr: r.stderr.replaceAll(ns, "<ns>"),
});

describe("release commands through a port-forward to the Tiller pod", () => {
  test("install, list, status, upgrade and uninstall give what embedded mode gives", async () => {
    const embeddedNs = await c.createNamespace("pf-emb");
    const remoteNs = await c.createNamespace("pf-rem");
    const embedded = c.env(isolatedHelmEnv(join(work, "emb-home")));
    const callsBefore = await tillerCalls();
    for (const args of [
      ["install", "web", chartDir(), "--set", "a=2"],
      ["list"],
      ["status", "web"],
      ["upgrade", "web", chartDir(), "--set", "a=3"],
      ["history", "web"],
      ["upgrade", "missing", chartDir()],
      ["uninstall", "web"],
      ["status", "web"],
    ]) {
      const local = helmTs([...args, "-n", embeddedNs], embedded);
      const remote = helmTs([...args, "-n", remoteNs, "--tiller-namespace", tillerNs], clientEnv());
      expect({ args, ...mask(remote, remoteNs) }).toEqual({ args, ...mask(local, embeddedNs) });
    }
    // The work was done by the Tiller process, not in the client (six of the eight succeed).
    expect(await tillerCalls()).toBeGreaterThanOrEqual(callsBefore + 6);
  });

  test("TILLER_NAMESPACE does what the flag does; helm version shows the server", async () => {
    const ns = await c.createNamespace("pf-env");
    const env = clientEnv({ TILLER_NAMESPACE: tillerNs });
    const install = helmTs(["install", "e", chartDir(), "-n", ns], env);
    expect(install.stderr).toBe("");
    expect(install.stdout).toContain("STATUS: deployed");
    const list = helmTs(["list", "-n", ns, "-q"], env);
    expect(list.stdout).toBe("e\n");
    const version = helmTs(["version"], env);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/\nServer: &version\.Version\{SemVer:"v[^"]+", /);
  });
});

describe("port-forward failures are one clear line", () => {
  test("no Tiller pod: could not find tiller", async () => {
    const ns = await c.createNamespace("pf-none");
    const r = helmTs(["list", "--tiller-namespace", ns], clientEnv());
    expect(r).toMatchObject({ status: 1, stdout: "", stderr: "Error: could not find tiller\n" });
  });

  test("a Tiller pod that is not running: could not find a ready tiller pod", async () => {
    const ns = await c.createNamespace("pf-pending"); // no fake kubelet: the pod stays Pending
    await tillerPod(ns, { [FORWARD_TO_ANNOTATION]: `127.0.0.1:${tiller.port}` });
    const r = helmTs(["list", "--tiller-namespace", ns], clientEnv());
    expect(r).toMatchObject({ status: 1, stdout: "", stderr: "Error: could not find a ready tiller pod\n" });
  });

  test("a user who may see pods but not port-forward is refused by RBAC", async () => {
    const role = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "pod-reader" },
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
    };
    const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${tillerNs}`;
    await kubeJson(c.endpoint(), "POST", `${rbac}/roles`, { body: role });
    await kubeJson(c.endpoint(), "POST", `${rbac}/rolebindings`, {
      body: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "alice-pod-reader" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice" }],
      },
    });
    const r = helmTs(["list", "--tiller-namespace", tillerNs, "--kube-context", "alice"], clientEnv());
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^Error: cannot forward to pod ${tillerNs}/tiller-deploy-abc12 port 44134: pods "tiller-deploy-abc12" is forbidden: User "alice" cannot \\w+ resource "pods/portforward" in API group "" in the namespace "${tillerNs}"\\n$`,
      ),
    );
  });

  test("a Tiller pod whose port refuses: the kubelet's reason, in one line", async () => {
    const ns = await c.createNamespace("pf-refused", { fakeKubelet: true });
    const [closed] = await freePorts(1);
    await tillerPod(ns, { [FORWARD_TO_ANNOTATION]: `127.0.0.1:${closed}` });
    await waitRunning(ns);
    const r = helmTs(["list", "--tiller-namespace", ns], clientEnv());
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      new RegExp(
        `^Error: cannot reach Tiller at pod ${ns}/tiller-deploy-abc12 \\(port-forward\\): error forwarding port 44134 to pod tiller-deploy-abc12: .*ECONNREFUSED.*\\n$`,
      ),
    );
  });

  test("a forward that never answers times out after --tiller-connection-timeout", async () => {
    const ns = await c.createNamespace("pf-hang", { fakeKubelet: true });
    await tillerPod(ns, { [FORWARD_HANG_ANNOTATION]: "true" });
    await waitRunning(ns);
    const t0 = Date.now();
    const r = helmTs(["list", "--tiller-namespace", ns, "--tiller-connection-timeout", "2"], clientEnv());
    const seconds = (Date.now() - t0) / 1000;
    expect(r).toMatchObject({
      status: 1,
      stdout: "",
      stderr: `Error: cannot forward to pod ${ns}/tiller-deploy-abc12 port 44134: no answer through the API server within 2 s\n`,
    });
    expect(seconds).toBeLessThan(15);
  });
});
