/**
 * Release lifecycle on the real API server with the compiled binary: install, upgrade, rollback
 * and uninstall; interop with real Helm v4.1.4 both ways; hooks, CRDs, ownership conflicts,
 * --atomic, --wait timeouts, concurrent operations, a SIGKILLed upgrade, and a user without rights.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { HELM_TS, helmTs, type RunResult, runExe } from "../support/binary.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";
import { openGate, upgradeGate } from "../support/release-charts.ts";

let c: SharedCluster;
let work: string;

beforeAll(async () => {
  c = await sharedCluster();
  work = mkdtempSync(join(tmpdir(), "helmts-releases-"));
}, CLUSTER_TIMEOUT_MS);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

interface ChartSpec {
  name?: string;
  version?: string;
  templates: Record<string, string>;
  values?: string;
  crds?: Record<string, string>;
}

let charts = 0;
/** Write a chart directory and return its path. */
function chart(spec: ChartSpec): string {
  const dir = join(work, `chart-${charts++}`, spec.name ?? "app");
  const files: Record<string, string> = {
    "Chart.yaml": `apiVersion: v2\nname: ${spec.name ?? "app"}\nversion: ${spec.version ?? "0.1.0"}\nappVersion: "1.0"\n`,
    "values.yaml": spec.values ?? "",
    ...Object.fromEntries(Object.entries(spec.templates).map(([k, v]) => [`templates/${k}`, v])),
    ...Object.fromEntries(Object.entries(spec.crds ?? {}).map(([k, v]) => [`crds/${k}`, v])),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const cm = (name: string, data = 'a: "{{ .Values.a | default 1 }}"') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${data}\n`;

function env(): Record<string, string> {
  return c.env(isolatedHelmEnv(join(work, "home")));
}

function ours(args: string[], ns: string): RunResult {
  return helmTs([...args, "-n", ns], env());
}

function helm(args: string[], ns: string): RunResult {
  return runExe(oraclePaths().helm, [...args, "-n", ns], env());
}

interface HistoryRow {
  revision: number;
  status: string;
  description: string;
}

function history(ns: string, name: string): HistoryRow[] {
  const r = helm(["history", name, "-o", "json"], ns);
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as HistoryRow[]).map(({ revision, status, description }) => ({
    revision,
    status,
    description,
  }));
}

async function configMap(ns: string, name: string): Promise<Record<string, unknown> | undefined> {
  const r = await c.kubectl(["get", "configmap", name, "-n", ns, "-o", "json", "--show-managed-fields"]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined;
}

async function records(ns: string): Promise<string[]> {
  const r = await c.kubectl(["get", "secrets", "-n", ns, "-l", "owner=helm", "-o", "name"]);
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("release lifecycle against real Helm", () => {
  test("we install; real Helm lists, reads, upgrades and rolls back; we upgrade, roll back and uninstall", async () => {
    const ns = await c.createNamespace("rel-ours");
    const app = chart({
      templates: { "cm.yaml": cm("{{ .Release.Name }}-cfg"), "NOTES.txt": "hi {{ .Values.a }}" },
    });
    const install = ours(["install", "web", app, "--set", "a=5"], ns);
    expect(install.stderr).toBe("");
    expect(install.status).toBe(0);
    expect(install.stdout).toMatch(
      /^NAME: web\nLAST DEPLOYED: .+\nNAMESPACE: rel-ours-\w+\nSTATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\nTEST SUITE: None\nNOTES:\nhi 5\n$/,
    );
    const live = (await configMap(ns, "web-cfg")) as {
      data: Record<string, string>;
      metadata: {
        labels: Record<string, string>;
        annotations: Record<string, string>;
        managedFields: { manager: string }[];
      };
    };
    expect(live.data).toEqual({ a: "5" });
    expect(live.metadata.labels["app.kubernetes.io/managed-by"]).toBe("Helm");
    expect(live.metadata.annotations["meta.helm.sh/release-name"]).toBe("web");
    expect(live.metadata.annotations["meta.helm.sh/release-namespace"]).toBe(ns);
    expect(live.metadata.managedFields.map((f) => f.manager)).toContain("helm");

    const listed = JSON.parse(helm(["list", "-o", "json"], ns).stdout) as {
      name: string;
      status: string;
      chart: string;
    }[];
    expect(listed.map((r) => [r.name, r.status, r.chart])).toEqual([["web", "deployed", "app-0.1.0"]]);
    expect(helm(["get", "manifest", "web"], ns).stdout).toBe(
      `---\n# Source: app/templates/cm.yaml\n${cm("web-cfg", 'a: "5"')}\n`,
    );
    expect(JSON.parse(helm(["get", "values", "web", "-o", "json"], ns).stdout)).toEqual({ a: 5 });

    expect(helm(["upgrade", "web", app, "--set", "a=6"], ns).status).toBe(0);
    expect(ours(["upgrade", "web", app, "--set", "a=7"], ns).stdout).toStartWith(
      'Release "web" has been upgraded. Happy Helming!\nNAME: web\n',
    );
    expect(((await configMap(ns, "web-cfg")) as { data: Record<string, string> }).data).toEqual({ a: "7" });
    expect(ours(["rollback", "web", "1"], ns).stdout).toBe("Rollback was a success! Happy Helming!\n");
    expect(((await configMap(ns, "web-cfg")) as { data: Record<string, string> }).data).toEqual({ a: "5" });
    expect(helm(["rollback", "web", "3"], ns).status).toBe(0);
    expect(history(ns, "web")).toEqual([
      { revision: 1, status: "superseded", description: "Install complete" },
      { revision: 2, status: "superseded", description: "Upgrade complete" },
      { revision: 3, status: "superseded", description: "Upgrade complete" },
      { revision: 4, status: "superseded", description: "Rollback to 1" },
      { revision: 5, status: "deployed", description: "Rollback to 3" },
    ]);
    // No values given: the previous revision's are kept, as Helm does.
    expect(ours(["upgrade", "web", app], ns).status).toBe(0);
    expect(JSON.parse(helm(["get", "values", "web", "-o", "json"], ns).stdout)).toEqual({ a: 7 });

    const un = ours(["uninstall", "web"], ns);
    expect(un.stdout).toBe('release "web" uninstalled\n');
    expect(await configMap(ns, "web-cfg")).toBeUndefined();
    expect(await records(ns)).toEqual([]);
  });

  test("real Helm installs; we upgrade (--reuse-values), roll back and uninstall with --keep-history", async () => {
    const ns = await c.createNamespace("rel-theirs");
    const app = chart({
      templates: { "cm.yaml": cm("cfg", 'a: "{{ .Values.a }}-{{ .Values.b }}"') },
      values: "a: x\nb: z\n",
    });
    expect(helm(["install", "db", app, "--set", "a=1"], ns).status).toBe(0);
    const up = ours(["upgrade", "db", app, "--reuse-values", "--set", "b=2"], ns);
    expect(up.stderr).toBe("");
    expect(((await configMap(ns, "cfg")) as { data: Record<string, string> }).data).toEqual({ a: "1-2" });
    expect(ours(["rollback", "db"], ns).status).toBe(0);
    expect(((await configMap(ns, "cfg")) as { data: Record<string, string> }).data).toEqual({ a: "1-z" });
    expect(ours(["uninstall", "db", "--keep-history"], ns).status).toBe(0);
    expect(await configMap(ns, "cfg")).toBeUndefined();
    const all = JSON.parse(helm(["list", "--uninstalled", "-o", "json"], ns).stdout) as {
      name: string;
      status: string;
    }[];
    expect(all.map((r) => [r.name, r.status])).toEqual([["db", "uninstalled"]]);
    expect(history(ns, "db").map((r) => r.status)).toEqual(["superseded", "superseded", "uninstalled"]);
    // A kept-history name is re-usable by upgrade --install.
    const again = ours(["upgrade", "--install", "db", app], ns);
    expect(again.stdout).toStartWith('Release "db" does not exist. Installing it now.\nNAME: db\n');
    expect(history(ns, "db").at(-1)).toEqual({
      revision: 4,
      status: "deployed",
      description: "Install complete",
    });
  });
});

describe("what an upgrade changes", () => {
  test("objects dropped from the chart are deleted, unless annotated to be kept", async () => {
    const ns = await c.createNamespace("rel-drop");
    const keep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\n`;
    const v1 = chart({ templates: { "a.yaml": cm("one"), "b.yaml": cm("two"), "k.yaml": keep } });
    const v2 = chart({ templates: { "a.yaml": cm("one") } });
    expect(ours(["install", "r", v1], ns).status).toBe(0);
    expect(ours(["upgrade", "r", v2], ns).status).toBe(0);
    expect(await configMap(ns, "one")).toBeDefined();
    expect(await configMap(ns, "two")).toBeUndefined();
    expect(await configMap(ns, "kept")).toBeDefined();
  });

  test("--force-replace replaces objects whole; a plain upgrade keeps other managers' fields", async () => {
    const ns = await c.createNamespace("rel-replace");
    const app = chart({ templates: { "a.yaml": cm("one") } });
    expect(ours(["install", "r", app], ns).status).toBe(0);
    await c.kubectl([
      "patch",
      "configmap",
      "one",
      "-n",
      ns,
      "--type",
      "merge",
      "-p",
      '{"data":{"extra":"x"}}',
    ]);
    expect(ours(["upgrade", "r", app, "--set", "a=2"], ns).status).toBe(0);
    expect((await configMap(ns, "one"))?.data).toEqual({ a: "2", extra: "x" });
    const replaced = ours(["upgrade", "r", app, "--set", "a=3", "--force"], ns);
    expect(replaced.stderr).toBe("Flag --force has been deprecated, use --force-replace instead\n");
    expect(replaced.status).toBe(0);
    expect((await configMap(ns, "one"))?.data).toEqual({ a: "3" });
    expect(ours(["rollback", "r", "1", "--force-replace"], ns).status).toBe(0);
    expect((await configMap(ns, "one"))?.data).toEqual({ a: "1" });
    expect(history(ns, "r").map((h) => h.status)).toEqual([
      "superseded",
      "superseded",
      "superseded",
      "deployed",
    ]);
  });

  test("--post-renderer plugins rewrite what is applied and recorded; a remote Tiller refuses them", async () => {
    const ns = await c.createNamespace("rel-postrender");
    const plugins = join(work, "plugins");
    mkdirSync(join(plugins, "relabel"), { recursive: true });
    writeFileSync(
      join(plugins, "relabel", "plugin.yaml"),
      "apiVersion: v1\ntype: postrenderer/v1\nname: relabel\nversion: 0.1.0\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: sed\n      args: [s/one/renamed/]\n",
    );
    const app = chart({ templates: { "a.yaml": cm("one") } });
    const withPlugins = { ...env(), HELM_PLUGINS: plugins };
    const r = helmTs(["install", "r", app, "-n", ns, "--post-renderer", "relabel"], withPlugins);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(await configMap(ns, "renamed")).toBeDefined();
    expect(await configMap(ns, "one")).toBeUndefined();
    const manifest = helm(["get", "manifest", "r"], ns);
    expect(manifest.stdout).toContain("name: renamed");
    expect(manifest.stdout).not.toContain("postrenderer.helm.sh");
    const remote = helmTs(
      ["upgrade", "r", app, "-n", ns, "--post-renderer", "relabel", "--host", "127.0.0.1:9"],
      withPlugins,
    );
    expect(remote.stderr).toContain(
      "--post-renderer runs a plugin on this machine; it cannot be used with a remote Tiller (--host)",
    );
    expect(remote.status).toBe(1);
    const missing = helmTs(["upgrade", "r", app, "-n", ns, "--post-renderer", "nope"], withPlugins);
    expect(missing.stderr).toBe(
      'Error: invalid argument "nope" for "--post-renderer" flag: plugin: {Name:nope Type:postrenderer/v1} not found\n',
    );
  });

  test("an object owned by no release is refused with Helm's message and nothing is recorded", async () => {
    const ns = await c.createNamespace("rel-owner");
    await c.kubectl(["create", "configmap", "taken", "-n", ns]);
    const r = ours(["install", "r", chart({ templates: { "a.yaml": cm("taken") } })], ns);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `Error: INSTALLATION FAILED: Unable to continue with install: ConfigMap "taken" in namespace "${ns}" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "r"; annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "${ns}"\n`,
    );
    expect(await records(ns)).toEqual([]);
    // --take-ownership adopts it.
    expect(
      ours(["install", "r", chart({ templates: { "a.yaml": cm("taken") } }), "--take-ownership"], ns).status,
    ).toBe(0);
  });

  test("CRDs from crds/ are installed and established before the objects that use them", async () => {
    const ns = await c.createNamespace("rel-crd");
    const group = `${ns}.example.com`;
    const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.${group}\nspec:\n  group: ${group}\n  names: {kind: Widget, plural: widgets, singular: widget}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n`;
    const widget = `apiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n`;
    const r = ours(
      ["install", "w", chart({ templates: { "w.yaml": widget }, crds: { "crd.yaml": crd } })],
      ns,
    );
    expect(r.stderr).toBe("");
    const got = await c.kubectl(["get", `widgets.${group}`, "w1", "-n", ns, "-o", "jsonpath={.spec.size}"]);
    expect(got.stdout).toBe("3");
    await c.kubectl(["delete", "crd", `widgets.${group}`]);
  });
});

describe("hooks", () => {
  test("hooks run in weight order, are recorded, and hook-succeeded ones are deleted", async () => {
    const ns = await c.createNamespace("rel-hooks", { fakeKubelet: true });
    const hook = (name: string, weight: number, policy: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: "${weight}"\n    helm.sh/hook-delete-policy: ${policy}\n`;
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: post\n  annotations:\n    helm.sh/hook: post-install\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox\n`;
    const app = chart({
      templates: {
        "h1.yaml": hook("first", -1, "before-hook-creation"),
        "h2.yaml": hook("gone", 5, "hook-succeeded"),
        "p.yaml": pod,
        "a.yaml": cm("main"),
      },
    });
    const r = ours(["install", "h", app], ns);
    expect(r.stderr).toBe("");
    expect(await configMap(ns, "first")).toBeDefined();
    expect(await configMap(ns, "gone")).toBeUndefined();
    const phase = await c.kubectl(["get", "pod", "post", "-n", ns, "-o", "jsonpath={.status.phase}"]);
    expect(phase.stdout).toBe("Succeeded");
    const all = helm(["get", "hooks", "h"], ns).stdout;
    expect(all).toContain("# Source: app/templates/h1.yaml");
    // A second run recreates the before-hook-creation hook instead of failing on it.
    expect(ours(["upgrade", "h", app], ns).status).toBe(0);
  });

  test("a failing hook marks the release failed with the hook named", async () => {
    const ns = await c.createNamespace("rel-hookfail");
    const bad = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n  annotations:\n    helm.sh/hook: pre-install\n`;
    const r = ours(["install", "f", chart({ templates: { "bad.yaml": bad, "a.yaml": cm("x") } })], ns);
    expect(r.status).toBe(1);
    expect(r.stderr).toStartWith(
      "Error: INSTALLATION FAILED: pre-install hook app/templates/bad.yaml failed:",
    );
    expect(history(ns, "f").map((h) => h.status)).toEqual(["failed"]);
    expect(await configMap(ns, "x")).toBeUndefined();
  });
});

describe("failures", () => {
  test("--wait times out naming the object; --rollback-on-failure uninstalls", async () => {
    const ns = await c.createNamespace("rel-wait");
    const deploy = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-slow\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: slow}}\n  template:\n    metadata: {labels: {app: slow}}\n    spec: {containers: [{name: c, image: busybox}]}\n`;
    const app = chart({ templates: { "d.yaml": deploy } });
    const r = ours(["install", "s", app, "--wait", "--timeout", "2s"], ns);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^Error: INSTALLATION FAILED: timed out waiting for the condition: Deployment "s-slow" in namespace "rel-wait-\w+" not ready: .+\n$/,
    );
    expect(history(ns, "s").map((h) => h.status)).toEqual(["failed"]);
    const atomic = ours(["install", "t", app, "--rollback-on-failure", "--timeout", "2s"], ns);
    expect(atomic.status).toBe(1);
    expect(atomic.stderr).toContain(
      "release t failed, and has been uninstalled due to rollback-on-failure being set",
    );
    expect((await records(ns)).filter((n) => n.includes(".t."))).toEqual([]);
  });

  test("an upgrade rejected by the API server is recorded failed; --rollback-on-failure restores the previous revision", async () => {
    const ns = await c.createNamespace("rel-upfail");
    const good = chart({ templates: { "a.yaml": cm("cfg") } });
    const bad = chart({
      templates: {
        "a.yaml": cm("cfg"),
        "b.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports: [{port: 999999}]\n",
      },
    });
    expect(ours(["install", "u", good], ns).status).toBe(0);
    const r = ours(["upgrade", "u", bad], ns);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: UPGRADE FAILED: Service "svc" is invalid');
    expect(history(ns, "u").map((h) => h.status)).toEqual(["deployed", "failed"]);
    const rb = ours(["upgrade", "u", bad, "--rollback-on-failure"], ns);
    expect(rb.stderr).toContain("has been rolled back due to rollback-on-failure being set");
    expect(history(ns, "u").map((h) => [h.status, h.description])).toEqual([
      ["superseded", "Install complete"],
      ["failed", expect.stringContaining('Upgrade "u" failed')],
      ["failed", expect.stringContaining('Upgrade "u" failed')],
      ["deployed", "Rollback to 1"],
    ]);
  });

  test("a user without rights gets a clear forbidden error and nothing is written", async () => {
    const ns = await c.createNamespace("rel-rbac");
    const r = helmTs(
      ["install", "x", chart({ templates: { "a.yaml": cm("c") } }), "-n", ns, "--kube-context", "alice"],
      env(),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Error: INSTALLATION FAILED: .*forbidden: User "alice" cannot .+\n$/);
    expect(await records(ns)).toEqual([]);
    expect(await configMap(ns, "c")).toBeUndefined();
  });
});

describe("concurrency and crashes", () => {
  test("two concurrent upgrades: one proceeds, the other fails at once; history stays consistent", async () => {
    const ns = await c.createNamespace("rel-race");
    const app = chart({ templates: { "a.yaml": cm("cfg"), "gate.yaml": upgradeGate } });
    expect(ours(["install", "race", app], ns).status).toBe(0);
    // The first upgrade holds the release at its pre-upgrade hook until the test opens the gate.
    const first = spawn(HELM_TS, ["upgrade", "race", app, "--set", "a=1", "-n", ns], { env: env() });
    const firstDone = new Promise<number>((resolve) => first.on("close", (code) => resolve(code ?? -1)));
    const gateUp = async () => (await c.kubectl(["get", "pod", "gate", "-n", ns])).code === 0;
    for (let i = 0; i < 200 && !(await gateUp()); i++) await Bun.sleep(50);
    const started = Date.now();
    const second = ours(["upgrade", "race", app, "--set", "a=2"], ns);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      /^Error: UPGRADE FAILED: another operation on release "race" is in progress \(held by .+ since .+\); try again when it has finished\n$/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await c.kubectl(openGate(ns))).code).toBe(0);
    expect(await firstDone).toBe(0);
    expect(history(ns, "race").map((h) => [h.revision, h.status])).toEqual([
      [1, "superseded"],
      [2, "deployed"],
    ]);
  });

  test("an upgrade killed mid-way leaves no release stuck: the next command recovers it", async () => {
    const ns = await c.createNamespace("rel-kill");
    const deploy = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: slow\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: slow}}\n  template:\n    metadata: {labels: {app: slow}}\n    spec: {containers: [{name: c, image: "busybox:{{ .Values.tag | default 1 }}"}]}\n`;
    const app = chart({ templates: { "d.yaml": deploy } });
    expect(ours(["install", "k", app], ns).status).toBe(0);
    const p = spawn(HELM_TS, ["upgrade", "k", app, "--set", "tag=2", "--wait", "--timeout", "5m", "-n", ns], {
      env: env(),
    });
    // Wait until the pending record exists, then kill the process.
    for (let i = 0; i < 100 && !history(ns, "k").some((h) => h.status === "pending-upgrade"); i++)
      await Bun.sleep(100);
    expect(history(ns, "k").map((h) => h.status)).toEqual(["deployed", "pending-upgrade"]);
    p.kill("SIGKILL");
    await new Promise((r) => p.on("close", r));
    // Real Helm would refuse: "another operation (install/upgrade/rollback) is in progress".
    expect(helm(["upgrade", "k", app], ns).stderr).toContain(
      "another operation (install/upgrade/rollback) is in progress",
    );
    const next = ours(["upgrade", "k", app, "--set", "tag=3"], ns);
    expect(next.status).toBe(0);
    expect(next.stderr).toContain("was left pending-upgrade by an interrupted operation; marked failed");
    expect(history(ns, "k").map((h) => h.status)).toEqual(["superseded", "failed", "deployed"]);
  });
});

describe("output and rendering against the cluster, compared with real Helm", () => {
  const maskTime = (s: string) => s.replace(/^LAST DEPLOYED: .*$/m, "LAST DEPLOYED: <time>");

  test("install, upgrade and dry-run output match real Helm's", async () => {
    const theirs = await c.createNamespace("out-helm");
    const mine = await c.createNamespace("out-ours");
    const testHook = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ .Release.Name }}-t"\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: [{name: c, image: busybox}]\n`;
    const app = chart({
      templates: {
        "a.yaml": cm("x"),
        "t.yaml": testHook,
        "NOTES.txt": "  notes for {{ .Release.Name }}  \n",
      },
    });
    const plain = chart({ templates: { "a.yaml": cm("y") } });
    const norm = (s: string, ns: string) => maskTime(s).replaceAll(ns, "<ns>");
    for (const args of [
      ["install", "same", app],
      ["upgrade", "same", app, "--set", "a=2"],
      ["install", "plain", plain, "--dry-run=server"],
      ["install", "plain", plain, "--dry-run"],
      ["upgrade", "--install", "other", plain, "--description", "hello"],
    ]) {
      const h = helm(args, theirs);
      const o = ours(args, mine);
      expect({ args, status: o.status, out: norm(o.stdout, mine) }).toEqual({
        args,
        status: h.status,
        out: norm(h.stdout, theirs),
      });
    }
  });

  test("lookup reads the live cluster, including lookups that depend on other lookups (as real Helm)", async () => {
    const ns = await c.createNamespace("lookup");
    await c.kubectl([
      "create",
      "configmap",
      "existing",
      "-n",
      ns,
      "--from-literal=key=v1",
      "--from-literal=next=second",
    ]);
    await c.kubectl(["create", "configmap", "second", "-n", ns, "--from-literal=key=v2"]);
    const tpl = [
      '{{- $s := lookup "v1" "ConfigMap" .Release.Namespace "existing" }}',
      '{{- $n := lookup "v1" "ConfigMap" .Release.Namespace ($s.data.next | default "zzz") }}',
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\ndata:",
      '  seen: {{ $s.data.key | default "none" | quote }}',
      '  next: {{ $n.data.key | default "none" | quote }}',
      '  count: {{ (lookup "v1" "ConfigMap" .Release.Namespace "").items | len | quote }}',
      '  uid: {{ printf "%T" $s.metadata.uid | quote }}',
      '  missing: {{ lookup "v1" "Secret" "nope" "nope" | quote }}',
      "",
    ].join("\n");
    const app = chart({ templates: { "a.yaml": tpl } });
    const h = helm(["install", "lk", app, "--dry-run=server"], ns);
    const o = ours(["install", "lk", app, "--dry-run=server"], ns);
    expect(o.stderr).toBe(h.stderr);
    expect(maskTime(o.stdout)).toBe(maskTime(h.stdout));
    expect(o.stdout).toContain('seen: "v1"\n  next: "v2"');
    // A kind the server does not serve fails the render, with Helm's log lines and message.
    const unknown = chart({
      templates: { "a.yaml": '{{ lookup "example.com/v1" "NoSuchKind" "" "" | quote }}\n' },
    });
    const hu = helm(["install", "lk", unknown, "--dry-run=server"], ns);
    const ou = ours(["install", "lk", unknown, "--dry-run=server"], ns);
    expect(ou.status).toBe(1);
    expect({ stderr: ou.stderr, stdout: ou.stdout }).toEqual({ stderr: hu.stderr, stdout: hu.stdout });
  });
});

describe("helm test", () => {
  test("runs test hooks, records them, prints the suite and logs like real Helm; --filter narrows; failures fail", async () => {
    const theirs = await c.createNamespace("test-helm", { fakeKubelet: true });
    const mine = await c.createNamespace("test-ours", { fakeKubelet: true });
    const pod = (name: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ .Release.Name }}-${name}"\n  annotations:\n    helm.sh/hook: test\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: busybox}]\n`;
    const app = chart({
      templates: { "a.yaml": cm("x"), "t1.yaml": pod("one"), "t2.yaml": pod("two"), "NOTES.txt": "n" },
    });
    const dates = (s: string, ns: string) =>
      s.replace(/(LAST DEPLOYED|Last Started|Last Completed): +.*$/gm, "$1: <time>").replaceAll(ns, "<ns>");
    expect(helm(["install", "t", app], theirs).status).toBe(0);
    expect(ours(["install", "t", app], mine).status).toBe(0);
    for (const args of [
      ["test", "t"],
      ["test", "t", "--logs"],
      ["test", "t", "--filter", "name=t-two"],
    ]) {
      const h = helm(args, theirs);
      const o = ours(args, mine);
      expect({ status: o.status, out: dates(o.stdout, mine) }).toEqual({
        status: h.status,
        out: dates(h.stdout, theirs),
      });
    }
    // The run is recorded on the release: real Helm's status shows our test suite.
    expect(helm(["status", "t"], mine).stdout).toContain("TEST SUITE:     t-two\n");
    const bad = chart({
      templates: {
        "t.yaml":
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  annotations:\n    helm.sh/hook: test\n",
      },
    });
    expect(ours(["install", "b", bad], mine).status).toBe(0);
    const failed = ours(["test", "b"], mine);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toStartWith("Error: test hook app/templates/t.yaml failed:");
  });
});

describe("drivers, Helm 2 forms and an unreachable cluster", () => {
  test("HELM_DRIVER=configmap stores ConfigMap records real Helm reads; memory keeps nothing between runs", async () => {
    const ns = await c.createNamespace("rel-drivers");
    const app = chart({ templates: { "a.yaml": cm("{{ .Release.Name }}-c") } });
    const cmEnv = { ...env(), HELM_DRIVER: "configmap" };
    expect(helmTs(["install", "viacm", app, "-n", ns], cmEnv).status).toBe(0);
    const records = await c.kubectl(["get", "configmaps", "-n", ns, "-l", "owner=helm", "-o", "name"]);
    expect(records.stdout.trim()).toBe("configmap/sh.helm.release.v1.viacm.v1");
    const listed = runExe(oraclePaths().helm, ["list", "-n", ns, "-q"], cmEnv);
    expect(listed.stdout).toBe("viacm\n");
    const memEnv = { ...env(), HELM_DRIVER: "memory" };
    expect(helmTs(["install", "inmem", app, "-n", ns], memEnv).status).toBe(0);
    expect(await configMap(ns, "inmem-c")).toBeDefined();
    // Nothing was recorded, so a second process sees no release (as with Helm's memory driver).
    const again = helmTs(["upgrade", "inmem", app, "-n", ns], memEnv);
    expect(again.stderr).toBe('Error: UPGRADE FAILED: "inmem" has no deployed releases\n');
  });

  test("Helm 2 forms: install --name, delete --purge", async () => {
    const ns = await c.createNamespace("rel-helm2");
    const app = chart({ templates: { "a.yaml": cm("h2") } });
    expect(ours(["install", "--name", "old", app], ns).stdout).toStartWith("NAME: old\n");
    expect(ours(["delete", "--purge", "old"], ns).stdout).toBe('release "old" uninstalled\n');
    expect(await records(ns)).toEqual([]);
  });

  test("an unreachable API server is reported as such, with the operation's prefix", () => {
    const app = chart({ templates: { "a.yaml": cm("x") } });
    const r = helmTs(["install", "x", app, "--kube-apiserver", "https://127.0.0.1:1"], env());
    expect(r.status).toBe(1);
    expect(r.stderr).toStartWith("Error: INSTALLATION FAILED: Kubernetes cluster unreachable: ");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
