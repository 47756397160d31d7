/**
 * The read commands against real Helm v4.1.4 on the same releases of the real API server: list
 * (filters, sorting, paging, formats), history, get (every subcommand) and status (resources read
 * back as server-side tables). Releases are made by both tools, so each reads the other's records.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { helmTs, runExe } from "../support/binary.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

let c: SharedCluster;
let work: string;
let ns: string;
let other: string;
let env: Record<string, string>;

function chart(name: string, templates: Record<string, string>, values = ""): string {
  const dir = join(work, name);
  const files: Record<string, string> = {
    "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 1.2.3\nappVersion: "9.9"\n`,
    "values.yaml": values,
    ...Object.fromEntries(Object.entries(templates).map(([k, v]) => [`templates/${k}`, v])),
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const ours = (args: string[]) => helmTs(args, env);
const helm = (args: string[]) => runExe(oraclePaths().helm, args, env);

beforeAll(async () => {
  c = await sharedCluster();
  work = mkdtempSync(join(tmpdir(), "helmts-reads-"));
  ns = await c.createNamespace("reads", { fakeKubelet: true });
  other = await c.createNamespace("reads-other");
  env = c.env(isolatedHelmEnv(join(work, "home")));
  const deploy = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: "{{ .Release.Name }}"}}\n  template:\n    metadata: {labels: {app: "{{ .Release.Name }}"}}\n    spec: {containers: [{name: c, image: busybox}]}\n`;
  const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\nspec:\n  selector: {app: "{{ .Release.Name }}"}\n  ports: [{port: 80}]\n`;
  const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  a: "{{ .Values.a }}"\n`;
  const hook = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n    helm.sh/hook: post-install\n`;
  const web = chart(
    "web",
    {
      "d.yaml": deploy,
      "s.yaml": svc,
      "c.yaml": cm,
      "h.yaml": hook,
      "NOTES.txt": "see {{ .Release.Name }}\n",
    },
    "a: 1\nnested:\n  x: [1, 2]\n",
  );
  const plain = chart("plain", { "c.yaml": cm }, "a: 2\n");
  // Made by both tools, in an order that makes dates and names disagree.
  expect(
    helm(["install", "zeta", web, "-n", ns, "--set", "a=5", "--wait", "--labels", "team=a"]).status,
  ).toBe(0);
  expect(ours(["install", "alpha", plain, "-n", ns, "--labels", "team=b"]).status).toBe(0);
  expect(ours(["upgrade", "alpha", plain, "-n", ns, "--set", "a=3"]).status).toBe(0);
  expect(helm(["upgrade", "alpha", plain, "-n", ns, "--set", "a=4"]).status).toBe(0);
  expect(ours(["install", "mid", web, "-n", ns, "--wait"]).status).toBe(0);
  expect(ours(["install", "gone", plain, "-n", ns]).status).toBe(0);
  expect(ours(["uninstall", "gone", "-n", ns, "--keep-history"]).status).toBe(0);
  expect(helm(["install", "elsewhere", plain, "-n", other]).status).toBe(0);
}, CLUSTER_TIMEOUT_MS);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function same(args: string[], normalize: (s: string) => string = (s) => s) {
  const o = ours(args);
  const h = helm(args);
  expect({ args, status: o.status, stdout: normalize(o.stdout), stderr: o.stderr }).toEqual({
    args,
    status: h.status,
    stdout: normalize(h.stdout),
    stderr: h.stderr,
  });
}

describe("list", () => {
  test.each([
    [[]],
    [["-o", "json"]],
    [["-o", "yaml"]],
    [["-q"]],
    [["--no-headers"]],
    [["-d"]],
    [["-d", "-r"]],
    [["-r"]],
    [["-m", "1", "--offset", "1"]],
    [["--offset", "9"]],
    [["-f", "^(al|mi)"]],
    [["-l", "team=a"]],
    [["-l", "name!=zeta,owner=helm"]],
    [["--uninstalled"]],
    [["--superseded"]],
    [["--deployed", "--uninstalled"]],
    [["--time-format", "2006-01-02"]],
  ])("list %j matches real Helm", (args: string[]) => {
    same(["list", "-n", ns, ...args]);
  });

  test("all namespaces, and an empty namespace", async () => {
    same(["list", "-A", "-f", "elsewhere|zeta"]);
    same(["list", "-n", await c.createNamespace("reads-empty")]);
  });
});

describe("history and get", () => {
  test.each([
    [["history", "alpha"]],
    [["history", "alpha", "--max", "1"]],
    [["history", "alpha", "-o", "json"]],
    [["history", "zeta", "-o", "yaml"]],
    [["history", "nope"]],
    [["get", "values", "zeta"]],
    [["get", "values", "zeta", "--all"]],
    [["get", "values", "alpha", "-o", "json"]],
    [["get", "values", "alpha", "--revision", "1", "-o", "yaml"]],
    [["get", "manifest", "mid"]],
    [["get", "hooks", "zeta"]],
    [["get", "notes", "mid"]],
    [["get", "all", "alpha"]],
    [["get", "all", "zeta", "--template", "{{.Release.Name}}/{{.Release.Version}}/{{.Release.Info.Status}}"]],
    [["get", "metadata", "mid", "-o", "json"]],
  ])("%j matches real Helm", (args: string[]) => {
    const dates = (s: string) =>
      s.replace(/("deployedAt":")[^"]+/, "$1<t>").replace(/^(LAST DEPLOYED: ).*$/m, "$1<t>");
    same(
      [...args, "-n", ns],
      args.includes("metadata") ? (s) => dates(s).replace(/"modifiedAt":"\d+",/, "") : dates,
    );
  });
});

describe("status", () => {
  /** Resource groups as a set (real Helm prints them in map order) with ages masked. */
  const groups = (s: string) => {
    const body = s.split("RESOURCES:\n")[1]?.split("\n\n\n")[0] ?? "";
    return body
      .split("\n\n")
      .map((g) => g.replace(/ +\d+[smhd]\d*[smh]?$/gm, " <age>"))
      .sort();
  };
  const outside = (s: string) => s.replace(/RESOURCES:\n[\s\S]*?\n\n\n/, "RESOURCES:\n<groups>\n");

  test.each([["zeta"], ["mid"], ["alpha"]])(
    "status %s matches real Helm (resources as a set)",
    (name: string) => {
      const o = ours(["status", name, "-n", ns]);
      const h = helm(["status", name, "-n", ns]);
      expect(o.status).toBe(h.status);
      expect(outside(o.stdout)).toBe(outside(h.stdout));
      expect(groups(o.stdout)).toEqual(groups(h.stdout));
    },
  );

  test("--revision and -o json (resources aside)", () => {
    same(["status", "alpha", "-n", ns, "--revision", "1"], (s) =>
      s.replace(/RESOURCES:\n[\s\S]*?\n\n\n/, ""),
    );
    const strip = (s: string) => {
      const d = JSON.parse(s) as { info: Record<string, unknown> };
      delete d.info.resources;
      return d;
    };
    expect(strip(ours(["status", "zeta", "-n", ns, "-o", "json"]).stdout)).toEqual(
      strip(helm(["status", "zeta", "-n", ns, "-o", "json"]).stdout),
    );
  });
});
