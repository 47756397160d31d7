/**
 * OCI interop against a real registry (docker-registry): charts pushed by us are pulled and
 * rendered by real Helm and vice versa, manifests are byte-identical to Helm's, credentials stored
 * by either tool's `registry login` serve the other, TLS with a CA bundle. Errors and the
 * `Pushed:`/`Pulled:` lines are compared with real Helm's.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartArchive, helm, newHome, ours } from "../repo/support.ts";
import { type Registry, startRegistry } from "../support/registry.ts";

const USER = "alice";
const PASSWORD = "s3cret-pw";

let plain: Registry;
let authed: Registry;
let tls: Registry;

beforeAll(async () => {
  [plain, authed, tls] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: { user: USER, password: PASSWORD } }),
    startRegistry({ tls: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([plain?.stop(), authed?.stop(), tls?.stop()]);
});

/** A chart archive written to `dir/NAME-VERSION.tgz` with a fixed modification time. */
function writeChart(dir: string, name: string, version: string, extra?: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-${version}.tgz`);
  writeFileSync(path, chartArchive({ name, version, appVersion: "1.0", extra }));
  const when = new Date("2024-05-06T07:08:09Z");
  utimesSync(path, when, when);
  return path;
}

async function manifestOf(reg: Registry, repo: string, tag: string): Promise<string> {
  const res = await fetch(`http://${reg.host}/v2/${repo}/manifests/${tag}`, {
    headers: { Accept: "application/vnd.oci.image.manifest.v1+json" },
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe("push", () => {
  test("our manifest, config and annotations are byte-identical to real Helm's; output too", async () => {
    const { home, env } = newHome();
    const tgz = writeChart(
      home,
      "annotated",
      "1.2.3+build.7",
      "home: https://example.com/?a=1&b=<2>\nsources: [https://src.example.com]\nmaintainers:\n- name: Ann\n  email: ann@example.com\n- name: Bob\nannotations:\n  zeta: z\n  alpha: a\n  org.opencontainers.image.title: not-this",
    );
    const a = ours(["push", tgz, `oci://${plain.host}/ours`, "--plain-http"], env);
    const b = helm(["push", tgz, `oci://${plain.host}/theirs`, "--plain-http"], env);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr.replaceAll("/ours/", "/theirs/")).toBe(b.stderr);
    expect(a.stderr).toContain("contains an underscore.");
    const mine = await manifestOf(plain, "ours/annotated", "1.2.3_build.7");
    expect(mine).toBe(await manifestOf(plain, "theirs/annotated", "1.2.3_build.7"));
    expect(JSON.parse(mine).annotations["org.opencontainers.image.title"]).toBe("annotated");
  });

  test("errors: missing file, non-OCI remote, TLS to a plain registry", () => {
    const { home, env } = newHome();
    const tgz = writeChart(home, "errs", "0.1.0");
    for (const args of [
      ["push", join(home, "nope.tgz"), `oci://${plain.host}/x`, "--plain-http"],
      ["push", tgz, `${plain.host}/x`, "--plain-http"],
    ]) {
      const a = ours(args, env);
      const b = helm(args, env);
      expect(a.status).toBe(1);
      expect(a.stderr).toBe(b.stderr);
    }
    const a = ours(["push", tgz, `oci://${plain.host}/x`], env);
    expect(a.status).toBe(1);
    expect(a.stderr).toContain("http: server gave HTTP response to HTTPS client");
  });
});

describe("pull and render", () => {
  let env: Record<string, string>;
  let home: string;
  beforeAll(() => {
    ({ home, env } = newHome());
    for (const v of ["0.1.0", "0.2.0", "1.0.0-rc.1", "0.3.0+meta"]) {
      const r = helm(
        ["push", writeChart(join(home, "src"), "web", v), `oci://${plain.host}/charts`, "--plain-http"],
        env,
      );
      expect(r.status).toBe(0);
    }
  });

  const cases: [string, string[]][] = [
    ["latest stable tag", []],
    ["exact version", ["--version", "0.1.0"]],
    ["constraint", ["--version", "~0.2"]],
    ["build metadata (+ read as _)", ["--version", "0.3.0+meta"]],
    ["prerelease by constraint", ["--version", ">=1.0.0-0"]],
    ["no match", ["--version", "^5"]],
    ["missing exact tag", ["--version", "9.9.9"]],
  ];
  for (const [what, flags] of cases) {
    test(`pull ${what}: same file and output as real Helm`, () => {
      const d1 = join(home, `ours-${what}`);
      const d2 = join(home, `helm-${what}`);
      mkdirSync(d1);
      mkdirSync(d2);
      const args = ["pull", `oci://${plain.host}/charts/web`, "--plain-http", ...flags];
      const a = ours([...args, "-d", d1], env);
      const b = helm([...args, "-d", d2], env);
      expect(a.stderr).toBe(b.stderr);
      expect(a.stdout).toBe(b.stdout);
      expect(a.status).toBe(b.status);
      expect(readdirSync(d1)).toEqual(readdirSync(d2));
      for (const f of readdirSync(d1)) expect(readFileSync(join(d1, f))).toEqual(readFileSync(join(d2, f)));
    });
  }

  test("pull by digest, and a tag whose digest does not match is refused", async () => {
    const res = await fetch(`http://${plain.host}/v2/charts/web/manifests/0.1.0`, {
      method: "HEAD",
      headers: { Accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    const digest = res.headers.get("docker-content-digest")!;
    const d1 = join(home, "dig-ours");
    const d2 = join(home, "dig-helm");
    mkdirSync(d1);
    mkdirSync(d2);
    const args = ["pull", `oci://${plain.host}/charts/web@${digest}`, "--plain-http"];
    const a = ours([...args, "-d", d1], env);
    const b = helm([...args, "-d", d2], env);
    expect(a.status).toBe(0);
    expect(a.stderr).toBe(b.stderr);
    expect(readdirSync(d1)).toEqual(readdirSync(d2));
    const mismatch = [
      "template",
      "x",
      `oci://${plain.host}/charts/web@${digest}`,
      "--version",
      "0.2.0",
      "--plain-http",
    ];
    const c = ours(mismatch, env);
    const e = helm(mismatch, env);
    expect(c.status).toBe(1);
    expect(c.stderr).toBe(e.stderr);
  });

  test("template and install --dry-run=client of a chart real Helm pushed", () => {
    const args = ["template", "rel", `oci://${plain.host}/charts/web`, "--version", "0.2.0", "--plain-http"];
    const a = ours(args, env);
    const b = helm(args, env);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(b.stderr);
    expect(a.stdout).toContain("name: rel");
    const i = ours(
      ["install", "rel", `oci://${plain.host}/charts/web:0.2.0`, "--plain-http", "--dry-run=client"],
      env,
    );
    expect(i.stderr).toContain(`Pulled: ${plain.host}/charts/web:0.2.0`);
    expect(i.stdout).toContain("kind: ConfigMap");
    expect(i.status).toBe(0);
  });

  test("real Helm pulls and renders what we pushed", () => {
    const tgz = writeChart(join(home, "mine"), "ourchart", "2.0.0");
    expect(ours(["push", tgz, `oci://${plain.host}/from-us`, "--plain-http"], env).status).toBe(0);
    const r = helm(["template", "t", `oci://${plain.host}/from-us/ourchart`, "--plain-http"], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("name: t");
    expect(r.stderr).toContain(`Pulled: ${plain.host}/from-us/ourchart:2.0.0`);
  });
});

describe("registry login", () => {
  test("our stored credentials serve real Helm, and Helm's serve us; logout removes them", () => {
    const { home, env } = newHome();
    const tgz = writeChart(home, "secret", "0.1.0");
    const login = ["registry", "login", authed.host, "-u", USER, "--password-stdin", "--plain-http"];
    const a = ours(login, env, `${PASSWORD}\n`);
    expect(a.stderr).toBe("Login Succeeded\n");
    expect(a.status).toBe(0);
    const config = readFileSync(join(home, "config", "registry", "config.json"), "utf8");
    const h2 = newHome();
    expect(helm(login, h2.env, `${PASSWORD}\n`).status).toBe(0);
    expect(config).toBe(readFileSync(join(h2.home, "config", "registry", "config.json"), "utf8"));
    // Real Helm pushes with the credentials we stored; we pull with the ones Helm stored.
    expect(helm(["push", tgz, `oci://${authed.host}/p`, "--plain-http"], env).status).toBe(0);
    const d = join(h2.home, "out");
    mkdirSync(d);
    const p = ours(["pull", `oci://${authed.host}/p/secret`, "--plain-http", "-d", d], h2.env);
    expect(p.status).toBe(0);
    expect(readdirSync(d)).toEqual(["secret-0.1.0.tgz"]);
    const out = ours(["registry", "logout", authed.host], env);
    expect(out.stderr).toBe(`Removing login credentials for ${authed.host}\n`);
    const after = ours(["pull", `oci://${authed.host}/p/secret`, "--plain-http", "-d", d], env);
    const helmAfter = helm(["pull", `oci://${authed.host}/p/secret`, "--plain-http", "-d", d], env);
    expect(after.status).toBe(1);
    expect(after.stderr).toBe(helmAfter.stderr);
  });

  test("a wrong password and an unreachable host fail as in Helm, storing nothing", () => {
    const { home, env } = newHome();
    for (const host of [authed.host, "127.0.0.1:1"]) {
      const args = ["registry", "login", host, "-u", USER, "-p", "wrong", "--plain-http"];
      const a = ours(args, env);
      const b = helm(args, env);
      expect(a.status).toBe(1);
      expect(a.stderr).toBe(b.stderr);
    }
    expect(() => readFileSync(join(home, "config", "registry", "config.json"))).toThrow();
  });

  test("--username/--password flags on pull work without login", () => {
    const { home, env } = newHome();
    const tgz = writeChart(home, "flagged", "0.1.0");
    const creds = ["--username", USER, "--password", PASSWORD, "--plain-http"];
    expect(ours(["push", tgz, `oci://${authed.host}/f`, ...creds], env).status).toBe(0);
    const r = ours(["template", `oci://${authed.host}/f/flagged`, ...creds], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("kind: ConfigMap");
  });
});

describe("TLS", () => {
  test("--ca-file trusts the registry; without it the certificate is refused; --insecure-skip-tls-verify skips", () => {
    const { home, env } = newHome();
    const tgz = writeChart(home, "tlschart", "0.1.0");
    const refused = ours(["push", tgz, `oci://${tls.host}/t`], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("x509: certificate signed by unknown authority");
    expect(ours(["push", tgz, `oci://${tls.host}/t`, "--ca-file", tls.ca], env).status).toBe(0);
    const d = join(home, "out");
    mkdirSync(d);
    expect(
      ours(["pull", `oci://${tls.host}/t/tlschart`, "--insecure-skip-tls-verify", "-d", d], env).status,
    ).toBe(0);
    expect(readdirSync(d)).toEqual(["tlschart-0.1.0.tgz"]);
    const r = helm(["pull", `oci://${tls.host}/t/tlschart`, "--ca-file", tls.ca, "-d", home], env);
    expect(r.status).toBe(0);
  });
});
