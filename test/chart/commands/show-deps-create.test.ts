/**
 * `helm show`, `helm dependency list` and `helm create` against real Helm: same stdout, stderr and
 * exit status on real charts, archives and purpose-built charts; the scaffold lints clean and
 * renders the same in both.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATA_HOME, helm, ours, SHARED, temp, trickyChart, writeChart } from "./support.ts";

function same(args: string[], cwd?: string): void {
  const h = helm(args, cwd);
  const o = ours(args, cwd);
  expect(o.stdout).toBe(h.stdout);
  expect(o.stderr).toBe(h.stderr);
  expect(o.status).toBe(h.status);
}

const root = temp();
const tricky = trickyChart(root);
const withCrds = join(root, "crds");
writeChart(withCrds, {
  "Chart.yaml": "apiVersion: v2\nname: crds\nversion: 1.0.0\n",
  "values.yaml": "",
  "crds/a.yaml": "kind: A\n",
  "crds/b.yml": "---\nkind: B\n",
  "crds/c.txt": "kind: C",
  "crds/nested/d.json": '{"kind":"D"}',
  "ReadMe.TXT": "second",
  README: "first",
  "charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 1.0.0\n",
  "charts/child/crds/ch.yaml": "kind: CH\n",
  "charts/child/README.md": "child readme",
  "charts/child/charts/gc/Chart.yaml": "apiVersion: v2\nname: gc\nversion: 1.0.0\n",
  "charts/child/charts/gc/crds/gc.json": "{}",
});
const bare = join(root, "bare");
writeChart(bare, { "Chart.yaml": "apiVersion: v2\nname: bare\nversion: 1.0.0\n" });
const archiveDir = temp();
helm(["package", join(SHARED, "nginx"), "-d", archiveDir]);
const nginxTgz = join(archiveDir, readdirSync(archiveDir)[0]!);

describe("helm show matches real Helm", () => {
  const charts = [
    tricky,
    withCrds,
    bare,
    join(SHARED, "nginx"),
    join(SHARED, "stable-mysql"),
    join(SHARED, "kube-prometheus-stack"),
    nginxTgz,
  ];
  for (const chart of charts) {
    test(chart.split("/").pop()!, () => {
      for (const what of ["chart", "values", "readme", "crds", "all"]) same(["show", what, chart]);
      same(["inspect", "chart", chart]);
    });
  }
  const paths = [
    "{.image}",
    "{.image.tag}",
    "{.replicaCount}",
    "{.service.ports}",
    '{$.image.repository}{"\\n"}',
    "{.nope}",
    "abc{.image.tag}",
    "{.image.pullSecrets}",
    "{.service['ports']}",
    "{.extraDeploy[0]}",
    "{range .image.pullSecrets[*]}{.name}{end}",
    "{.image.debug}",
    "{[",
    "{.image.tag",
    '{.containerPorts["http"]}',
  ];
  for (const p of paths)
    test(`--jsonpath ${p}`, () => same(["show", "values", join(SHARED, "nginx"), "--jsonpath", p]));
  test("errors", () => {
    same(["show", "chart", join(root, "missing")]);
    same(["show", "chart", "./missing"]);
    same(["show", "chart", "norepo/chart"]);
    same(["show", "values"]);
    same(["show", "chart", join(root, "src-sub", "values.yaml")]);
  });
});

describe("helm dependency list matches real Helm", () => {
  const ds = join(root, "ds");
  const deps: [string, string][] = [
    ["okc", "~0.1.0"],
    ["wrongv", "2.0.0"],
    ["misn", "0.1.0"],
    ["unp", "0.1.0"],
    ["unpw", ">=5"],
    ["many", "0.1.0"],
    ["gone", "0.1.0"],
    ["badv", "not a version"],
    ["corr", "0.1.0"],
    ["[bad", "0.1.0"],
  ];
  writeChart(ds, {
    "Chart.yaml": `apiVersion: v2\nname: ds\nversion: 1.0.0\ndependencies:\n${deps
      .map(
        ([n, v]) =>
          `- name: "${n}"\n  version: "${v}"\n  repository: https://example.com/a/very/long/repository/url/that/is/longer/than/eighty/columns/${n}\n`,
      )
      .join("")}`,
    ".helmignore": "charts/corr-0.1.0.tgz\n",
    "charts/unp/Chart.yaml": "apiVersion: v2\nname: unp\nversion: 0.1.0\n",
    "charts/unpw/Chart.yaml": "apiVersion: v2\nname: unpw\nversion: 1.0.0\n",
  });
  const mk = temp();
  const pack = (name: string, version: string, as?: string) => {
    writeChart(join(mk, name), { "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: ${version}\n` });
    helm(["package", join(mk, name), "-d", mk]);
    writeFileSync(
      join(ds, "charts", as ?? `${name}-${version}.tgz`),
      readFileSync(join(mk, `${name}-${version}.tgz`)),
    );
  };
  pack("okc", "0.1.5");
  pack("wrongv", "1.0.0");
  pack("other", "0.1.0", "misn-0.1.0.tgz");
  pack("many", "0.1.0");
  pack("many", "0.1.0", "many-0.2.0.tgz");
  pack("badv", "0.1.0");
  writeFileSync(join(ds, "charts", "corr-0.1.0.tgz"), "garbage");
  test("every status", () => {
    same(["dependency", "list", ds]);
    same(["dep", "ls", ds, "--max-col-width", "10"]);
    same(["dependencies", "list", ds, "--max-col-width", "0"]);
  });
  test("real charts, archives, no dependencies, v1 requirements", () => {
    for (const c of [
      join(SHARED, "kube-prometheus-stack"),
      join(SHARED, "wordpress"),
      nginxTgz,
      bare,
      tricky,
      join(SHARED, "stable-wordpress"),
    ])
      same(["dep", "list", c]);
  });
  test("errors", () => {
    same(["dep", "list", join(root, "missing")]);
    same(["dep", "list", ds, "--max-col-width", "-1"]);
    same(["dep", "list", ds, ds]);
  });
});

describe("helm create", () => {
  test("the scaffold lints clean and renders as in real Helm", () => {
    const dir = temp();
    const o = ours(["create", "demo"], dir);
    expect(o.stdout).toBe("Creating demo\n");
    const lint = helm(["lint", "--strict", join(dir, "demo")]);
    expect(lint.status).toBe(0);
    expect(lint.stdout).toContain("0 chart(s) failed");
    expect(lint.stdout).not.toContain("[WARNING]");
    expect(lint.stdout).not.toContain("[ERROR]");
    for (const set of [
      [],
      [
        "--set",
        "ingress.enabled=true,autoscaling.enabled=true,service.type=NodePort",
        "--set",
        "ingress.tls[0].secretName=s,ingress.tls[0].hosts[0]=h",
      ],
    ]) {
      const args = ["template", "r", join(dir, "demo"), ...set];
      const h = helm(args);
      expect(h.status).toBe(0);
      expect(ours(args).stdout).toBe(h.stdout);
    }
    expect(readFileSync(join(dir, "demo", "Chart.yaml"), "utf8")).toContain("name: demo\n");
    // Again: Helm's overwrite warnings, on stdout.
    const again = ours(["create", "demo"], dir);
    expect(again.stdout).toContain(
      `WARNING: File "${join(dir, "demo", "Chart.yaml")}" already exists. Overwriting.\n`,
    );
  });
  test("starters: by name and absolute path, <CHARTNAME> replaced as Helm does", () => {
    const st = join(DATA_HOME, "starters", "st");
    writeChart(st, {
      "Chart.yaml": 'apiVersion: v2\nname: st\nversion: 9.9.9\ndescription: starter\nappVersion: "7"\n',
      "values.yaml": "name: <CHARTNAME>\n",
      "templates/cm.yaml":
        "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: <CHARTNAME>-{{ .Release.Name }}\n",
      "docs/a.md": "doc <CHARTNAME>\n",
      "values.schema.json": '{"title":"<CHARTNAME>"}',
    });
    for (const starter of ["st", st]) {
      const a = temp();
      const b = temp();
      same(["create", "-p", starter, "mine"], a);
      ours(["create", "-p", starter, "mine"], b);
      for (const f of ["Chart.yaml", "values.yaml", "templates/cm.yaml", "docs/a.md", "values.schema.json"]) {
        expect(readFileSync(join(b, "mine", f), "utf8")).toBe(readFileSync(join(a, "mine", f), "utf8"));
      }
    }
  });
  test("errors", () => {
    const dir = temp();
    writeFileSync(join(dir, "afile"), "");
    mkdirSync(join(dir, "d"));
    for (const args of [
      [],
      ["afile"],
      ["bad name"],
      ["a/b/c"],
      ["-p", "nostarter", "x"],
      ["-p", "st", "afile"],
    ]) {
      same(["create", ...args], dir);
    }
  });
});
