/** The fast YAML reader agrees with the careful one wherever it answers (it declines the rest). */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseYaml, parseYamlFast, parseYamlNodeFast, parseYamlNodes } from "../../src/chart/engine/yaml.ts";
import { METADATA_CASES } from "./metadata-cases.ts";
import { YAML_CASES } from "./yaml-cases.ts";

/** The careful reader's answer, or undefined when it fails. */
function careful(text: string): unknown {
  try {
    return JSON.parse(JSON.stringify(parseYaml(text)));
  } catch {
    return undefined;
  }
}

describe("parseYamlFast", () => {
  test("agrees with parseYaml on every recorded values case it reads", () => {
    let read = 0;
    for (const [text] of YAML_CASES) {
      const fast = parseYamlFast(text);
      if (fast === undefined) continue;
      read++;
      expect({ text, value: fast as unknown }).toEqual({ text, value: careful(text) });
    }
    expect(read).toBeGreaterThanOrEqual(10);
  });

  test("Kubernetes-shaped documents read the same, YAML 1.1 scalars included", () => {
    const doc = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web",
      "  labels: {app: web, enabled: yes, tier: 0777}",
      "spec:",
      "  replicas: 3",
      "  template:",
      "    spec:",
      "      containers:",
      "      - name: c",
      "        env:",
      "        - {name: A, value: on}",
      '        - {name: B, value: "on"}',
      "        args: [--x=1, ~, 1.0, 1e3, 0x10, y, n]",
      "        command: |",
      "          echo hi",
    ].join("\n");
    expect(parseYamlFast(doc)).toEqual(careful(doc));
  });

  test("declines anchors, merge keys, tags and errors, leaving them to the careful reader", () => {
    for (const text of ["a: &x 1\nb: *x", "a: {<<: {b: 1}}", "a: !!str 5", "a: [1", "a: .inf"]) {
      expect(parseYamlFast(text)).toBeUndefined();
    }
  });
});

/** Chart.yaml and Chart.lock texts of the shared charts and their subcharts. */
function sharedChartFiles(): string[] {
  const root = join(import.meta.dir, "..", "..", "..", "shared", "charts");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((p) => /(^|\/)Chart\.(yaml|lock)$/.test(p))
    .map((p) => readFileSync(join(root, p), "utf8"));
}

describe("parseYamlNodeFast", () => {
  /** The careful reader's first document, or undefined when it fails. */
  function carefulNode(text: string): unknown {
    try {
      return parseYamlNodes(text)[0] ?? { kind: "null" };
    } catch {
      return undefined;
    }
  }

  test("agrees with parseYamlNodes, YAML types included, on every case it reads", () => {
    const texts = [...METADATA_CASES.map(([t]) => t), ...YAML_CASES.map(([t]) => t), ...sharedChartFiles()];
    let read = 0;
    for (const text of texts) {
      const fast = parseYamlNodeFast(text);
      if (fast === undefined) continue;
      read++;
      expect({ text, node: fast as unknown }).toEqual({ text, node: carefulNode(text) });
    }
    expect(read).toBeGreaterThanOrEqual(100);
  });

  test("declines several documents, quoted integer keys, anchors, tags and errors", () => {
    for (const text of ["a: 1\n---\nb: 2", "'2': x\n'1': y", "a: &x 1\nb: *x", "a: !!str 5", "a: [1"]) {
      expect(parseYamlNodeFast(text)).toBeUndefined();
    }
  });
});
