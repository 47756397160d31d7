/**
 * `helm repo index` compared with real Helm's output for the same directory (`generated` and
 * `created` are the clock's, so they are masked), and `helm serve` used as a repository by real
 * Helm and by our binary: repo add, search, pull, a new archive picked up without restarting,
 * nothing outside the directory served.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../cluster/harness.ts";
import { HELM_TS } from "../support/binary.ts";
import { chartArchive, helm, newHome, ours } from "./support.ts";

let work: string;
const homes = { helm: newHome("helmts-idx-h-"), ours: newHome("helmts-idx-o-") };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "helmts-idx-"));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const h of Object.values(homes)) rmSync(h.home, { recursive: true, force: true });
});

/** A directory of archives: top level, a subdirectory, a duplicate, junk, a v1 chart with dependencies. */
function chartsDir(): string {
  const dir = mkdtempSync(join(work, "charts-"));
  writeFileSync(
    join(dir, "alpha-1.0.0.tgz"),
    chartArchive({ name: "alpha", version: "1.0.0", appVersion: "1.0" }),
  );
  writeFileSync(
    join(dir, "alpha-1.1.0-rc.1.tgz"),
    chartArchive({ name: "alpha", version: "1.1.0-rc.1", keywords: ["web", "<b>"] }),
  );
  writeFileSync(join(dir, "copy.tgz"), chartArchive({ name: "alpha", version: "1.0.0", appVersion: "1.0" }));
  writeFileSync(join(dir, "junk.tgz"), "not an archive");
  mkdirSync(join(dir, "nested"));
  writeFileSync(
    join(dir, "nested", "beta-2.0.0.tgz"),
    chartArchive({
      name: "beta",
      version: "2.0.0",
      extra:
        "maintainers:\n- name: Ann\n  email: ann@example.com\nannotations:\n  z: last\n  a: first\ndependencies:\n- name: alpha\n  version: ~1\n  repository: https://example.com/charts\n",
    }),
  );
  writeFileSync(join(dir, "notes.txt"), "ignored");
  return dir;
}

function masked(text: string): string {
  return text.replace(/("?(?:created|generated)"?): .*/g, "$1: X");
}

/** Index `dir` with each tool (its own index.yaml each time) and return both outputs. */
function indexBoth(dir: string, args: string[]): { helm: string; ours: string; status: [number, number] } {
  const h = helm(["repo", "index", dir, ...args], homes.helm.env);
  const hText = masked(readFileSync(join(dir, "index.yaml"), "utf8"));
  rmSync(join(dir, "index.yaml"));
  const o = ours(["repo", "index", dir, ...args], homes.ours.env);
  const oText = masked(readFileSync(join(dir, "index.yaml"), "utf8"));
  return { helm: hText, ours: oText, status: [h.status, o.status] };
}

describe("helm repo index", () => {
  for (const [title, args] of [
    ["relative URLs", []],
    ["--url", ["--url", "https://charts.example.com/repo/"]],
    ["--url without a scheme", ["--url", "::odd"]],
    ["--json", ["--json"]],
  ] as [string, string[]][]) {
    test(title, () => {
      const r = indexBoth(chartsDir(), args);
      expect(r.status).toEqual([0, 0]);
      expect(r.ours).toBe(r.helm);
      expect(r.ours).toContain("beta");
    });
  }

  test("--merge into an existing index keeps versions the directory lacks; a missing one is created", () => {
    const dir = chartsDir();
    const old = join(work, "old-index.yaml");
    writeFileSync(
      old,
      `apiVersion: v1\nentries:\n  alpha:\n  - apiVersion: v2\n    created: "2020-01-02T03:04:05.5+01:00"\n    digest: abc\n    name: alpha\n    urls:\n    - https://old.example.com/alpha-0.9.0.tgz\n    version: 0.9.0\n  - apiVersion: v2\n    name: alpha\n    urls:\n    - https://old.example.com/alpha-1.0.0.tgz\n    version: 1.0.0\ngenerated: "2020-01-01T00:00:00Z"\n`,
    );
    const r = indexBoth(dir, ["--merge", old]);
    expect(r.ours).toBe(r.helm);
    expect(r.ours).toContain("alpha-0.9.0.tgz");
    const missing = { helm: join(work, "m-h.yaml"), ours: join(work, "m-o.yaml") };
    expect(helm(["repo", "index", dir, "--merge", missing.helm], homes.helm.env).status).toBe(0);
    expect(ours(["repo", "index", dir, "--merge", missing.ours], homes.ours.env).status).toBe(0);
    expect(masked(readFileSync(missing.ours, "utf8"))).toBe(masked(readFileSync(missing.helm, "utf8")));
  });

  test("errors: a directory that does not exist, no argument, an unreadable merge file", () => {
    const gone = join(work, "gone");
    const h = helm(["repo", "index", gone], homes.helm.env);
    const o = ours(["repo", "index", gone], homes.ours.env);
    expect(o.status).toBe(1);
    // Helm names its random temp file (index.yaml123456789); the rest is the same.
    expect(o.stderr).toBe(h.stderr.replace(/index\.yaml\d+/, "index.yaml"));
    expect(ours(["repo", "index"], homes.ours.env)).toEqual(helm(["repo", "index"], homes.helm.env));
    const bad = join(work, "bad-merge.yaml");
    writeFileSync(bad, "apiVersion: v1\nentries: [1\n");
    const dir = chartsDir();
    const hb = helm(["repo", "index", dir, "--merge", bad], homes.helm.env);
    const ob = ours(["repo", "index", dir, "--merge", bad], homes.ours.env);
    expect(ob.status).toBe(1);
    expect(hb.status).toBe(1);
    expect(ob.stderr).toStartWith("Error: merge failed: ");
  });
});

describe("helm serve", () => {
  let served: string;
  let child: ChildProcess;
  let url: string;
  let output = "";

  beforeAll(async () => {
    served = mkdtempSync(join(work, "served-"));
    writeFileSync(join(served, "alpha-1.0.0.tgz"), chartArchive({ name: "alpha", version: "1.0.0" }));
    writeFileSync(join(served, "alpha-1.2.0.tgz"), chartArchive({ name: "alpha", version: "1.2.0" }));
    writeFileSync(join(work, "secret.txt"), "not for you");
    const port = (await freePorts(1))[0]!;
    url = `http://127.0.0.1:${port}`;
    child = spawn(
      process.env.HELM_TS_BIN ?? HELM_TS,
      ["serve", "--repo-path", served, "--address", `127.0.0.1:${port}`],
      {
        env: homes.ours.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    for (let i = 0; i < 100 && !output.includes("Now serving"); i++) await Bun.sleep(50);
  });

  afterAll(() => {
    child?.kill("SIGTERM");
  });

  test("prints Helm 2's lines and writes index.yaml into the directory", () => {
    expect(output).toBe(`Regenerating index. This may take a moment.\nNow serving you on ${url.slice(7)}\n`);
    expect(readFileSync(join(served, "index.yaml"), "utf8")).toContain(`${url}/alpha-1.2.0.tgz`);
  });

  for (const who of ["helm", "ours"] as const) {
    test(`${who === "helm" ? "real Helm" : "our binary"}: repo add, search, pull, a new chart picked up`, async () => {
      const run = (args: string[]) => (who === "helm" ? helm : ours)(args, homes[who].env);
      expect(run(["repo", "add", "local", url]).status).toBe(0);
      const search = run(["search", "repo", "local/alpha", "--versions", "-o", "json"]);
      expect(JSON.parse(search.stdout).map((r: { version: string }) => r.version)).toEqual([
        "1.2.0",
        "1.0.0",
      ]);
      const dest = mkdtempSync(join(work, `pull-${who}-`));
      expect(run(["pull", "local/alpha", "--version", "~1.0.0", "-d", dest]).status).toBe(0);
      expect(readFileSync(join(dest, "alpha-1.0.0.tgz"))).toEqual(
        readFileSync(join(served, "alpha-1.0.0.tgz")),
      );
      const name = who === "helm" ? "gamma" : "delta";
      writeFileSync(join(served, `${name}-0.1.0.tgz`), chartArchive({ name, version: "0.1.0" }));
      expect(run(["repo", "update", "local"]).status).toBe(0);
      expect(run(["search", "repo", name]).stdout).toContain(`local/${name}`);
    });
  }

  test("serves only regular files inside the directory", async () => {
    copyFileSync(join(work, "secret.txt"), join(work, "secret-copy.txt"));
    for (const path of ["/../secret.txt", "/charts/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/nope.tgz"]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(404);
    }
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain(`<a href="${url}/alpha-1.2.0.tgz">alpha-1.2.0</a>`);
    expect((await fetch(`${url}/charts/alpha-1.2.0.tgz`)).status).toBe(200);
  });

  test("a repository path that does not exist", () => {
    const r = ours(["serve", "--repo-path", join(work, "none"), "--address", "127.0.0.1:1"], homes.ours.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`Error: stat ${join(work, "none")}: no such file or directory\n`);
  });
});
