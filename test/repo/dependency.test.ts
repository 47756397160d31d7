/**
 * `helm dependency update/build` and `--dependency-update` against real repositories (a real nginx
 * serving repositories made with real `helm package` + `helm repo index`, a real registry for
 * `oci://`), compared with real Helm: the same stdout lines (repository refreshes run in parallel,
 * so lines are compared sorted), stderr, exit status, the same files in `charts/` and the same lock
 * (`generated` aside). Hostile cases (a lying archive, a digest mismatch, a dependency name that
 * would leave charts/) fail with one line and leave charts/ as it was — deliberately beyond Helm.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type Nginx, startNginx } from "../support/nginx.ts";
import { type Registry, startRegistry } from "../support/registry.ts";
import { chartArchive, helm, newHome, ours } from "./support.ts";

let ng: Nginx;
let reg: Registry;
let work: string;
/** Separate homes with the same repositories configured. */
const homes = { helm: newHome("helmts-dep-h-"), ours: newHome("helmts-dep-o-") };
let U: string;

function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** A chart directory (Chart.yaml text given) with one template. */
function chartDir(
  parent: string,
  name: string,
  chartYaml: string,
  files: Record<string, string> = {},
): string {
  const dir = join(parent, name);
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(join(dir, "Chart.yaml"), chartYaml);
  writeFileSync(join(dir, "templates", "cm.yaml"), "kind: ConfigMap\nname: {{ .Chart.Name }}\n");
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** Package versions of a chart with real Helm into `dir`. */
function packageVersions(dir: string, name: string, versions: string[], extra = ""): void {
  const src = mkdtempSync(join(tmpdir(), "helmts-dep-src-"));
  for (const v of versions) {
    const c = chartDir(join(src, v), name, `apiVersion: v2\nname: ${name}\nversion: ${v}\n${extra}`);
    const r = helm(["package", c, "-d", dir], homes.helm.env);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  rmSync(src, { recursive: true, force: true });
}

function repoIndex(dir: string, url?: string): void {
  const r = helm(["repo", "index", dir, ...(url ? ["--url", url] : [])], homes.helm.env);
  if (r.status !== 0) throw new Error(r.stderr);
}

function both(args: string[]): void {
  for (const who of ["helm", "ours"] as const) {
    const r = (who === "helm" ? helm : ours)(args, homes[who].env);
    if (r.status !== 0) throw new Error(`${who} ${args.join(" ")}: ${r.stderr}`);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "helmts-dep-"));
  ng = await startNginx({ sites: [{ name: "plain" }] });
  U = ng.url("plain");
  packageVersions(join(ng.root, "repo1"), "sub", ["1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0"]);
  repoIndex(join(ng.root, "repo1"));
  packageVersions(join(ng.root, "repo2"), "lib", ["0.1.0", "0.2.0"], "type: library\n");
  repoIndex(join(ng.root, "repo2"), `${U}/repo2`);
  packageVersions(join(ng.root, "repo3"), "third", ["0.3.0"]);
  repoIndex(join(ng.root, "repo3"));
  // A repository whose sub-1.0.0.tgz is really sub 1.1.0 (index digest of the real 1.0.0).
  cpSync(join(ng.root, "repo1"), join(ng.root, "swapped"), { recursive: true });
  cpSync(join(ng.root, "repo1", "sub-1.1.0.tgz"), join(ng.root, "swapped", "sub-1.0.0.tgz"));
  // A repository whose index digests are right but whose "sub 1.0.0" archive holds chart "other".
  const liar = join(ng.root, "liar");
  mkdirSync(liar);
  const other = chartArchive({ name: "other", version: "1.0.0" });
  writeFileSync(join(liar, "sub-1.0.0.tgz"), other);
  writeFileSync(
    join(liar, "index.yaml"),
    `apiVersion: v1\nentries:\n  sub:\n  - apiVersion: v2\n    name: sub\n    version: 1.0.0\n    digest: ${sha256(other)}\n    urls:\n    - sub-1.0.0.tgz\n  - apiVersion: v2\n    name: sub\n    version: not-a-version\n    urls:\n    - sub-x.tgz\ngenerated: "2026-01-01T00:00:00Z"\n`,
  );
  reg = await startRegistry();
  for (const v of ["1.0.0", "1.1.0"]) {
    const r = helm(
      ["push", join(ng.root, "repo1", `sub-${v}.tgz`), `oci://${reg.host}/charts`, "--plain-http"],
      homes.helm.env,
    );
    if (r.status !== 0) throw new Error(r.stderr);
  }
  for (const [name, path] of [
    ["r1", "repo1"],
    ["r2", "repo2"],
    ["swapped", "swapped"],
    ["liar", "liar"],
  ]) {
    both(["repo", "add", name!, `${U}/${path}`]);
  }
  mkdirSync(join(work, "src"));
  chartDir(join(work, "src"), "localsub", "apiVersion: v2\nname: localsub\nversion: 3.1.0\n", {
    "values.yaml": "a: 1\n",
  });
}, 120_000);

afterAll(async () => {
  await ng?.stop();
  await reg?.stop();
  rmSync(work, { recursive: true, force: true });
  for (const h of Object.values(homes)) rmSync(h.home, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  stdout: string[];
  stderr: string;
  charts: Record<string, string>;
  lock: string | null;
}

/** The tar content of an archive: Helm's and our gzip streams differ (zlib vs Go), the tar must not. */
function archiveContent(bytes: Uint8Array): string {
  return sha256(gunzipSync(bytes));
}

function outcome(dir: string, r: { status: number; stdout: string; stderr: string }, who: string): Outcome {
  const home = homes[who as "helm" | "ours"].home;
  const norm = (s: string) => s.replaceAll(dir, "CHART").replaceAll(home, "HOME");
  const charts: Record<string, string> = {};
  const chartsDir = join(dir, "charts");
  if (existsSync(chartsDir)) {
    for (const f of readdirSync(chartsDir).sort()) {
      const p = join(chartsDir, f);
      charts[f] = f.endsWith(".tgz")
        ? archiveContent(readFileSync(p))
        : existsSync(join(p, "Chart.yaml"))
          ? "dir"
          : "file";
    }
  }
  const lockFile = ["Chart.lock", "requirements.lock"].find((f) => existsSync(join(dir, f)));
  const lock = lockFile
    ? `${lockFile}\n${readFileSync(join(dir, lockFile), "utf8").replace(/^generated: .*$/m, "generated: X")}`
    : null;
  return {
    status: r.status,
    stdout: norm(r.stdout).split("\n").filter(Boolean).sort(),
    stderr: norm(r.stderr),
    charts,
    lock,
  };
}

/** Run `args` (the chart directory appended) on two copies of `dir`, with real Helm and with ours. */
function runBoth(dir: string, args: string[], chartArg = true): { helm: Outcome; ours: Outcome } {
  const out = {} as { helm: Outcome; ours: Outcome };
  for (const who of ["helm", "ours"] as const) {
    const copy = join(work, `${who}-${Math.random().toString(36).slice(2)}`);
    cpSync(dir, copy, { recursive: true });
    const r = (who === "helm" ? helm : ours)([...args, ...(chartArg ? [copy] : [])], homes[who].env);
    out[who] = outcome(copy, r, who);
  }
  return out;
}

function expectSame(dir: string, args: string[]): { helm: Outcome; ours: Outcome } {
  const r = runBoth(dir, args);
  expect(r.ours).toEqual(r.helm);
  return r;
}

function parent(name: string, deps: string, apiVersion = "v2"): string {
  const yaml = `apiVersion: ${apiVersion}\nname: ${name}\nversion: 0.1.0\n`;
  if (apiVersion === "v1")
    return chartDir(work, name, yaml, { "requirements.yaml": `dependencies:\n${deps}` });
  return chartDir(work, name, `${yaml}dependencies:\n${deps}`);
}

describe("dependency update", () => {
  test("configured URL, @alias, alias:, unmanaged URL, file:// and charts/ dependencies", () => {
    const dir = parent(
      "p-all",
      `- name: sub\n  version: ~1.0\n  repository: ${U}/repo1\n- name: sub\n  alias: sub2\n  version: ^1.0.0\n  repository: "@r1"\n- name: lib\n  version: "*"\n  repository: alias:r2\n- name: third\n  version: ">=0.1"\n  repository: ${U.replace("127.0.0.1", "localhost")}/repo3/\n- name: localsub\n  version: ~3\n  repository: file://../src/localsub\n- name: inch\n  version: ~1\n`,
    );
    chartDir(join(dir, "charts"), "inch", "apiVersion: v2\nname: inch\nversion: 1.5.0\n");
    const r = expectSame(dir, ["dependency", "update"]);
    expect(r.ours.status).toBe(0);
    expect(Object.keys(r.ours.charts)).toEqual([
      "inch",
      "lib-0.2.0.tgz",
      "localsub-3.1.0.tgz",
      "sub-1.0.0.tgz",
      "sub-1.1.0.tgz",
      "third-0.3.0.tgz",
    ]);
    expect(r.ours.stdout).toContain("Getting updates for unmanaged Helm repositories...");
    expect(r.ours.lock).toContain("digest: sha256:");
  });

  test("archives already in charts/ are removed, unpacked charts and other files kept; an unchanged lock is not rewritten", () => {
    const dir = parent("p-stale", `- name: sub\n  version: 1.1.0\n  repository: "@r1"\n`);
    mkdirSync(join(dir, "charts"));
    cpSync(join(ng.root, "repo1", "sub-1.0.0.tgz"), join(dir, "charts", "sub-1.0.0.tgz"));
    cpSync(join(ng.root, "repo2", "lib-0.1.0.tgz"), join(dir, "charts", "sub-9.9.9.tgz"));
    cpSync(join(ng.root, "repo2", "lib-0.2.0.tgz"), join(dir, "charts", "lib-0.2.0.tgz"));
    writeFileSync(join(dir, "charts", "lib-0.2.0.tgz.prov"), "not a chart");
    chartDir(join(dir, "charts"), "unpacked", "apiVersion: v2\nname: unpacked\nversion: 1.0.0\n");
    const r = expectSame(dir, ["dependency", "update", "--skip-refresh"]);
    expect(Object.keys(r.ours.charts)).toEqual(["lib-0.2.0.tgz.prov", "sub-1.1.0.tgz", "unpacked"]);
    expect(r.ours.stdout).toContain(
      "Could not verify CHART/charts/lib-0.2.0.tgz.prov for deletion: file 'CHART/charts/lib-0.2.0.tgz.prov' does not appear to be a gzipped archive; got 'application/octet-stream' (Skipping)",
    );
    // Second run on our own result: same digest, the lock keeps its generated time.
    const lockPath = join(dir, "Chart.lock");
    const first = ours(["dependency", "update", "--skip-refresh", dir], homes.ours.env);
    expect(first.status).toBe(0);
    const before = readFileSync(lockPath, "utf8");
    const again = ours(["dependency", "update", "--skip-refresh", dir], homes.ours.env);
    expect(again.status).toBe(0);
    expect(readFileSync(lockPath, "utf8")).toBe(before);
  });

  test("apiVersion v1 chart: requirements.yaml in, requirements.lock out", () => {
    const dir = parent("p-v1", `- name: sub\n  version: ~1.0\n  repository: "@r1"\n`, "v1");
    const r = expectSame(dir, ["dependency", "update", "--skip-refresh"]);
    expect(r.ours.lock?.startsWith("requirements.lock")).toBe(true);
  });

  test("oci:// dependencies resolved against the registry's tags", () => {
    const dir = parent("p-oci", `- name: sub\n  version: ~1.0\n  repository: oci://${reg.host}/charts\n`);
    const r = expectSame(dir, ["dependency", "update", "--plain-http", "--skip-refresh"]);
    expect(r.ours.charts["sub-1.0.0.tgz"]).toBeDefined();
    const none = parent(
      "p-oci-none",
      `- name: sub\n  version: ~5.0\n  repository: oci://${reg.host}/charts\n`,
    );
    expect(expectSame(none, ["dependency", "update", "--plain-http", "--skip-refresh"]).ours.status).toBe(1);
  });

  const errors: [string, string][] = [
    [
      "unknown repositories",
      `- name: a\n  version: ~1\n  repository: stable\n- name: b\n  version: ~1\n  repository: "@nope"\n`,
    ],
    ["unknown alias only", `- name: a\n  version: ~1\n  repository: "@nope"\n`],
    [
      "no version in range",
      `- name: sub\n  version: ~9.0\n  repository: "@r1"\n- name: sub\n  alias: s2\n  version: ~8\n  repository: "@r1"\n`,
    ],
    ["chart not in repository", `- name: nosuch\n  version: ~1\n  repository: "@r1"\n`],
    ["invalid constraint", `- name: sub\n  version: bad version\n  repository: "@r1"\n`],
    ["file:// directory missing", `- name: sub\n  version: ~1\n  repository: file://../nowhere\n`],
    [
      "file:// version out of range",
      `- name: localsub\n  version: ~1\n  repository: file://../src/localsub\n`,
    ],
    ["charts/ directory missing", `- name: inch\n  version: ~1\n`],
    [
      "duplicate names",
      `- name: sub\n  version: ~1\n  repository: "@r1"\n- name: sub\n  version: ~1\n  repository: "@r1"\n`,
    ],
    ["version listed in no cache", `- name: sub\n  version: ~1\n  repository: http://127.0.0.1:1/none\n`],
  ];
  for (const [title, deps] of errors) {
    test(`error: ${title}`, () => {
      const dir = parent(`p-err-${title.replaceAll(/\W+/g, "-")}`, deps);
      const r = expectSame(dir, ["dependency", "update", "--skip-refresh"]);
      expect(r.ours.status).toBe(1);
      expect(r.ours.stderr).toStartWith("Error: ");
    });
  }

  test("error: not a directory, not found", () => {
    const tgz = join(work, "some.tgz");
    writeFileSync(tgz, chartArchive({ name: "x", version: "1.0.0" }));
    for (const arg of [tgz, join(work, "missing")]) {
      const h = helm(["dependency", "update", arg], homes.helm.env);
      const o = ours(["dependency", "update", arg], homes.ours.env);
      expect(o.status).toBe(1);
      expect(o.stderr).toBe(h.stderr);
    }
  });

  test("an index entry with an invalid version is skipped with Helm's warning", () => {
    // liar's "not-a-version" entry; the resolvable 1.0.0 is then refused by us for lying (below).
    const dir = parent("p-badver", `- name: sub\n  version: ~2\n  repository: "@liar"\n`);
    const r = runBoth(dir, ["dependency", "update", "--skip-refresh"]);
    expect(r.ours.status).toBe(1);
    expect(r.ours.stderr).toBe(r.helm.stderr);
  });
});

describe("dependency update: hostile repositories (beyond Helm)", () => {
  function oursOnly(
    name: string,
    deps: string,
  ): { status: number; stdout: string; stderr: string; dir: string } {
    const dir = parent(name, deps);
    mkdirSync(join(dir, "charts"));
    cpSync(join(ng.root, "repo1", "sub-2.0.0.tgz"), join(dir, "charts", "sub-2.0.0.tgz"));
    const r = ours(["dependency", "update", "--skip-refresh", dir], homes.ours.env);
    // Nothing half-written: charts/ as before, no lock.
    expect(readdirSync(join(dir, "charts"))).toEqual(["sub-2.0.0.tgz"]);
    expect(existsSync(join(dir, "Chart.lock"))).toBe(false);
    return { ...r, dir };
  }

  test("an archive whose digest differs from the index's", () => {
    const r = oursOnly("h-digest", `- name: sub\n  version: 1.0.0\n  repository: "@swapped"\n`);
    expect(r.status).toBe(1);
    expect(r.stderr).toEndWith(
      `\nError: could not download ${U}/swapped/sub-1.0.0.tgz: digest mismatch: the index says sha256:${sha256(readFileSync(join(ng.root, "repo1", "sub-1.0.0.tgz")))}, the download is sha256:${sha256(readFileSync(join(ng.root, "repo1", "sub-1.1.0.tgz")))}\n`,
    );
  });

  test("an archive that holds another chart than the index says", () => {
    const r = oursOnly("h-liar", `- name: sub\n  version: 1.0.0\n  repository: "@liar"\n`);
    expect(r.status).toBe(1);
    expect(r.stderr).toEndWith(
      `\nError: could not download ${U}/liar/sub-1.0.0.tgz: sub-1.0.0.tgz holds chart "other" version "1.0.0", not the locked "sub" version "1.0.0"\n`,
    );
    expect(r.stdout).toContain("Save error occurred:  could not download");
  });

  test("a dependency name that is not a plain name", () => {
    const r = oursOnly("h-name", `- name: ../evil\n  version: ~3\n  repository: file://../src/localsub\n`);
    expect(r.status).toBe(1);
    expect(r.stderr).toEndWith(
      '\nError: dependency name "../evil" is not a chart name: it cannot name a file in charts/\n',
    );
    expect(existsSync(join(work, "h-name", "evil-3.1.0.tgz"))).toBe(false);
  });
});

describe("dependency build", () => {
  const deps = () =>
    `- name: sub\n  version: ~1.0\n  repository: "@r1"\n- name: lib\n  version: "*"\n  repository: ${U}/repo2\n`;
  let locked: string;
  beforeAll(() => {
    locked = parent("b-locked", deps());
    const r = helm(["dependency", "update", "--skip-refresh", locked], homes.helm.env);
    if (r.status !== 0) throw new Error(r.stderr);
    rmSync(join(locked, "charts"), { recursive: true });
  });

  test("downloads exactly the locked versions", () => {
    const r = expectSame(locked, ["dependency", "build"]);
    expect(r.ours.status).toBe(0);
    expect(Object.keys(r.ours.charts)).toEqual(["lib-0.2.0.tgz", "sub-1.0.0.tgz"]);
  });

  test("a lock out of sync with Chart.yaml", () => {
    const dir = join(work, "b-edited");
    cpSync(locked, dir, { recursive: true });
    writeFileSync(
      join(dir, "Chart.lock"),
      readFileSync(join(dir, "Chart.lock"), "utf8").replace("0.2.0", "0.1.0"),
    );
    const r = expectSame(dir, ["dependency", "build", "--skip-refresh"]);
    expect(r.ours.stderr).toBe(
      "Error: the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies\n",
    );
  });

  test("a locked repository that is not configured; no lock (an update)", () => {
    const unmanaged = parent(
      "b-unmanaged",
      `- name: lib\n  version: "*"\n  repository: ${U.replace("127.0.0.1", "localhost")}/repo2\n`,
    );
    expect(helm(["dependency", "update", unmanaged], homes.helm.env).status).toBe(0);
    expect(expectSame(unmanaged, ["dependency", "build", "--skip-refresh"]).ours.status).toBe(1);
    const nolock = parent("b-nolock", deps());
    expect(expectSame(nolock, ["dependency", "build"]).ours.status).toBe(0);
  });

  test("oci:// lock", () => {
    const dir = parent("b-oci", `- name: sub\n  version: ~1.1\n  repository: oci://${reg.host}/charts\n`);
    expect(helm(["dependency", "update", "--plain-http", dir], homes.helm.env).status).toBe(0);
    rmSync(join(dir, "charts"), { recursive: true });
    expect(expectSame(dir, ["dependency", "build", "--plain-http", "--skip-refresh"]).ours.status).toBe(0);
  });
});

describe("--dependency-update", () => {
  const deps = `- name: sub\n  version: ~1.0\n  repository: "@r1"\n`;

  /** Run `args` + a fresh copy of a chart declaring `deps`, with real Helm and with ours. */
  function pair(name: string, args: string[]) {
    const src = parent(name, deps);
    const run = (who: "helm" | "ours") => {
      const dir = join(work, `${name}-${who}`);
      cpSync(src, dir, { recursive: true });
      const r = (who === "helm" ? helm : ours)([...args, dir, "--dependency-update"], homes[who].env);
      return { ...r, dir, stdout: r.stdout.replaceAll(dir, "CHART") };
    };
    return { helm: run("helm"), ours: run("ours") };
  }

  test("template updates missing dependencies before rendering", () => {
    const r = pair("du-template", ["template", "rel"]);
    expect(r.ours.status).toBe(0);
    expect(r.ours.stdout.split("\n").sort()).toEqual(r.helm.stdout.split("\n").sort());
    expect(readdirSync(join(r.ours.dir, "charts"))).toEqual(["sub-1.0.0.tgz"]);
  });

  test("install --dry-run=client updates missing dependencies first", () => {
    const r = pair("du-install", ["install", "rel", "--dry-run=client"]);
    expect(r.ours.status).toBe(0);
    const stable = (s: string) =>
      s
        .split("\n")
        .filter((l) => !l.startsWith("LAST DEPLOYED"))
        .sort();
    expect(stable(r.ours.stdout)).toEqual(stable(r.helm.stdout));
  });

  test("template without the flag names the missing dependencies", () => {
    const dir = parent("du-missing", deps);
    const h = helm(["template", "rel", dir], homes.helm.env);
    const o = ours(["template", "rel", dir], homes.ours.env);
    expect(o.status).toBe(1);
    expect(o.stderr).toBe(h.stderr);
  });

  test("package -u downloads the dependencies into the archive, silently", () => {
    const dir = parent("du-package", deps);
    const out = { helm: join(work, "pkg-h"), ours: join(work, "pkg-o") };
    const h = helm(["package", "-u", dir, "-d", out.helm], homes.helm.env);
    rmSync(join(dir, "charts"), { recursive: true, force: true });
    rmSync(join(dir, "Chart.lock"), { force: true });
    const o = ours(["package", "-u", dir, "-d", out.ours], homes.ours.env);
    expect(o.status).toBe(0);
    expect(o.stdout).toBe(h.stdout.replace(out.helm, out.ours));
    const list = (d: string) =>
      helm(["show", "chart", join(d, "du-package-0.1.0.tgz")], homes.helm.env).stdout;
    expect(list(out.ours)).toBe(list(out.helm));
    expect(readdirSync(join(dir, "charts"))).toEqual(["sub-1.0.0.tgz"]);
  });
});
