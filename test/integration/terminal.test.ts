/**
 * The terminal features that need a cluster, against real Helm v4.1.4 on the same releases:
 * colours of list / status / upgrade / history with --color always, and dynamic completion of
 * release names, revisions and namespaces.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helmTs, runExe } from "../support/binary.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

let c: SharedCluster;
let ns: string;
let env: Record<string, string>;
let chart: string;

const ours = (args: string[]) => helmTs(args, env);
const helm = (args: string[]) => runExe(oraclePaths().helm, args, env);

beforeAll(async () => {
  c = await sharedCluster();
  const work = mkdtempSync(join(tmpdir(), "helmts-term-"));
  ns = await c.createNamespace("term");
  env = c.env(isolatedHelmEnv(join(work, "home")));
  chart = join(work, "app");
  mkdirSync(join(chart, "templates"), { recursive: true });
  writeFileSync(join(chart, "Chart.yaml"), 'apiVersion: v2\nname: app\nversion: 0.3.0\nappVersion: "2.1"\n');
  writeFileSync(
    join(chart, "templates", "cm.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  a: b\n",
  );
  expect(helm(["install", "alpha", chart, "-n", ns]).status).toBe(0);
  expect(ours(["install", "beta", chart, "-n", ns]).status).toBe(0);
  expect(ours(["upgrade", "alpha", chart, "-n", ns]).status).toBe(0);
}, CLUSTER_TIMEOUT_MS);

describe("colours with --color always, byte for byte", () => {
  for (const args of [["list"], ["list", "--no-headers"], ["history", "alpha"]]) {
    test(args.join(" "), () => {
      const a = ours([...args, "-n", ns, "--color", "always"]);
      const b = helm([...args, "-n", ns, "--color", "always"]);
      expect(a.status).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    });
  }

  test("list: bold headers, cyan namespace, green deployed", () => {
    const out = ours(["list", "-n", ns, "--color", "always"]).stdout;
    expect(out).toContain("\x1b[1mNAME\x1b[22m");
    expect(out).toContain(`\x1b[36m${ns}\x1b[0m`);
    expect(out).toContain("\x1b[32mdeployed\x1b[0m");
  });

  test("status block", () => {
    const a = ours(["status", "alpha", "-n", ns, "--color", "always"]);
    const b = helm(["status", "alpha", "-n", ns, "--color", "always"]);
    const head = (s: string) => s.split("RESOURCES:")[0];
    expect(head(a.stdout)).toBe(head(b.stdout));
    expect(a.stdout).toContain(`NAMESPACE: \x1b[36m${ns}\x1b[0m\nSTATUS: \x1b[32mdeployed\x1b[0m\n`);
  });

  test("NO_COLOR and a pipe without --color give plain bytes, like Helm", () => {
    const plain = ours(["list", "-n", ns]).stdout;
    expect(plain).not.toContain("\x1b");
    expect(helmTs(["list", "-n", ns, "--color", "always"], { ...env, NO_COLOR: "1" }).stdout).toBe(plain);
    expect(helmTs(["list", "-n", ns], { ...env, HELM_COLOR: "always" }).stdout).toBe(
      runExe(oraclePaths().helm, ["list", "-n", ns], { ...env, HELM_COLOR: "always" }).stdout,
    );
  });
});

describe("dynamic completion against real Helm", () => {
  const sameAsHelm = (words: string[]) => {
    const a = ours(["__complete", ...words]);
    const b = helm(["__complete", ...words]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(b.stderr);
    return a.stdout;
  };

  test("release names with chart and status", () => {
    const out = sameAsHelm(["rollback", "-n", ns, ""]);
    expect(out).toBe("alpha\tapp-0.3.0 -> deployed\nbeta\tapp-0.3.0 -> deployed\n:4\n");
  });

  test("releases already typed are not offered again", () => {
    expect(sameAsHelm(["uninstall", "-n", ns, "alpha", ""])).toBe("beta\tapp-0.3.0 -> deployed\n:4\n");
  });

  test("revisions of a release, for rollback and --revision", () => {
    const out = sameAsHelm(["rollback", "alpha", "-n", ns, ""]);
    expect(out).toBe("1\tApp: 2.1, Chart: app-0.3.0\n2\tApp: 2.1, Chart: app-0.3.0\n:4\n");
    sameAsHelm(["get", "values", "alpha", "--namespace", ns, "--revision", ""]);
    sameAsHelm([`--namespace=${ns}`, "status", "beta", "--revision", ""]);
  });

  test("an unknown release gives the error directive", () => {
    expect(sameAsHelm(["status", "-n", ns, "nope", "--revision", ""])).toBe(":1\n");
    expect(sameAsHelm(["rollback", "-n", ns, "nope", ""])).toBe(":1\n");
  });

  test("namespaces from the cluster", () => {
    const a = ours(["__complete", "list", "-n", ""]).stdout.split("\n").sort();
    const b = helm(["__complete", "list", "-n", ""]).stdout.split("\n").sort();
    expect(a).toEqual(b);
    expect(a).toContain(ns);
  });
});
