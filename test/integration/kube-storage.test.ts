/**
 * The Kubernetes client and the secret/configmap release drivers against the real API server:
 * server-side apply, discovery of CRDs, RBAC errors, the driver contract, and interop with real
 * Helm reading the records we write.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KubeClient } from "../../src/tiller/kube/client.ts";
import { KubeApiError } from "../../src/tiller/kube/rest.ts";
import { configMapsDriver } from "../../src/tiller/storage/configmaps.ts";
import { releaseKey } from "../../src/tiller/storage/driver.ts";
import { secretsDriver } from "../../src/tiller/storage/secrets.ts";
import { runExe } from "../support/binary.ts";
import { type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";
import { driverContract, sampleRelease } from "../tiller/storage/contract.ts";

let c: SharedCluster;
let ns: string;

beforeAll(async () => {
  c = await sharedCluster();
  ns = await c.createNamespace("kube-client");
}, 3_600_000);

afterAll(async () => {
  await c.deleteNamespace(ns);
});

async function admin(namespace = ns): Promise<KubeClient> {
  return KubeClient.create({ kubeconfig: c.kubeconfig, context: "admin" }, namespace);
}

describe("KubeClient on a real API server", () => {
  test("server-side apply creates and updates, get/list/delete round-trip", async () => {
    const kube = await admin();
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "ssa-demo", labels: { app: "demo" } },
      data: { a: "1" },
    };
    const created = await kube.apply(cm, { fieldManager: "helm" });
    expect(created.metadata.namespace).toBe(ns);
    await kube.apply({ ...cm, data: { a: "2", b: "3" } }, { fieldManager: "helm" });
    const live = await kube.get({ apiVersion: "v1", kind: "ConfigMap", name: "ssa-demo", namespace: ns });
    expect(live?.data).toEqual({ a: "2", b: "3" });
    const managedFields = (live?.metadata.managedFields ?? []) as { manager: string; operation: string }[];
    const managers = managedFields.map((f) => `${f.manager}/${f.operation}`);
    expect(managers).toContain("helm/Apply");
    const listed = await kube.list("v1", "ConfigMap", { namespace: ns, labelSelector: "app=demo" });
    expect(listed.map((o) => o.metadata.name)).toEqual(["ssa-demo"]);
    expect(await kube.delete({ apiVersion: "v1", kind: "ConfigMap", name: "ssa-demo", namespace: ns })).toBe(
      true,
    );
    expect(await kube.delete({ apiVersion: "v1", kind: "ConfigMap", name: "ssa-demo", namespace: ns })).toBe(
      false,
    );
    expect(
      await kube.get({ apiVersion: "v1", kind: "ConfigMap", name: "ssa-demo", namespace: ns }),
    ).toBeUndefined();
  });

  test("a CRD created at run time is found through discovery", async () => {
    const kube = await admin();
    const group = `${ns}.example.com`;
    await kube.apply(
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: "Namespaced",
          names: { plural: "widgets", singular: "widget", kind: "Widget" },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            },
          ],
        },
      },
      { fieldManager: "helm" },
    );
    // The API server needs a moment to serve a new CRD; discovery refreshes when a kind is unknown.
    let applied: unknown;
    for (let i = 0; i < 50 && !applied; i++) {
      try {
        applied = await kube.apply(
          { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "w1" }, spec: { size: 3 } },
          { fieldManager: "helm" },
        );
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(applied).toBeDefined();
    expect((await kube.discovery.apiVersions()).includes(`${group}/v1/Widget`)).toBe(true);
    await kube.delete({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: `widgets.${group}`,
    });
  }, 60_000);

  test("a restricted user gets a clear forbidden error naming the object", async () => {
    const kube = await KubeClient.create({ kubeconfig: c.kubeconfig, context: "alice" }, ns);
    const err = await kube
      .apply(
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nope" }, data: {} },
        { fieldManager: "helm" },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).code).toBe(403);
    expect((err as KubeApiError).message).toContain('configmaps "nope" is forbidden: User "alice"');
  });

  test("an unreachable server is reported as such", async () => {
    const kube = await KubeClient.create({ kubeconfig: c.kubeconfig, apiserver: "https://127.0.0.1:1" }, ns);
    await expect(kube.serverVersion()).rejects.toThrow(
      /^Kubernetes cluster unreachable: GET \/version to https:\/\/127\.0\.0\.1:1: ECONNREFUSED/,
    );
  });
});

// Each contract test gets its own namespace, so one test's records never meet another's.
driverContract("secret (real API server)", async (slot) => {
  const namespace = await c.createNamespace(`secret-${slot}`);
  return { driver: secretsDriver(await admin(namespace), namespace), namespace };
});

driverContract("configmap (real API server)", async (slot) => {
  const namespace = await c.createNamespace(`configmap-${slot}`);
  return { driver: configMapsDriver(await admin(namespace), namespace), namespace };
});

describe("release records interoperate with real Helm", () => {
  test("a record our secret driver writes is listed and read by real Helm", async () => {
    const kube = await admin();
    const driver = secretsDriver(kube, ns);
    const rls = sampleRelease("interop", 1, "deployed", ns);
    await driver.create(releaseKey("interop", 1), rls);
    const env = c.env(isolatedHelmEnv(`/tmp/helmts-interop-${ns}`));
    const list = runExe(oraclePaths().helm, ["list", "-n", ns, "-o", "json"], env);
    expect(list.stderr).toBe("");
    const listed = JSON.parse(list.stdout) as {
      name: string;
      revision: string;
      status: string;
      chart: string;
    }[];
    expect(listed.map((r) => [r.name, r.revision, r.status, r.chart])).toEqual([
      ["interop", "1", "deployed", "demo-1.0.0"],
    ]);
    const manifest = runExe(oraclePaths().helm, ["get", "manifest", "interop", "-n", ns], env);
    expect(manifest.stdout).toContain("# Source: demo/templates/cm.yaml");
    const values = runExe(oraclePaths().helm, ["get", "values", "interop", "-n", ns, "-o", "json"], env);
    expect(JSON.parse(values.stdout)).toEqual({ image: { tag: "v1" } });
  });

  test("configmap records are read back the same way", async () => {
    const kube = await admin();
    const driver = configMapsDriver(kube, ns);
    await driver.create(releaseKey("cm-rel", 1), sampleRelease("cm-rel", 1, "deployed", ns));
    expect((await driver.get(releaseKey("cm-rel", 1))).info.status).toBe("deployed");
    const env = c.env({ ...isolatedHelmEnv(`/tmp/helmts-interop-cm-${ns}`), HELM_DRIVER: "configmap" });
    const list = runExe(oraclePaths().helm, ["list", "-n", ns, "-q"], env);
    expect(list.stdout.trim()).toBe("cm-rel");
  });
});
