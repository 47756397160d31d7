/**
 * `helm package` against real Helm: the tar stream inside the archive is byte-for-byte Helm's
 * (entries, order, headers, modes, times, contents), the gzip header is Helm's, the archive loads
 * in real Helm, packaging is reproducible, and errors are Helm's with nothing written.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  gzipHeader,
  helm,
  ours,
  SHARED,
  tarGroups,
  tarOf,
  temp,
  trickyChart,
  writeChart,
} from "./support.ts";

/** Same tar bytes, up to Helm's random order of subcharts. */
function expectSameTar(mine: Buffer, theirs: Buffer): void {
  const a = tarGroups(tarOf(mine));
  const b = tarGroups(tarOf(theirs));
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [key, entries] of b)
    expect(Buffer.concat(a.get(key)!).equals(Buffer.concat(entries))).toBe(true);
  expect(tarOf(mine).length).toBe(tarOf(theirs).length);
}

function packageBoth(chart: string, extra: string[] = []): { theirs: Buffer; mine: Buffer; name: string } {
  const a = temp();
  const b = temp();
  const h = helm(["package", chart, "-d", a, ...extra]);
  const o = ours(["package", chart, "-d", b, ...extra]);
  expect(o.stderr).toBe(h.stderr);
  expect(o.status).toBe(h.status);
  expect(o.stdout).toBe(h.stdout.replace(a, b));
  const [name] = readdirSync(a);
  expect(readdirSync(b)).toEqual([name!]);
  return { theirs: readFileSync(join(a, name!)), mine: readFileSync(join(b, name!)), name: name! };
}

describe("helm package matches real Helm", () => {
  const root = temp();
  const tricky = trickyChart(root);
  const charts = [
    tricky,
    join(SHARED, "nginx"),
    join(SHARED, "podinfo"),
    join(SHARED, "stable-mysql"),
    join(SHARED, "kube-prometheus-stack"),
  ];
  for (const chart of charts) {
    test(`archive of ${chart.split("/").pop()}`, () => {
      const { theirs, mine } = packageBoth(chart);
      expect(gzipHeader(mine)).toEqual(gzipHeader(theirs));
      expectSameTar(mine, theirs);
    });
  }

  test("--version and --app-version", () => {
    const { theirs, mine, name } = packageBoth(tricky, ["--version", "2.0.0-rc.1+b", "--app-version", "9"]);
    expect(name).toBe("tricky-2.0.0-rc.1+b.tgz");
    expectSameTar(mine, theirs);
  });

  test("our archive renders the same in real Helm", () => {
    const { theirs, mine } = packageBoth(tricky);
    const dir = temp();
    writeFileSync(join(dir, "theirs.tgz"), theirs);
    writeFileSync(join(dir, "mine.tgz"), mine);
    const a = helm(["template", "r", join(dir, "theirs.tgz")]);
    const b = helm(["template", "r", join(dir, "mine.tgz")]);
    expect(a.status).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  test("reproducible: the same input gives the same bytes", () => {
    const a = temp();
    const b = temp();
    ours(["package", tricky, "-d", a]);
    ours(["package", tricky, "-d", b]);
    expect(readFileSync(join(b, "tricky-1.2.3.tgz"))).toEqual(readFileSync(join(a, "tricky-1.2.3.tgz")));
  });

  test("destination '.' prints the absolute path", () => {
    const cwd = temp();
    const o = ours(["package", join(SHARED, "podinfo")], cwd);
    const h = helm(["package", join(SHARED, "podinfo")], cwd);
    expect(o.stdout).toBe(h.stdout);
    expect(o.stdout).toStartWith(`Successfully packaged chart and saved it to: ${cwd}/`);
  });
});

describe("helm package errors match real Helm and write nothing", () => {
  const root = temp();
  const missing = join(root, "nodeps");
  writeChart(missing, {
    "Chart.yaml":
      "apiVersion: v2\nname: nodeps\nversion: 0.1.0\ndependencies:\n- name: a\n  version: 1.0.0\n  repository: https://x\n- name: b\n  version: 1.0.0\n  repository: https://x\n",
  });
  const empty = join(root, "empty");
  writeChart(empty, { "x.txt": "" });
  const badVersion = join(root, "badver");
  writeChart(badVersion, { "Chart.yaml": "apiVersion: v2\nname: badver\nversion: x\n" });
  const dotdot = join(root, "dotdot");
  writeChart(dotdot, { "Chart.yaml": "apiVersion: v2\nname: ..\nversion: 1.0.0\n" });
  const slash = join(root, "slash");
  writeChart(slash, { "Chart.yaml": "apiVersion: v2\nname: a/../../b\nversion: 1.0.0\n" });
  const badSchema = join(root, "badschema");
  writeChart(badSchema, {
    "Chart.yaml": "apiVersion: v2\nname: badschema\nversion: 1.0.0\n",
    "values.schema.json": "{",
  });
  const afile = join(root, "afile");
  writeFileSync(afile, "");
  const cases: [string, string[]][] = [
    ["no argument", []],
    ["missing path", [join(root, "nope")]],
    ["no Chart.yaml", [empty]],
    ["missing dependencies", [missing]],
    ["invalid chart version", [badVersion]],
    ["--version not semver", [join(SHARED, "podinfo"), "--version", "1.x"]],
    ["--version with a path", [join(SHARED, "podinfo"), "--version", "../../x"]],
    ["chart name ..", [dotdot]],
    ["chart name with separators", [slash]],
    ["-d is a file", [join(SHARED, "podinfo"), "-d", afile]],
    ["-d under a file", [join(SHARED, "podinfo"), "-d", join(afile, "sub")]],
  ];
  for (const [what, args] of cases) {
    test(what, () => {
      const dest = temp();
      const full = args.length > 0 && !args.includes("-d") ? [...args, "-d", dest] : args;
      const h = helm(["package", ...full]);
      const o = ours(["package", ...full]);
      expect(o.status).toBe(h.status);
      expect(o.status).not.toBe(0);
      expect(o.stderr.split("\n").filter((l) => l.startsWith("Error:"))).toEqual(
        h.stderr.split("\n").filter((l) => l.startsWith("Error:")),
      );
      expect(readdirSync(dest)).toEqual([]);
    });
  }

  test("invalid values.schema.json refused, no archive left", () => {
    const dest = temp();
    const o = ours(["package", badSchema, "-d", dest]);
    expect(o.status).toBe(1);
    expect(o.stderr).toBe("Error: failed to save: invalid JSON in values.schema.json\n");
    expect(existsSync(join(dest, "badschema-1.0.0.tgz"))).toBe(false);
    expect(readdirSync(dest)).toEqual([]);
  });
});
