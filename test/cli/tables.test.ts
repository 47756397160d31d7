/** Table commands that need no cluster, against real Helm: column widths, `--max-col-width` cuts and `-o`. */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { helmTs, runExe } from "../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

let env: Record<string, string>;
let chartDir: string;

function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), "helmts-tables-"));
  env = isolatedHelmEnv(join(work, "home"));
  write(
    join(env.HELM_CONFIG_HOME!, "repositories.yaml"),
    `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- name: stable\n  url: http://example.invalid/a-rather-long-repository-url/charts\n`,
  );
  write(
    join(env.HELM_CACHE_HOME!, "repository", "stable-index.yaml"),
    `apiVersion: v1\nentries:\n  web-application:\n  - apiVersion: v2\n    name: web-application\n    version: 10.20.30\n    appVersion: "1.2.3-alpine"\n    description: A web application with a description long enough to be cut by the table\n    created: "2026-01-02T03:04:05Z"\n    digest: "00"\n    urls: [w.tgz]\n  db:\n  - apiVersion: v2\n    name: db\n    version: 1.0.0\n    description: Database\n    created: "2026-01-02T03:04:05Z"\n    digest: "00"\n    urls: [d.tgz]\ngenerated: "2026-01-02T03:04:05Z"\n`,
  );
  chartDir = join(work, "parent");
  write(
    join(chartDir, "Chart.yaml"),
    "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: a-dependency-with-a-long-name\n  version: ~1.2.3\n  repository: https://charts.example.invalid/long/path\n",
  );
});

const cases: string[][] = [
  ["search", "repo", "stable"],
  ...[1, 2, 3, 4, 5, 9, 30].map((w) => ["search", "repo", "stable", "--max-col-width", String(w)]),
  ["search", "repo", "stable", "-o", "json"],
  ["search", "repo", "stable", "-o", "yaml"],
  ["repo", "list"],
  ["repo", "list", "-o", "json"],
  ["repo", "list", "-o", "yaml"],
  ["dependency", "list", "CHART"],
  ["dependency", "list", "CHART", "--max-col-width", "3"],
  ["dependency", "list", "CHART", "--max-col-width", "12"],
];

describe("tables like Helm's", () => {
  for (const args of cases) {
    test(args.join(" "), () => {
      const argv = args.map((a) => (a === "CHART" ? chartDir : a));
      const ours = helmTs(argv, env);
      const theirs = runExe(oraclePaths().helm, argv, env);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.status).toBe(theirs.status);
    });
  }
});
