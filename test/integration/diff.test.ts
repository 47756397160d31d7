/**
 * `helm diff` on the real API server with the compiled binary: live upgrade diffs (server-side dry
 * run, so defaulted fields never show), added and removed objects, Secret masking, --suppress,
 * --context, -o simple|json, --detailed-exitcode, diff rollback and diff revision, `upgrade --diff`
 * and `upgrade --dry-run=server --diff`, the stored-manifest fallback for kinds the cluster does not
 * know, and the error paths.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { helmTs, type RunResult, runExe } from "../support/binary.ts";
import { CLUSTER_TIMEOUT_MS, type SharedCluster, sharedCluster } from "../support/cluster.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";
import { startTillerProcess } from "../support/tiller.ts";

let c: SharedCluster;
let work: string;
let app: string;

const TEMPLATES: Record<string, string> = {
  "deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: {{ .Values.image }}
`,
  "secret.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-creds
stringData:
  user: admin
  password: {{ .Values.password }}
`,
  "old.yaml": `{{- if .Values.old }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-old
data:
  a: "1"
{{- end }}
`,
  "extra.yaml": `{{- if .Values.extra }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-extra
data:
  b: "2"
{{- end }}
`,
  "hook.yaml": `{{- if .Values.hook }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-hook
  annotations:
    helm.sh/hook: pre-upgrade
data:
  c: "3"
{{- end }}
`,
  "test-pod.yaml": `{{- if .Values.hook }}
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations:
    helm.sh/hook: test
spec:
  containers:
  - name: t
    image: busybox
{{- end }}
`,
  "widget.yaml": `{{- if .Values.widget }}
apiVersion: example.com/v1
kind: Widget
metadata:
  name: {{ .Release.Name }}-widget
spec:
  size: 3
{{- end }}
`,
};

beforeAll(async () => {
  c = await sharedCluster();
  work = mkdtempSync(join(tmpdir(), "helmts-diff-"));
  app = join(work, "app");
  const files: Record<string, string> = {
    "Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    "values.yaml":
      "replicas: 1\nimage: nginx:1.25\npassword: s3cret\nold: true\nextra: false\nwidget: false\nhook: false\n",
    ...Object.fromEntries(Object.entries(TEMPLATES).map(([k, v]) => [`templates/${k}`, v])),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(app, name)), { recursive: true });
    writeFileSync(join(app, name), text);
  }
}, CLUSTER_TIMEOUT_MS);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return c.env(isolatedHelmEnv(join(work, "home")));
}

function ours(args: string[], ns: string): RunResult {
  return helmTs([...args, "-n", ns], env());
}

function revisions(ns: string, name: string): number[] {
  const r = runExe(oraclePaths().helm, ["history", name, "-o", "json", "-n", ns], env());
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { revision: number }[]).map((h) => h.revision);
}

/** The changed lines of a diff (`+ …` / `- …`). */
function changed(out: string): string[] {
  return out.split("\n").filter((l) => l.startsWith("+ ") || l.startsWith("- "));
}

/** `diff upgrade web` to 3 replicas, in a namespace. */
const upgradeArgs = (ns: string) => ["diff", "upgrade", "web", app, "--set", "replicas=3", "-n", ns];

/** A fresh namespace with release `web` installed from the chart's defaults. */
async function installed(prefix: string): Promise<string> {
  const ns = await c.createNamespace(prefix);
  const r = ours(["install", "web", app], ns);
  if (r.status !== 0) throw new Error(r.stderr);
  return ns;
}

describe("diff upgrade (live objects against a server-side dry run)", () => {
  test("changed replicas and image show as -/+ lines, with no defaulted-field noise", async () => {
    const ns = await installed("diff-live");
    const r = ours(["diff", "upgrade", "web", app, "--set", "replicas=3", "--set", "image=nginx:1.26"], ns);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toStartWith(
      `${ns}, web-web, Deployment (apps) has changed:\n  # Source: app/templates/deploy.yaml\n`,
    );
    expect(changed(r.stdout)).toEqual([
      "-   replicas: 1",
      "+   replicas: 3",
      "-       - image: nginx:1.25",
      "+       - image: nginx:1.26",
    ]);
    // Fields the server defaults (strategy, imagePullPolicy…) are there as context, never as changes.
    expect(r.stdout).toContain("\n          imagePullPolicy: IfNotPresent\n");
    expect(r.stdout).not.toContain("managedFields");
    expect(r.stdout).not.toContain("resourceVersion");
    // Nothing changed in the cluster or the history.
    expect(revisions(ns, "web")).toEqual([1]);

    const same = ours(["diff", "upgrade", "web", app, "--detailed-exitcode"], ns);
    expect(same.stdout).toBe("");
    expect(same.status).toBe(0);
    const differs = ours(["diff", "upgrade", "web", app, "--set", "replicas=2", "--detailed-exitcode"], ns);
    expect(differs.status).toBe(2);
    expect(differs.stderr).toBe("");
    expect(changed(differs.stdout)).toEqual(["-   replicas: 1", "+   replicas: 2"]);
  });

  test("an object the new revision adds and one it drops", async () => {
    const ns = await installed("diff-addrm");
    const r = ours(["diff", "upgrade", "web", app, "--set", "extra=true", "--set", "old=false"], ns);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        `${ns}, web-old, ConfigMap (v1) has been removed:`,
        "- # Source: app/templates/old.yaml",
        "- apiVersion: v1",
        "- data:",
        '-   a: "1"',
        "- kind: ConfigMap",
        "- metadata:",
        "-   annotations:",
        "-     meta.helm.sh/release-name: web",
        `-     meta.helm.sh/release-namespace: ${ns}`,
        "-   labels:",
        "-     app.kubernetes.io/managed-by: Helm",
        "-   name: web-old",
        `-   namespace: ${ns}`,
        `${ns}, web-extra, ConfigMap (v1) has been added:`,
        "+ # Source: app/templates/extra.yaml",
        "+ apiVersion: v1",
        "+ data:",
        '+   b: "2"',
        "+ kind: ConfigMap",
        "+ metadata:",
        "+   annotations:",
        "+     meta.helm.sh/release-name: web",
        `+     meta.helm.sh/release-namespace: ${ns}`,
        "+   labels:",
        "+     app.kubernetes.io/managed-by: Helm",
        "+   name: web-extra",
        `+   namespace: ${ns}`,
        "",
      ].join("\n"),
    );

    const simple = ours(
      [
        "diff",
        "upgrade",
        "web",
        app,
        "--set",
        "extra=true",
        "--set",
        "old=false",
        "--set",
        "replicas=2",
        "-o",
        "simple",
      ],
      ns,
    );
    expect(simple.stdout).toBe(
      `${ns}, web-web, Deployment (apps) to be changed.\n${ns}, web-old, ConfigMap (v1) to be removed.\n${ns}, web-extra, ConfigMap (v1) to be added.\nPlan: 1 to add, 1 to change, 1 to destroy, 0 to change ownership.\n`,
    );
    const json = ours(
      ["diff", "upgrade", "web", app, "--set", "extra=true", "--set", "old=false", "-o", "json"],
      ns,
    );
    const list = JSON.parse(json.stdout) as {
      api: string;
      kind: string;
      namespace: string;
      name: string;
      change: string;
      diff: string;
    }[];
    expect(
      list.map(({ api, kind, namespace, name, change }) => ({ api, kind, namespace, name, change })),
    ).toEqual([
      { api: "v1", kind: "ConfigMap", namespace: ns, name: "web-old", change: "REMOVE" },
      { api: "v1", kind: "ConfigMap", namespace: ns, name: "web-extra", change: "ADD" },
    ]);
    expect(list[1]!.diff).toContain('+   b: "2"');

    // --install on a release that does not exist: everything is added.
    const fresh = ours(["diff", "upgrade", "other", app, "--install", "-o", "simple"], ns);
    expect(fresh.stderr).toBe("");
    expect(fresh.stdout).toBe(
      `${ns}, other-creds, Secret (v1) to be added.\n${ns}, other-old, ConfigMap (v1) to be added.\n${ns}, other-web, Deployment (apps) to be added.\nPlan: 3 to add, 0 to change, 0 to destroy, 0 to change ownership.\n`,
    );
  });

  test("Secret values are masked unless --show-secrets; --suppress hides a kind's lines", async () => {
    const ns = await installed("diff-secret");
    const r = ours(["diff", "upgrade", "web", app, "--set", "password=hunter2"], ns);
    expect(r.stdout).toStartWith(`${ns}, web-creds, Secret (v1) has changed:\n`);
    expect(changed(r.stdout)).toEqual([
      "-   password: '-------- # (6 bytes)'",
      "+   password: '++++++++ # (7 bytes)'",
    ]);
    expect(r.stdout).toContain("\n    user: 'REDACTED # (5 bytes)'\n");
    expect(r.stdout).not.toContain(Buffer.from("s3cret").toString("base64"));
    expect(r.stdout).not.toContain("hunter2");

    const shown = ours(["diff", "upgrade", "web", app, "--set", "password=hunter2", "--show-secrets"], ns);
    expect(changed(shown.stdout)).toEqual([
      `-   password: ${Buffer.from("s3cret").toString("base64")}`,
      `+   password: ${Buffer.from("hunter2").toString("base64")}`,
    ]);

    const both = ["diff", "upgrade", "web", app, "--set", "password=hunter2", "--set", "replicas=2"];
    const suppressed = ours([...both, "--suppress", "Secret"], ns);
    expect(suppressed.stdout).toContain(
      `${ns}, web-creds, Secret (v1) has changed:\n+ Changes suppressed on sensitive content of type Secret\n`,
    );
    expect(changed(suppressed.stdout)).toEqual([
      "+ Changes suppressed on sensitive content of type Secret",
      "-   replicas: 1",
      "+   replicas: 2",
    ]);
    expect(ours([...both, "-q"], ns).stdout).toBe(suppressed.stdout);
  });

  test("--context N shows N lines around each change; --color always colours, --no-color wins", async () => {
    const ns = await installed("diff-context");
    const r = ours(["diff", "upgrade", "web", app, "--set", "replicas=3", "--context", "1"], ns);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`${ns}, web-web, Deployment (apps) has changed:`);
    expect(lines[1]).toBe("...");
    expect(lines.slice(2, 6)).toEqual([lines[2]!, "-   replicas: 1", "+   replicas: 3", lines[5]!]);
    expect(lines[2]).toStartWith("  ");
    expect(lines[6]).toBe("...");
    expect(lines).toHaveLength(7);

    const coloured = ours(["diff", "upgrade", "web", app, "--set", "replicas=3", "--color", "always"], ns);
    expect(coloured.stdout).toContain(`\x1b[33m${ns}, web-web, Deployment (apps) has changed:\x1b[39m\n`);
    expect(coloured.stdout).toContain("\x1b[31m-   replicas: 1\x1b[39m\n\x1b[32m+   replicas: 3\x1b[39m\n");
    const plain = ours(
      ["diff", "upgrade", "web", app, "--set", "replicas=3", "--color", "always", "--no-color"],
      ns,
    );
    expect(plain.stdout).not.toContain("\x1b[");
    const noColor = helmTs([...upgradeArgs(ns), "--color", "always"], { ...env(), NO_COLOR: "1" });
    expect(noColor.stdout).toContain("-   replicas: 1\n+   replicas: 3\n");
    expect(noColor.stdout).not.toContain("\x1b[");
    // Not a terminal: no colour by default.
    expect(ours(["diff", "upgrade", "web", app, "--set", "replicas=3"], ns).stdout).not.toContain("\x1b[");
  });

  test("drift made by hand shows; a field another manager took is compared forced, with a warning", async () => {
    const ns = await installed("diff-drift");
    const patch = [
      "patch",
      "deployment",
      "web-web",
      "-n",
      ns,
      "--type",
      "merge",
      "-p",
      '{"spec":{"replicas":5}}',
    ];
    expect((await c.kubectl(patch)).code).toBe(0);
    const r = ours(["diff", "upgrade", "web", app], ns);
    expect(r.status).toBe(0);
    expect(changed(r.stdout)).toEqual(["-   replicas: 5", "+   replicas: 1"]);
    expect(r.stderr).toMatch(
      /^level=WARN msg=".*conflict with \\"kubectl-patch\\".*\.spec\.replicas; compared as the upgrade would apply it with --force-conflicts"\n$/,
    );
    const forced = ours(["diff", "upgrade", "web", app, "--force-conflicts"], ns);
    expect(forced).toEqual({ ...r, stderr: "" });
    // A label added by hand is a field the release does not own: applying keeps it, so no change.
    expect((await c.kubectl(["label", "deployment", "web-web", "-n", ns, "team=a"])).code).toBe(0);
    expect(ours(["diff", "upgrade", "web", app, "--set", "replicas=5", "--force-conflicts"], ns).stdout).toBe(
      "",
    );
  });

  test("a kind the cluster does not know yet is compared from the manifests", async () => {
    const ns = await installed("diff-crd");
    const r = ours(["diff", "upgrade", "web", app, "--set", "widget=true"], ns);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `${ns}, web-widget, Widget (example.com) has been added:\n+ # Source: app/templates/widget.yaml\n+ apiVersion: example.com/v1\n+ kind: Widget\n+ metadata:\n+   name: web-widget\n+ spec:\n+   size: 3\n`,
    );
  });
});

describe("hooks", () => {
  test("compared from the manifests; test hooks only with --include-tests, none with --no-hooks", async () => {
    const ns = await installed("diff-hooks");
    const plan = (add: number) => `Plan: ${add} to add, 0 to change, 0 to destroy, 0 to change ownership.\n`;
    const r = ours(["diff", "upgrade", "web", app, "--set", "hook=true"], ns);
    expect(r.stdout).toBe(
      `${ns}, web-hook, ConfigMap (v1) has been added:\n+ # Source: app/templates/hook.yaml\n+ apiVersion: v1\n+ kind: ConfigMap\n+ metadata:\n+   name: web-hook\n+   annotations:\n+     helm.sh/hook: pre-upgrade\n+ data:\n+   c: "3"\n`,
    );
    const tests = ours(
      ["diff", "upgrade", "web", app, "--set", "hook=true", "--include-tests", "-o", "simple"],
      ns,
    );
    expect(tests.stdout).toBe(
      `${ns}, web-hook, ConfigMap (v1) to be added.\n${ns}, web-test, Pod (v1) to be added.\n${plan(2)}`,
    );
    const none = ours(
      ["diff", "upgrade", "web", app, "--set", "hook=true", "--no-hooks", "-o", "simple"],
      ns,
    );
    expect(none.stdout).toBe(plan(0));
    // Recorded hooks are compared between revisions too.
    expect(ours(["upgrade", "web", app, "--set", "hook=true"], ns).status).toBe(0);
    expect(ours(["diff", "revision", "web", "1", "2", "-o", "simple"], ns).stdout).toBe(
      `${ns}, web-hook, ConfigMap (v1) to be added.\n${plan(1)}`,
    );
    expect(ours(["diff", "rollback", "web", "--no-hooks"], ns).stdout).toBe("");
  });
});

describe("diff rollback and diff revision (stored manifests)", () => {
  test("revision A B, revision A (against the newest), rollback (to the previous by default)", async () => {
    const ns = await installed("diff-rev");
    expect(ours(["upgrade", "web", app, "--set", "replicas=2"], ns).status).toBe(0);
    expect(ours(["upgrade", "web", app, "--set", "replicas=5"], ns).status).toBe(0);
    const r12 = ours(["diff", "revision", "web", "1", "2"], ns);
    expect(r12.status).toBe(0);
    expect(r12.stdout).toStartWith(
      `${ns}, web-web, Deployment (apps) has changed:\n  # Source: app/templates/deploy.yaml\n  apiVersion: apps/v1\n  kind: Deployment\n`,
    );
    expect(changed(r12.stdout)).toEqual(["-   replicas: 1", "+   replicas: 2"]);
    expect(changed(ours(["diff", "revision", "web", "1"], ns).stdout)).toEqual([
      "-   replicas: 1",
      "+   replicas: 5",
    ]);
    expect(ours(["diff", "revision", "web", "2", "2", "--detailed-exitcode"], ns)).toEqual({
      stdout: "",
      stderr: "",
      status: 0,
    });

    expect(changed(ours(["diff", "rollback", "web"], ns).stdout)).toEqual([
      "-   replicas: 5",
      "+   replicas: 2",
    ]);
    const to1 = ours(["diff", "rollback", "web", "1", "--detailed-exitcode"], ns);
    expect(to1.status).toBe(2);
    expect(changed(to1.stdout)).toEqual(["-   replicas: 5", "+   replicas: 1"]);
    expect(revisions(ns, "web")).toEqual([1, 2, 3]);
  });
});

describe("upgrade --diff", () => {
  test("prints the diff, then upgrades; with --dry-run=server prints only the diff and changes nothing", async () => {
    const ns = await installed("diff-upg");
    const dry = ours(["upgrade", "web", app, "--set", "replicas=4", "--dry-run=server", "--diff"], ns);
    expect(dry.stderr).toBe("");
    expect(dry.status).toBe(0);
    expect(dry.stdout).toStartWith(`${ns}, web-web, Deployment (apps) has changed:\n`);
    expect(changed(dry.stdout)).toEqual(["-   replicas: 1", "+   replicas: 4"]);
    expect(revisions(ns, "web")).toEqual([1]);
    const live = await c.kubectl([
      "get",
      "deployment",
      "web-web",
      "-n",
      ns,
      "-o",
      "jsonpath={.spec.replicas}",
    ]);
    expect(live.stdout).toBe("1");

    const up = ours(["upgrade", "web", app, "--set", "replicas=4", "--diff"], ns);
    expect(up.status).toBe(0);
    expect(changed(up.stdout)).toEqual(["-   replicas: 1", "+   replicas: 4"]);
    expect(up.stdout).toContain('\nRelease "web" has been upgraded. Happy Helming!\nNAME: web\n');
    expect(revisions(ns, "web")).toEqual([1, 2]);
    // Applied: the live objects now match, so the same diff is empty.
    expect(ours(["diff", "upgrade", "web", app, "--set", "replicas=4"], ns).stdout).toBe("");

    // A client dry run cannot ask the cluster: the stored manifest against the new render.
    const client = ours(["upgrade", "web", app, "--set", "replicas=6", "--dry-run=client", "--diff"], ns);
    expect(client.stderr).toBe("");
    expect(client.stdout).toStartWith(
      `${ns}, web-web, Deployment (apps) has changed:\n  # Source: app/templates/deploy.yaml\n  apiVersion: apps/v1\n  kind: Deployment\n`,
    );
    expect(changed(client.stdout)).toEqual(["-   replicas: 4", "+   replicas: 6"]);

    // --install with a release that does not exist: everything is added, then installed.
    const fresh = ours(["upgrade", "--install", "fresh", app, "--diff", "--set", "old=false"], ns);
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toContain(`${ns}, fresh-web, Deployment (apps) has been added:\n`);
    expect(fresh.stdout).toContain('\nRelease "fresh" does not exist. Installing it now.\nNAME: fresh\n');
    expect(revisions(ns, "fresh")).toEqual([1]);
    expect(revisions(ns, "web")).toEqual([1, 2]);
  });
});

describe("through a remote Tiller (--host)", () => {
  test("diff upgrade, revision and rollback give what embedded mode gives", async () => {
    const ns = await installed("diff-remote");
    expect(ours(["upgrade", "web", app, "--set", "replicas=2"], ns).status).toBe(0);
    const tiller = await startTillerProcess(
      ["--insecure"],
      c.env(isolatedHelmEnv(join(work, "server-home"))),
    );
    try {
      const remoteEnv = { ...env(), TILLER_HOST: `localhost:${tiller.port}` };
      for (const args of [
        ["diff", "upgrade", "web", app, "--set", "replicas=3", "--set", "password=x", "--set", "extra=true"],
        ["diff", "upgrade", "web", app, "--set", "password=x", "--show-secrets", "-o", "json"],
        ["diff", "upgrade", "new", app, "--install", "-o", "simple"],
        ["diff", "revision", "web", "1", "2"],
        ["diff", "rollback", "web", "--detailed-exitcode"],
        ["diff", "rollback", "nosuch"],
      ]) {
        const local = ours(args, ns);
        const remote = helmTs([...args, "-n", ns], remoteEnv);
        expect({ args, ...remote }).toEqual({ args, ...local });
      }
    } finally {
      tiller.proc.kill("SIGKILL");
    }
  });
});

describe("errors", () => {
  test("unknown release, bad revisions, bad -o: one line, non-zero exit, nothing printed on stdout", async () => {
    const ns = await installed("diff-err");
    const cases: [string[], string][] = [
      [["diff", "upgrade", "nosuch", app], 'Error: "nosuch" has no deployed releases\n'],
      [["diff", "rollback", "nosuch"], "Error: release: not found\n"],
      [["diff", "revision", "nosuch", "1"], "Error: release: not found\n"],
      [["diff", "revision", "web", "9"], "Error: release web has no revision 9\n"],
      [["diff", "revision", "web", "1", "0"], "Error: release web has no revision 0\n"],
      [
        ["diff", "revision", "web", "x"],
        'Error: could not convert revision to a number: strconv.Atoi: parsing "x": invalid syntax\n',
      ],
      [["diff", "rollback", "web", "4"], "Error: release has no 4 version\n"],
      [["diff", "rollback", "web"], "Error: no revision to roll back to\n"],
      [
        ["diff", "upgrade", "web", app, "-o", "yaml"],
        'Error: invalid output format "yaml": must be one of diff, simple, json, dyff\n',
      ],
      [
        ["diff", "upgrade", "web", app, "--context", "x"],
        'Error: invalid argument "x" for "--context" flag: strconv.ParseInt: parsing "x": invalid syntax\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = ours(args, ns);
      expect({ args, stderr: r.stderr, stdout: r.stdout, status: r.status }).toEqual({
        args,
        stderr,
        stdout: "",
        status: 1,
      });
    }
    const usage = ours(["diff", "revision", "web"], ns);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toStartWith('Error: "helm diff revision" requires at least 2 arguments\n');
  });
});
