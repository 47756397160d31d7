import { describe, expect, test } from "bun:test";
import type { Chart } from "../../../src/chart/chart.ts";
import { parseValues } from "../../../src/chart/engine/yaml.ts";
import { loadFiles } from "../../../src/chart/loader.ts";
import { computeValues } from "../../../src/chart/values/compute.ts";
import {
  formatSchemaNumber,
  loadSchemaCompiler,
  validateAgainstSchema,
  validateValuesAgainstSchemas,
} from "../../../src/chart/values/schema.ts";
import { parseSet } from "../../../src/chart/values/strvals.ts";
import { SCHEMA_CASES, sameLines } from "./schema-cases.ts";

await loadSchemaCompiler();

describe("schema: cases recorded from real Helm", () => {
  for (const [schema, values, helm, known] of SCHEMA_CASES) {
    const title = `${schema.slice(0, 80)} | ${values.replaceAll("\n", "\\n")}`;
    if (known === true) {
      // Known wording gap (e.g. format checks lack the Go library's reason suffix): we must still
      // accept and refuse exactly what Helm does.
      test(`${title} (same verdict; wording is a known gap)`, () => {
        const ours = validateAgainstSchema(schema, parseValues(values));
        expect(ours === "").toBe(helm === "");
      });
      continue;
    }
    test(title, () => {
      const ours = validateAgainstSchema(schema, parseValues(values));
      if (!sameLines(ours, helm)) expect(ours).toBe(helm);
    });
  }
});

const enc = (s: string) => new TextEncoder().encode(s);

function chart(files: Record<string, string>): Chart {
  return loadFiles(Object.entries(files).map(([name, text]) => ({ name, data: enc(text) })));
}

describe("schema: charts", () => {
  const parent = chart({
    "Chart.yaml":
      "apiVersion: v2\nname: sch\nversion: 0.1.0\ndependencies: [{name: sub, alias: al, version: '*'}]\n",
    "values.schema.json": '{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}',
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/values.schema.json":
      '{"type":"object","properties":{"q":{"type":"string"}},"additionalProperties":false}',
  });

  test("each chart is validated against its own section, under its (alias) name", () => {
    const { chart: processed, values } = computeValues(parent, parseSet("name=ok"), {
      skipSchemaValidation: true,
    });
    const msg = validateValuesAgainstSchemas(processed, values);
    expect(msg).toBe(
      "values don't meet the specifications of the schema(s) in the following chart(s):\nal:\n- at '': additional properties 'global' not allowed\n",
    );
  });

  test("the pipeline reports every failing chart", () => {
    expect(() => computeValues(parent, parseSet("al.q=1"))).toThrow(
      "values don't meet the specifications of the schema(s) in the following chart(s):\nsch:\n- at '': missing property 'name'\nal:\n",
    );
  });

  test("--skip-schema-validation skips it", () => {
    expect(() => computeValues(parent, parseSet("al.q=1"), { skipSchemaValidation: true })).not.toThrow();
  });

  test("a disabled subchart is not validated", () => {
    const c = chart({
      "Chart.yaml":
        "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies: [{name: sub, version: '*', condition: sub.enabled}]\n",
      "values.yaml": "sub: {enabled: false, q: 1}\n",
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
      "charts/sub/values.schema.json": '{"properties":{"q":{"type":"string"}}}',
    });
    expect(() => computeValues(c, null)).not.toThrow();
  });
});

describe("schema: hostile schemas give clean errors", () => {
  test("self-referencing and deeply nested schemas", () => {
    const selfRef = '{"$defs":{"a":{"properties":{"x":{"$ref":"#/$defs/a"}}}},"$ref":"#/$defs/a"}';
    expect(validateAgainstSchema(selfRef, parseValues("x: {x: {x: 1}}"))).toBeNull();
    let deep = '{"type":"string"}';
    for (let i = 0; i < 3000; i++) deep = `{"properties":{"a":${deep}}}`;
    const r = validateAgainstSchema(deep, parseValues("a: 1"));
    expect(r === null || typeof r === "string").toBe(true);
    let deepArray = "1";
    for (let i = 0; i < 100_000; i++) deepArray = `[${deepArray}]`;
    expect(typeof validateAgainstSchema(deepArray, parseValues("a: 1"))).toBe("string");
  });

  test("references outside the schema are not followed", () => {
    for (const ref of ["file:///etc/passwd", "/dev/zero", "http://127.0.0.1:1/x.json", "other.json"]) {
      const r = validateAgainstSchema(`{"properties":{"a":{"$ref":"${ref}"}}}`, parseValues("a: 1"));
      expect(r).toContain("failing loading");
    }
  });

  test("a reference chain that doubles at every step is not expanded without bound", () => {
    const defs: Record<string, unknown> = { d0: { type: "string" } };
    for (let i = 1; i < 40; i++)
      defs[`d${i}`] = { allOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
    const started = Date.now();
    const r = validateAgainstSchema(
      JSON.stringify({ $defs: defs, properties: { a: { $ref: "#/$defs/d39" } } }),
      parseValues("a: x"),
    );
    expect(r).toContain("schema is too complex");
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe("schema: number formatting like golang.org/x/text", () => {
  test.each([
    [0.5, "0.5"],
    [1000, "1,000"],
    [123456, "123,456"],
    [1234567, "1.234567×10⁰⁶"],
    [1e21, "1×10²¹"],
    [0.0001, "0.0001"],
    [0.00001, "1×10⁻⁰⁵"],
    [-2500.5, "-2,500.5"],
    [-1e22, "-1×10²²"],
  ])("%p", (n, s) => {
    expect(formatSchemaNumber(n)).toBe(s);
  });
});
