/**
 * Differential: `helm lint` of build/helm against real Helm v4.1.4 — stdout, stderr and exit
 * status byte for byte — on purpose-built broken charts (lint-cases.ts), on a packaged chart, and
 * on every chart of ../shared/charts (default, --strict, and --with-subcharts on a few).
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { HELM_TS } from "../../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";
import { LINT_CASES } from "./lint-cases.ts";

const CHARTS = join(import.meta.dir, "..", "..", "..", "..", "shared", "charts");
const HOME = mkdtempSync(join(tmpdir(), "lint-oracle-home-"));
const ENV = isolatedHelmEnv(HOME);

interface Outcome {
  stdout: string;
  stderr: string;
  status: number | null;
}

function run(exe: string, args: string[], cwd: string): Outcome {
  const r = spawnSync(exe, ["lint", ...args], { cwd, env: ENV, encoding: "utf8" });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** helm-ts's one lint finding beyond Helm (a misspelt values key, see values/schema-help.ts). */
const MISSPELT_KEY =
  /^\[WARNING\] values\.yaml: key "[^"]*" is not declared in values\.schema\.json; did you mean "[^"]*"\?\n/gm;

/** Same output as real Helm once our misspelt-key warnings are taken out (returned as `advisories`). */
function expectSameAsHelm(args: string[], cwd: string): Outcome & { advisories: string[] } {
  const theirs = run(oraclePaths().helm, args, cwd);
  const ours = run(HELM_TS, args, cwd);
  expect({ ...ours, stdout: ours.stdout.replace(MISSPELT_KEY, "") }).toEqual(theirs);
  return { ...theirs, advisories: ours.stdout.match(MISSPELT_KEY) ?? [] };
}

function writeCharts(charts: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), "lint-case-"));
  for (const [dir, files] of Object.entries(charts)) {
    mkdirSync(join(root, dir), { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      const path = join(root, dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }
  return root;
}

describe("helm lint of purpose-built charts matches real Helm", () => {
  for (const c of LINT_CASES) {
    test(c.name, () => {
      expectSameAsHelm(c.args, writeCharts(c.charts));
    }, 30_000);
  }

  test("a packaged chart (.tgz) is unpacked and linted", () => {
    const root = writeCharts({
      c: {
        "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.2.3\n",
        "templates/a.yaml": "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: d\n",
      },
    });
    const pack = spawnSync(oraclePaths().helm, ["package", "c"], { cwd: root, env: ENV, encoding: "utf8" });
    expect(pack.status).toBe(0);
    const out = expectSameAsHelm(["c-1.2.3.tgz"], root);
    expect(out.stdout).toContain("[WARNING] templates/a.yaml: extensions/v1beta1 Deployment is deprecated");
  }, 30_000);

  test("an archive that is not gzip is refused with one line", () => {
    const root = writeCharts({ x: { "x.tgz": "not an archive" } });
    const ours = run(HELM_TS, ["x/x.tgz"], root);
    expect(ours.status).toBe(1);
    expect(ours.stdout).toMatch(/^==> Linting x\/x\.tgz\nError unable to extract tarball: .+\n\n$/);
    expect(ours.stderr).toBe("Error: 1 chart(s) linted, 1 chart(s) failed\n");
  });
});

const sharedCharts = existsSync(CHARTS)
  ? readdirSync(CHARTS)
      .filter((c) => existsSync(join(CHARTS, c, "Chart.yaml")))
      .sort()
  : [];

describe("helm lint of the shared real charts matches real Helm", () => {
  test("the shared charts are there", () => {
    expect(sharedCharts.length).toBeGreaterThan(20);
  });
  for (const chart of sharedCharts) {
    test(chart, () => {
      const { advisories } = expectSameAsHelm([chart], CHARTS);
      // bitnami's redis writes `relabellings` where its schema declares `relabelings`.
      expect(advisories.length).toBe(chart === "redis" ? 2 : 0);
    }, 60_000);
    test(`${chart} --strict`, () => {
      expectSameAsHelm([chart, "--strict"], CHARTS);
    }, 60_000);
  }
  for (const chart of ["kube-prometheus-stack", "wordpress", "stable-prometheus-operator"]) {
    test(`${chart} --with-subcharts`, () => {
      expectSameAsHelm([chart, "--with-subcharts"], CHARTS);
    }, 120_000);
  }
});
