/**
 * `helm repo add|list|remove|update` and `helm search repo` against a real nginx (plain, basic
 * auth, TLS, mutual TLS), compared with real Helm v4.1.4 run on the same servers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Nginx, startNginx } from "../support/nginx.ts";
import { type ChartSpec, helm, makeRepo, newHome, ours, sortedLines } from "./support.ts";

const AUTH = { user: "alice", password: "s3cret" };

const CHARTS: ChartSpec[] = [
  {
    name: "alpha",
    version: "1.2.3",
    appVersion: "1.16.0",
    keywords: ["web", "nginx"],
    description: "An nginx-based web server",
  },
  {
    name: "alpha",
    version: "1.10.0",
    appVersion: "1.17.0",
    keywords: ["web"],
    description: "An nginx-based web server, newer and with a description long enough to be cut",
  },
  { name: "alpha", version: "2.0.0-beta.1", appVersion: "2.0.0", description: "next alpha" },
  { name: "alpha", version: "0.9.0", appVersion: "010", description: "old alpha" },
  { name: "beta", version: "0.1.0", description: "database server with an nginx front" },
  { name: "beta", version: "0.2.0-rc.1", description: "database server, release candidate" },
  {
    name: "gamma",
    version: "3.0.0",
    keywords: ["alpha", "tools"],
    description: "Gamma does things for alpha users",
  },
  { name: "nginx-thing", version: "1.0.0", description: "plain" },
  { name: "nginx-thing", version: "1.0.1", description: "plain, patched" },
  { name: "Zed", version: "1.0.0", appVersion: "v1", description: "upper-case name" },
  { name: "only-pre", version: "0.1.0-alpha.1", description: "nothing stable yet" },
];

let ng: Nginx;

beforeAll(async () => {
  ng = await startNginx({
    sites: [
      { name: "plain" },
      { name: "auth", auth: AUTH },
      { name: "tls", tls: true },
      { name: "mtls", mtls: true },
    ],
  });
  makeRepo(join(ng.root, "charts"), CHARTS, newHome().env);
  // A second repository with Helm's skip-worthy entries: an empty entry and an invalid version.
  makeRepo(join(ng.root, "other"), [{ name: "delta", version: "1.0.0", keywords: ["nginx"] }], newHome().env);
  const idx = join(ng.root, "other", "index.yaml");
  writeFileSync(
    idx,
    readFileSync(idx, "utf8").replace(
      "entries:\n",
      "entries:\n  broken:\n  - name: broken\n    version: not-a-version\n  - name: broken\n    version: 1.0.0\n  -\n",
    ),
  );
}, 60_000);

afterAll(async () => {
  await ng?.stop();
});

/** Run the same command with both tools, each in its own home prepared by `setup`. */
function both(setup: string[][], args: string[], input?: string) {
  const a = newHome();
  const b = newHome();
  for (const s of setup) {
    const x = ours(s, a.env);
    const y = helm(s, b.env);
    if (x.status !== 0 || y.status !== 0)
      throw new Error(`setup ${s.join(" ")} failed: ${x.stderr} / ${y.stderr}`);
  }
  return { ours: ours(args, a.env, input), helm: helm(args, b.env, input), homes: [a, b] };
}

describe("repo add, list, remove", () => {
  test("messages and repositories.yaml match Helm's", () => {
    const url = `${ng.url("plain")}/charts`;
    for (const [args, setup] of [
      [["repo", "add", "a", url], []],
      [["repo", "add", "a", url], [["repo", "add", "a", url]]],
      [["repo", "add", "a", `${url}/`], [["repo", "add", "a", url]]],
      [["repo", "add", "a", `${url}/`, "--force-update"], [["repo", "add", "a", url]]],
      [["repo", "add", "x/y", url], []],
      [["repo", "add", "d", "127.0.0.1:1"], []],
      [["repo", "add", "d", "ftp://127.0.0.1/charts"], []],
      [["repo", "add", "d", `${ng.url("plain")}/missing`], []],
      [["repo", "add", "d", "http://127.0.0.1:1/charts"], []],
      [["repo", "add", "d", "https://kubernetes-charts.storage.googleapis.com"], []],
      [["repo", "add", "d", url, "--no-update"], []],
      [["repo", "list"], []],
      [
        ["repo", "list"],
        [
          ["repo", "add", "a", url],
          ["repo", "add", "b", `${ng.url("plain")}/other`],
        ],
      ],
      [
        ["repo", "list", "-o", "json"],
        [
          ["repo", "add", "a", url],
          ["repo", "add", "b", `${ng.url("plain")}/other`],
        ],
      ],
      [["repo", "ls", "-o", "yaml"], [["repo", "add", "a", url]]],
      [["repo", "list", "--no-headers"], [["repo", "add", "a", url]]],
      [["repo", "list", "-o", "xml"], [["repo", "add", "a", url]]],
      [["repo", "remove", "a"], [["repo", "add", "a", url]]],
      [["repo", "rm", "a", "nope"], [["repo", "add", "a", url]]],
      [["repo", "remove", "a"], []],
    ] as [string[], string[][]][]) {
      const r = both(setup, args);
      const label = args.join(" ");
      expect(`${label}\n${r.ours.stdout}`).toBe(`${label}\n${r.helm.stdout}`);
      expect(`${label}\n${r.ours.stderr}`).toBe(`${label}\n${r.helm.stderr}`);
      expect(`${label} ${r.ours.status}`).toBe(`${label} ${r.helm.status}`);
      const [a, b] = r.homes;
      const file = (h: string) => {
        try {
          return readFileSync(join(h, "config", "repositories.yaml"), "utf8");
        } catch {
          return "<none>";
        }
      };
      expect(`${label}\n${file(a!.home)}`).toBe(`${label}\n${file(b!.home)}`);
    }
  }, 60_000);

  test("repositories.yaml is written 0600 beside Helm's lock file, and the cache in Helm's layout", () => {
    const { home, env } = newHome();
    expect(ours(["repo", "add", "a", `${ng.url("plain")}/charts`], env).status).toBe(0);
    expect(statSync(join(home, "config", "repositories.yaml")).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "config", "repositories.lock")).isFile()).toBe(true);
    const served = readFileSync(join(ng.root, "charts", "index.yaml"));
    expect(readFileSync(join(home, "cache", "repository", "a-index.yaml"))).toEqual(served);
    expect(readFileSync(join(home, "cache", "repository", "a-charts.txt"), "utf8")).toBe(
      "Zed\nalpha\nbeta\ngamma\nnginx-thing\nonly-pre\n",
    );
    expect(ours(["repo", "remove", "a"], env).status).toBe(0);
    expect(() => statSync(join(home, "cache", "repository", "a-index.yaml"))).toThrow();
  });

  test("real Helm reads our repositories.yaml and we read Helm's", () => {
    const plain = `${ng.url("plain")}/charts`;
    const add = [
      ["repo", "add", "a", plain],
      [
        "repo",
        "add",
        "b",
        `${ng.url("auth")}/charts`,
        "--username",
        AUTH.user,
        "--password",
        AUTH.password,
        "--pass-credentials",
      ],
      ["repo", "add", "c", `${ng.url("tls")}/charts`, "--ca-file", ng.ca],
      [
        "repo",
        "add",
        "d",
        `${ng.url("mtls")}/charts`,
        "--ca-file",
        ng.ca,
        "--cert-file",
        ng.clientCert,
        "--key-file",
        ng.clientKey,
      ],
      ["repo", "add", "e", `${ng.url("tls")}/charts`, "--insecure-skip-tls-verify"],
    ];
    const x = newHome();
    const y = newHome();
    for (const a of add) {
      expect(ours(a, x.env).status).toBe(0);
      expect(helm(a, y.env).status).toBe(0);
    }
    const mine = readFileSync(join(x.home, "config", "repositories.yaml"), "utf8");
    expect(mine).toBe(readFileSync(join(y.home, "config", "repositories.yaml"), "utf8"));
    // Each tool lists, updates and searches with the other's file and cache.
    for (const [tool, env] of [
      [helm, x.env],
      [ours, y.env],
    ] as const) {
      expect(tool(["repo", "list"], env).stdout).toBe(helm(["repo", "list"], y.env).stdout);
      const up = tool(["repo", "update"], env);
      expect(up.status).toBe(0);
      expect(sortedLines(up.stdout)).toEqual(sortedLines(helm(["repo", "update"], y.env).stdout));
      expect(tool(["search", "repo", "alpha"], env).stdout).toBe(
        helm(["search", "repo", "alpha"], y.env).stdout,
      );
    }
  }, 60_000);
});

describe("credentials and TLS", () => {
  test("basic auth: refused without credentials, accepted with them or from stdin", () => {
    const url = `${ng.url("auth")}/charts`;
    const r = both([], ["repo", "add", "a", url]);
    expect(r.ours.stderr).toBe(r.helm.stderr);
    expect(r.ours.stderr).toContain("401 Unauthorized");
    expect(
      both([], ["repo", "add", "a", url, "--username", AUTH.user, "--password", "wrong"]).ours.status,
    ).toBe(1);
    const ok = both([], ["repo", "add", "a", url, "--username", AUTH.user, "--password", AUTH.password]);
    expect(ok.ours.stdout).toBe(ok.helm.stdout);
    expect(ok.ours.status).toBe(0);
    const stdin = both(
      [],
      ["repo", "add", "a", url, "--username", AUTH.user, "--password-stdin"],
      `${AUTH.password}\n`,
    );
    expect(stdin.ours.stdout).toBe(stdin.helm.stdout);
    expect(stdin.ours.status).toBe(0);
  });

  test("TLS: unknown CA refused; --ca-file, --insecure-skip-tls-verify and client certificates work", () => {
    const url = `${ng.url("tls")}/charts`;
    const bad = both([], ["repo", "add", "a", url]);
    expect(bad.ours.status).toBe(1);
    expect(bad.helm.status).toBe(1);
    expect(bad.ours.stderr).toContain(
      `looks like "${url}" is not a valid chart repository or cannot be reached`,
    );
    expect(bad.ours.stderr).toContain("certificate signed by unknown authority");
    for (const args of [
      ["repo", "add", "a", url, "--ca-file", ng.ca],
      ["repo", "add", "a", url, "--insecure-skip-tls-verify"],
      [
        "repo",
        "add",
        "a",
        `${ng.url("mtls")}/charts`,
        "--ca-file",
        ng.ca,
        "--cert-file",
        ng.clientCert,
        "--key-file",
        ng.clientKey,
      ],
    ]) {
      const r = both([], args);
      expect(r.ours.stdout).toBe(r.helm.stdout);
      expect(`${args.join(" ")}: ${r.ours.status} ${r.ours.stderr}`).toBe(`${args.join(" ")}: 0 `);
    }
    const noClient = both([], ["repo", "add", "a", `${ng.url("mtls")}/charts`, "--ca-file", ng.ca]);
    expect(noClient.ours.status).toBe(1);
    expect(noClient.helm.status).toBe(1);
    expect(noClient.ours.stderr).toContain(`${ng.url("mtls")}/charts/index.yaml`);
  });
});

describe("repo update", () => {
  test("updates every repository, reports failures at the end, keeps the others", () => {
    const setup = [
      ["repo", "add", "a", `${ng.url("plain")}/charts`],
      ["repo", "add", "b", `${ng.url("plain")}/other`],
      ["repo", "add", "c", `${ng.url("tls")}/charts`, "--ca-file", ng.ca],
    ];
    const ok = both(setup, ["repo", "update"]);
    expect(sortedLines(ok.ours.stdout)).toEqual(sortedLines(ok.helm.stdout));
    expect(ok.ours.status).toBe(0);
    // Break one repository: the others still update, the failure is reported last.
    const a = newHome();
    const b = newHome();
    for (const s of setup) {
      ours(s, a.env);
      helm(s, b.env);
    }
    for (const h of [a, b]) {
      const f = join(h.home, "config", "repositories.yaml");
      writeFileSync(f, readFileSync(f, "utf8").replace("/other", "/gone"));
    }
    const x = ours(["repo", "update"], a.env);
    const y = helm(["repo", "update"], b.env);
    expect(sortedLines(x.stdout)).toEqual(sortedLines(y.stdout));
    expect(x.stderr).toBe(y.stderr);
    expect(x.status).toBe(1);
    for (const args of [
      ["repo", "update", "a", "nope"],
      ["repo", "up", "a"],
    ]) {
      const p = ours(args, a.env);
      const q = helm(args, b.env);
      expect(p.stdout).toBe(q.stdout);
      expect(p.stderr).toBe(q.stderr);
      expect(p.status).toBe(q.status);
    }
    const empty = both([], ["repo", "update"]);
    expect(empty.ours.stderr).toBe(empty.helm.stderr);
  }, 60_000);
});

describe("search repo", () => {
  test("same output as Helm for the same indexes", () => {
    const setup = [
      ["repo", "add", "a", `${ng.url("plain")}/charts`],
      ["repo", "add", "b", `${ng.url("plain")}/other`],
      ["repo", "add", "c", `${ng.url("plain")}/charts`, "--force-update"],
    ];
    const a = newHome();
    const b = newHome();
    for (const s of setup) {
      expect(ours(s, a.env).status).toBe(0);
      expect(helm(s, b.env).status).toBe(0);
    }
    const queries = [
      [],
      ["alpha"],
      ["ALPHA"],
      ["web"],
      ["nginx"],
      ["a/alpha"],
      ["server", "with"],
      ["-r", "al.*a"],
      ["-r", "^gam"],
      ["-r", "[a"],
      ["--devel"],
      ["-l"],
      ["-l", "--devel"],
      ["alpha", "--version", "^1"],
      ["alpha", "--version", "~1.2"],
      ["--version", ">=1.0.0-0", "-l"],
      ["--version", "1.0.0"],
      ["--version", "bogus"],
      ["-o", "json"],
      ["-o", "json", "-l", "--devel"],
      ["-o", "yaml", "-l"],
      ["--max-col-width", "12"],
      ["--max-col-width", "0", "-l"],
      ["nope"],
      ["nope", "-o", "json"],
      ["nope", "-o", "yaml"],
      ["nope", "--fail-on-no-result"],
      ["broken", "-l"],
      ["delta"],
    ];
    for (const q of queries) {
      const args = ["search", "repo", ...q];
      const x = ours(args, a.env);
      const y = helm(args, b.env);
      const label = args.join(" ");
      expect(`${label}\n${x.stdout}`).toBe(`${label}\n${y.stdout}`);
      expect(`${label} ${x.status}`).toBe(`${label} ${y.status}`);
      expect(`${label}\n${sortedLines(x.stderr.replaceAll(a.home, "~")).join("\n")}`).toBe(
        `${label}\n${sortedLines(y.stderr.replaceAll(b.home, "~")).join("\n")}`,
      );
    }
  }, 120_000);

  test("no repositories, and a repository whose cache is missing", () => {
    expect(both([], ["search", "repo"]).ours.stderr).toBe("Error: no repositories configured\n");
    const setup = [
      ["repo", "add", "a", `${ng.url("plain")}/charts`],
      ["repo", "add", "b", `${ng.url("plain")}/other`],
    ];
    const a = newHome();
    const b = newHome();
    for (const s of setup) {
      ours(s, a.env);
      helm(s, b.env);
    }
    for (const h of [a, b]) writeFileSync(join(h.home, "cache", "repository", "a-index.yaml"), "");
    const x = ours(["search", "repo", "delta"], a.env);
    const y = helm(["search", "repo", "delta"], b.env);
    expect(x.stdout).toBe(y.stdout);
    expect(sortedLines(x.stderr.replaceAll(a.home, "~"))).toEqual(
      sortedLines(y.stderr.replaceAll(b.home, "~")),
    );
  });
});
