import { describe, expect, test } from "bun:test";
import { type Chart, chartValue } from "../../src/chart/chart.ts";
import { isCompatibleRange, missingDependencies, processDependencies } from "../../src/chart/dependencies.ts";
import { toJson } from "../../src/chart/engine/funcs/serialize.ts";
import { loadFiles } from "../../src/chart/loader.ts";
import { formatSlog } from "../../src/chart/values/coalesce.ts";
import { chartScopes, checkDependencies, computeValues } from "../../src/chart/values/compute.ts";
import { parseSet } from "../../src/chart/values/strvals.ts";
import { kubeVersionError } from "../../src/chart/version-range.ts";
import { typedDump } from "./support.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** A parent chart `p` with subchart `s` (and `s` with `ss`). */
function tree(parentDeps: string, files: Record<string, string> = {}): Chart {
  return loadFiles(
    Object.entries({
      "Chart.yaml": `apiVersion: v2\nname: p\nversion: 1.0.0\n${parentDeps}`,
      "charts/s/Chart.yaml": "apiVersion: v2\nname: s\nversion: 0.1.0\n",
      "charts/s/charts/ss/Chart.yaml": "apiVersion: v2\nname: ss\nversion: 0.1.0\n",
      ...files,
    }).map(([name, text]) => ({ name, data: enc(text) })),
  );
}

function values(chart: Chart, set = ""): Record<string, string> {
  const { chart: processed, values } = computeValues(chart, set === "" ? null : parseSet(set));
  return Object.fromEntries(chartScopes(processed, values).map((s) => [s.path || ".", typedDump(s.values)]));
}

describe("dependencies", () => {
  test("processing returns a new tree and leaves the input alone", () => {
    const c = tree("dependencies: [{name: s, version: '*', alias: db}]\n");
    const before = JSON.stringify(c.metadata);
    const out = processDependencies(c, null);
    expect(out.dependencies.map((d) => d.metadata.name)).toEqual(["db"]);
    expect(c.dependencies.map((d) => d.metadata.name)).toEqual(["s"]);
    expect(JSON.stringify(c.metadata)).toBe(before);
    expect(out.metadata.dependencies?.[0]).toMatchObject({ name: "db", alias: "db", enabled: true });
  });

  test("one copy per alias; an entry whose version does not match selects nothing", () => {
    const c = tree(
      "dependencies: [{name: s, version: '*', alias: a1}, {name: s, version: 0.1.0, alias: a2}, {name: s, version: '>2', alias: a3}]\n",
    );
    const names = processDependencies(c, null).dependencies.map((d) => d.metadata.name);
    expect(names.sort()).toEqual(["a1", "a2"]);
  });

  test("conditions: first path holding a bool wins; tags: any true enables", () => {
    const deps = "dependencies: [{name: s, version: '*', condition: 'x.on,s.enabled', tags: [t1, t2]}]\n";
    const enabled = (set: string) => processDependencies(tree(deps), parseSet(set)).dependencies.length === 1;
    expect(enabled("")).toBe(true);
    expect(enabled("s.enabled=false")).toBe(false);
    expect(enabled("x.on=true,s.enabled=false")).toBe(true);
    expect(enabled("x.on=1,s.enabled=false")).toBe(false);
    expect(enabled("tags.t1=false")).toBe(false);
    expect(enabled("tags.t1=false,tags.t2=true")).toBe(true);
    expect(enabled("tags.t1=false,s.enabled=true")).toBe(true);
  });

  test("non-bool conditions and tags are logged as Helm logs them", () => {
    const log: string[] = [];
    processDependencies(
      tree("dependencies: [{name: s, version: '*', condition: s.enabled, tags: [t]}]\n"),
      parseSet("s.enabled=yes,tags.t=1"),
      (level, msg, attrs) => log.push(formatSlog(level, msg, attrs)),
    );
    expect(log.sort()).toEqual([
      'level=WARN msg="returned non-bool value" path=s.enabled chart=s',
      'level=WARN msg="returned non-bool value" tag=t chart=s',
    ]);
  });

  test("import-values: exports shorthand and child/parent maps, below the parent's own values", () => {
    const c = tree(
      "dependencies: [{name: s, version: '*', import-values: [data, {child: deep.table, parent: imported.here}]}]\n",
      {
        "values.yaml": "kept: mine\n",
        "charts/s/values.yaml": "exports: {data: {kept: theirs, extra: 1}}\ndeep: {table: {k: v}}\n",
      },
    );
    const v = values(c)["."]!;
    expect(v).toContain('"kept":string:"mine"');
    expect(v).toContain('"extra":float64:1');
    expect(v).toContain('"imported":{"here":{"k":string:"v",},}');
  });

  test("subchart sections, globals and nulls", () => {
    const c = tree("dependencies: [{name: s, version: '*'}]\n", {
      "values.yaml": "global: {g: parent}\ns: {fromParent: 1, gone: null}\n",
      "charts/s/values.yaml": "own: 1\ngone: 2\nglobal: {g: child, h: child}\n",
    });
    const v = values(c, "s.own=null");
    expect(v["charts/s"]).toBe(
      '{"fromParent":float64:1,"global":{"g":string:"parent","h":string:"child",},"ss":{"global":{"g":string:"parent","h":string:"child",},},}',
    );
  });

  test("missing dependencies and the Masterminds ranges used to match them", () => {
    const c = tree("dependencies: [{name: s, version: '*'}, {name: missing, version: 1.x}]\n");
    expect(missingDependencies(c)).toEqual(["missing"]);
    expect(checkDependencies(c)).toBe("found in Chart.yaml, but missing in charts/ directory: missing");
    expect(() => computeValues(c, null)).toThrow(
      "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: missing",
    );
    expect(isCompatibleRange("10", "10.5.7")).toBe(true);
    expect(isCompatibleRange(">1", "1.5.0")).toBe(false);
    expect(isCompatibleRange("2.x.x", "2.31.10")).toBe(true);
    expect(isCompatibleRange("", "1.0.0")).toBe(false);
  });

  test("a subchart section that is not a map is Helm's type mismatch", () => {
    expect(() => computeValues(tree("dependencies: [{name: s, version: '*'}]\n"), parseSet("s=x"))).toThrow(
      "chart dependencies processing failed: type mismatch on s: %!t(string=x)",
    );
    expect(() => computeValues(tree(""), parseSet("s={1,2}"))).toThrow(
      "type mismatch on s: [%!t(int64=1) %!t(int64=2)]",
    );
  });
});

describe("kubeVersion", () => {
  const withKube = (kv: string) => tree(`kubeVersion: "${kv}"\n`);
  test.each([
    [">=1.20.0", "v1.35.0", null],
    [">=1.20.0", "v1.30.0-gke.1", null],
    [">=1.20.0", "v1.19", "chart requires kubeVersion: >=1.20.0 which is incompatible with Kubernetes v1.19"],
    [
      "not a range",
      "v1.35.0",
      "chart requires kubeVersion: not a range which is incompatible with Kubernetes v1.35.0",
    ],
    [">= 1.13.0-0 < 2.0.0", "v1.35.0", null],
  ])("%p on %p", (kv, cluster, expected) => {
    expect(kubeVersionError(withKube(kv), cluster)).toBe(expected);
  });
  test("an empty kubeVersion accepts any cluster", () => {
    expect(kubeVersionError(tree(""), "v0.1.0")).toBeNull();
  });
});

describe(".Chart for templates", () => {
  test("after processing, as Helm 4 shows it", () => {
    const c = tree(
      "keywords: [a]\nmaintainers: [{name: m}]\ndependencies: [{name: s, version: '*', alias: db, import-values: [x]}]\n",
    );
    const processed = processDependencies(c, null);
    expect(toJson(chartValue(processed.metadata, true))).toBe(
      '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Dependencies":[{"Alias":"db","Condition":"","Enabled":true,"ImportValues":[{"child":"exports.x","parent":"."}],"Name":"db","Repository":"","Tags":[],"Version":"*"}],"Deprecated":false,"Description":"","Home":"","Icon":"","IsRoot":true,"Keywords":["a"],"KubeVersion":"","Maintainers":[{"Email":"","Name":"m","URL":""}],"Name":"p","Sources":[],"Tags":"","Type":"","Version":"1.0.0"}',
    );
  });
});
