/**
 * Dynamic completion that needs no cluster, compared with real Helm v4.1.4 on the same state:
 * repository names, `repo/chart` names (charts cache or index), URL prefixes, kubeconfig
 * contexts, `-o` values and `--version` values; and the bash script, run in real bash, offering only matching words.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { HELM_TS, helmTs, runExe } from "../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

let env: Record<string, string>;
let work: string;

const index = (names: string[]) =>
  `apiVersion: v1\nentries:\n${names
    .map(
      (n) =>
        `  ${n}:\n  - apiVersion: v2\n    name: ${n}\n    version: 0.1.0\n    appVersion: "1.0"\n    created: "2026-01-02T03:04:05Z"\n    digest: "0000"\n    urls:\n    - ${n}-0.1.0.tgz\n`,
    )
    .join("")}generated: "2026-01-02T03:04:05Z"\n`;

function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "helmts-compl-"));
  env = isolatedHelmEnv(join(work, "home"), { KUBECONFIG: join(work, "kubeconfig") });
  write(
    join(env.HELM_CONFIG_HOME!, "repositories.yaml"),
    `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- name: stable\n  url: http://example.invalid/stable\n- name: bitnami\n  url: http://example.invalid/bitnami\n`,
  );
  const cache = join(env.HELM_CACHE_HOME!, "repository");
  write(join(cache, "stable-index.yaml"), index(["nginx", "mysql"]));
  write(join(cache, "bitnami-index.yaml"), index(["redis"]));
  // A charts list (written by `repo update`) wins over the index.
  write(join(cache, "bitnami-charts.txt"), "redis\nkafka\n");
  write(
    join(work, "kubeconfig"),
    `apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: c1\n  cluster: {server: "https://127.0.0.1:1"}\n- name: c2\n  cluster: {server: "https://127.0.0.1:2"}\ncontexts:\n- name: dev\n  context: {cluster: c1, user: u}\n- name: prod\n  context: {cluster: c2, user: u}\nusers:\n- name: u\n  user: {token: abc}\n`,
  );
  mkdirSync(join(work, "stable-chart"));
});

/** Lines sorted: Helm lists kubeconfig contexts in Go's random map order. */
const sortedLines = (s: string) => s.split("\n").sort().join("\n");

const cases: [string, string[]][] = [
  ["repository names for repo remove", ["repo", "remove", ""]],
  ["repositories not yet typed", ["repo", "remove", "stable", ""]],
  ["repositories for repo update", ["repo", "update", "b"]],
  ["repo/ and URL prefixes for a chart", ["install", "x", ""]],
  ["repo/ matching the typed prefix", ["upgrade", "x", "st"]],
  ["charts of a repository (index)", ["show", "values", "stable/"]],
  ["charts of a repository (charts list)", ["template", "x", "bitnami/r"]],
  ["pull: no local files", ["pull", ""]],
  ["URL prefix typed", ["install", "x", "https://"]],
  ["nothing matching", ["install", "x", "zz"]],
  ["release name position", ["install", ""]],
  ["kube contexts", ["--kube-context", ""]],
  ["kube contexts after a command", ["list", "--kube-context", "p"]],
  ["-o values", ["status", "x", "-o", ""]],
  ["--output values", ["list", "--output", "j"]],
  ["chart versions for --version", ["install", "x", "stable/nginx", "--version", ""]],
  ["chart versions for pull --version", ["pull", "stable/mysql", "--version", "0"]],
  ["no versions for a local chart", ["upgrade", "x", "./app", "--version", ""]],
  ["no versions for an unknown chart", ["show", "chart", "stable/nope", "--version", ""]],
];

describe("__complete against real Helm", () => {
  for (const [name, words] of cases) {
    test(name, () => {
      const ours = helmTs(["__complete", ...words], { ...env, PWD: work });
      const theirs = runExe(oraclePaths().helm, ["__complete", ...words], env);
      expect(ours.status).toBe(0);
      expect(sortedLines(ours.stdout)).toBe(sortedLines(theirs.stdout));
      expect(ours.stderr).toBe(theirs.stderr);
    });
  }

  test("local files that match are offered beside repositories", () => {
    const run = (exe: string) =>
      spawnSync(exe, ["__complete", "install", "x", "st"], { env, cwd: work, encoding: "utf8" }).stdout;
    const ours = run(HELM_TS);
    expect(ours).toContain("stable-chart\n");
    expect(ours).toBe(run(oraclePaths().helm));
  });
});

describe("bash completion script", () => {
  /** Complete `line` (the last word is the one being typed) in real bash with our script. */
  function bashComplete(line: string): string[] {
    const words = line.split(" ");
    const script = `source <(helm completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}
__helm_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync("bash", ["-c", script], {
      env: { ...env, PATH: `${dirname(HELM_TS)}:${env.PATH}` },
      cwd: work,
      encoding: "utf8",
    });
    return r.stdout.split("\n").filter((l) => l !== "");
  }

  test("offers only repositories that start with the typed word", () => {
    expect(bashComplete("helm repo remove st")).toEqual(["stable"]);
    expect(bashComplete("helm repo remove ")).toEqual(["stable", "bitnami"]);
  });

  test("completes repo/ then the repository's charts", () => {
    expect(bashComplete("helm install x bit")).toEqual(["bitnami/"]);
    expect(bashComplete("helm install x stable/m")).toEqual(["stable/mysql"]);
  });

  test("completes contexts and output formats", () => {
    expect(bashComplete("helm list --kube-context d")).toEqual(["dev"]);
    expect(bashComplete("helm history x -o y")).toEqual(["yaml"]);
  });
});
