/**
 * `helm migrate`: releases a Helm 2 Tiller stored (protobuf in ConfigMaps labelled OWNER=TILLER,
 * written here from the published field numbers) become Helm 3/4 records that real Helm v4.1.4
 * lists, reads and that we can upgrade; bad records are refused naming the object.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { helmTs, runExe } from "../support/binary.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { HAPI } from "../support/hapi-wire.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

let c: SharedCluster;
let work: string;

beforeAll(async () => {
  c = await sharedCluster();
  work = mkdtempSync(join(tmpdir(), "helmts-helm2-"));
}, CLUSTER_TIMEOUT_MS);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = (ns: string, v: number) =>
  `---\n# Source: legacy/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-legacy\n  namespace: ${ns}\ndata:\n  v: "${v}"\n`;

/** A Helm 2 record as Tiller wrote it. */
function record(name: string, version: number, status: number, statusLabel: string, ns: string) {
  const Release = HAPI.lookupType("Release");
  const t = Math.floor(Date.UTC(2020, 0, version) / 1000);
  const body = Release.encode(
    Release.fromObject({
      name,
      version,
      namespace: ns,
      manifest: manifest(ns, version),
      info: {
        status: { code: status, notes: "legacy notes" },
        last_deployed: { seconds: t },
        Description: status === 1 ? "Upgrade complete" : "Install complete",
      },
      chart: {
        metadata: { name: "legacy", version: "1.2.3", apiVersion: "v1" },
        templates: [{ name: "templates/cm.yaml", data: Buffer.from("kind: ConfigMap") }],
        values: { raw: "replicas: 1\n" },
      },
      config: { raw: `tag: v${version}\n` },
    }),
  ).finish();
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `${name}.v${version}`,
      labels: { NAME: name, OWNER: "TILLER", STATUS: statusLabel, VERSION: String(version) },
    },
    data: { release: gzipSync(body).toString("base64") },
  };
}

describe("helm migrate", () => {
  test("Helm 2 records become Helm 3/4 releases real Helm lists, reads and we can upgrade", async () => {
    const tillerNs = await c.createNamespace("helm2-tiller");
    const appNs = await c.createNamespace("helm2-apps");
    const objects = [record("web", 1, 3, "SUPERSEDED", appNs), record("web", 2, 1, "DEPLOYED", appNs)];
    const created = await c.kubectl(["apply", "-n", tillerNs, "-f", "-"], {
      input: JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
    });
    expect(created.code).toBe(0);
    const env = c.env(isolatedHelmEnv(join(work, "home")));

    const dry = helmTs(["migrate", "--tiller-namespace", tillerNs, "--dry-run"], env);
    expect(dry.stdout).toBe(
      `web\trevision 1\tnamespace ${appNs}\tsuperseded\tlegacy-1.2.3\twould convert\nweb\trevision 2\tnamespace ${appNs}\tdeployed\tlegacy-1.2.3\twould convert\n`,
    );
    const run = helmTs(["migrate", "--tiller-namespace", tillerNs, "--delete-v2-releases"], env);
    expect(run.stderr).toBe("");
    expect(
      run.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t").at(-1)),
    ).toEqual(["converted", "converted"]);
    const left = await c.kubectl(["get", "configmaps", "-n", tillerNs, "-l", "OWNER=TILLER", "-o", "name"]);
    expect(left.stdout.trim()).toBe("");

    const helm = (args: string[]) => runExe(oraclePaths().helm, [...args, "-n", appNs], env);
    const listed = JSON.parse(helm(["list", "-o", "json"]).stdout) as {
      name: string;
      revision: string;
      status: string;
      chart: string;
    }[];
    expect(listed.map((r) => [r.name, r.revision, r.status, r.chart])).toEqual([
      ["web", "2", "deployed", "legacy-1.2.3"],
    ]);
    expect(JSON.parse(helm(["get", "values", "web", "-o", "json"]).stdout)).toEqual({ tag: "v2" });
    expect(helm(["get", "manifest", "web"]).stdout).toBe(`${manifest(appNs, 2)}\n`);
    const history = JSON.parse(helm(["history", "web", "-o", "json"]).stdout) as {
      revision: number;
      status: string;
    }[];
    expect(history.map((h) => [h.revision, h.status])).toEqual([
      [1, "superseded"],
      [2, "deployed"],
    ]);
    // A migrated release is an ordinary release: a rollback by us applies revision 1's manifest.
    expect(helmTs(["rollback", "web", "1", "-n", appNs], env).status).toBe(0);
    const live = await c.kubectl(["get", "configmap", "web-legacy", "-n", appNs, "-o", "jsonpath={.data.v}"]);
    expect(live.stdout).toBe("1");
  });

  test("a record that is not a Helm 2 release is refused, naming the object", async () => {
    const tillerNs = await c.createNamespace("helm2-bad");
    await c.kubectl(["create", "configmap", "bad.v1", "-n", tillerNs, "--from-literal=release=bm90IGd6aXA="]);
    await c.kubectl(["label", "configmap", "bad.v1", "-n", tillerNs, "OWNER=TILLER"]);
    const r = helmTs(
      ["migrate", "--tiller-namespace", tillerNs],
      c.env(isolatedHelmEnv(join(work, "home2"))),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toStartWith(`Error: ConfigMap ${tillerNs}/bad.v1: cannot decompress release:`);
  });
});
