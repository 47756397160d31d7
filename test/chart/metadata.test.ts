import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChartMetadata } from "../../src/chart/chart.ts";
import { toJson } from "../../src/chart/engine/funcs/serialize.ts";
import { type GoMap, newGoMap } from "../../src/chart/engine/value.ts";
import { loadDir } from "../../src/chart/loader.ts";
import { isValidSemver, sanitizeString, validateMetadata } from "../../src/chart/metadata.ts";
import { METADATA_CASES } from "./metadata-cases.ts";
import { tempDir } from "./support.ts";
import { prng } from "./values/strvals-helpers.ts";

/** Our metadata in the shape of Helm 4's `.Chart` (as the table records it). */
function chartJson(md: ChartMetadata): string {
  const m: GoMap = newGoMap();
  m.APIVersion = md.apiVersion;
  m.Annotations = md.annotations === null ? null : Object.assign(newGoMap(), md.annotations);
  m.AppVersion = md.appVersion;
  m.Condition = md.condition;
  m.Deprecated = md.deprecated;
  m.Description = md.description;
  m.Home = md.home;
  m.Icon = md.icon;
  m.Keywords = md.keywords;
  m.KubeVersion = md.kubeVersion;
  m.Maintainers = md.maintainers.map((x) =>
    Object.assign(newGoMap(), { Email: x.email, Name: x.name, URL: x.url }),
  );
  m.Name = md.name;
  m.Sources = md.sources;
  m.Tags = md.tags;
  m.Type = md.type;
  m.Version = md.version;
  return toJson(m);
}

function ours(chartYaml: string): string {
  const dir = join(tempDir(), "c");
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(join(dir, "Chart.yaml"), `${chartYaml}\n`);
  try {
    return chartJson(loadDir(dir).metadata);
  } catch (err) {
    return `ERR ${(err as Error).message}`;
  }
}

describe("Chart.yaml: table recorded from real Helm", () => {
  for (const [text, helm] of METADATA_CASES) {
    test(JSON.stringify(text).slice(0, 100), () => {
      expect(ours(text)).toBe(helm);
    });
  }
});

describe("Chart.yaml: validation rules", () => {
  test.each([
    ["1.2.3", true],
    ["v1.2.3", true],
    ["1", true],
    ["1.2", true],
    ["01.2.3", true],
    ["1.2.3-0a", true],
    ["1.2.3+01", true],
    ["1.2.3-01", false],
    ["1.2.3-", false],
    ["1.2.3.4", false],
    ["V1.2.3", false],
    [" 1.2.3", false],
    ["=1.2.3", false],
    ["99999999999999999999.0.0", false],
    ["18446744073709551615.0.0", true],
  ])("semver %p is %p", (v, ok) => {
    expect(isValidSemver(v)).toBe(ok);
  });

  test("sanitizing keeps text printable", () => {
    expect(sanitizeString("a\tb\x1bc\nd\u00a0e\u200bf")).toBe("a bc d ef");
  });

  test("validateMetadata works on metadata built in code", () => {
    const md = loadDir(writeChart("apiVersion: v2\nname: ok\nversion: 1.0.0")).metadata;
    expect(() => validateMetadata({ ...md, name: "" })).toThrow(
      "validation: chart.metadata.name is required",
    );
    expect(() => validateMetadata({ ...md, version: "x" })).toThrow(
      'validation: chart.metadata.version "x" is invalid',
    );
  });
});

function writeChart(chartYaml: string): string {
  const dir = join(tempDir(), "c");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Chart.yaml"), `${chartYaml}\n`);
  return dir;
}

describe("Chart.yaml: fuzz (Helm's FuzzMetadataValidate / FuzzDependencyValidate)", () => {
  test("random Chart.yaml documents load or fail with a one-line error", () => {
    const rand = prng(7);
    const keys = [
      "name",
      "version",
      "apiVersion",
      "type",
      "maintainers",
      "dependencies",
      "annotations",
      "keywords",
      "appVersion",
      "deprecated",
      "alias",
      "condition",
      "tags",
      "import-values",
      "kubeVersion",
    ];
    const scalars = [
      "x",
      "1.0.0",
      "v2",
      "v1",
      "",
      "null",
      "~",
      "1",
      "1.5",
      "yes",
      "[1]",
      "{a: 1}",
      "[null]",
      '"\\x1b"',
      "../x",
      ".",
      "a b",
      "[{name: x}]",
      "[{name: x, alias: 'a/b'}]",
      ".inf",
    ];
    for (let i = 0; i < 3000; i++) {
      const lines: string[] = [];
      const n = Math.floor(rand() * 8);
      for (let j = 0; j < n; j++) {
        const k = keys[Math.floor(rand() * keys.length)]!;
        const v = scalars[Math.floor(rand() * scalars.length)]!;
        lines.push(`${rand() < 0.2 ? "  " : ""}${k}: ${v}`);
      }
      const dir = join(tempDir(), "c");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "Chart.yaml"), lines.join("\n"));
      try {
        loadDir(dir);
      } catch (err) {
        if (!(err instanceof Error) || err instanceof TypeError || err instanceof RangeError) throw err;
        expect(err.message.includes("\n")).toBe(false);
      }
    }
  }, 60_000);
});
