import { describe, expect, test } from "bun:test";
import { parseValues, parseYaml, resolvePlainScalar, YamlError } from "../../src/chart/engine/yaml.ts";
import { loadFiles } from "../../src/chart/loader.ts";
import { typedDump } from "./support.ts";
import { prng } from "./values/strvals-helpers.ts";
import { YAML_CASES } from "./yaml-cases.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function ours(valuesYaml: string): string {
  try {
    const chart = loadFiles([
      { name: "Chart.yaml", data: enc("apiVersion: v2\nname: c\nversion: 0.1.0\n") },
      { name: "values.yaml", data: enc(valuesYaml) },
    ]);
    return typedDump(chart.values);
  } catch (err) {
    return `ERR ${(err as Error).message}`;
  }
}

describe("values.yaml: table recorded from real Helm", () => {
  for (const [text, helm] of YAML_CASES) {
    test(JSON.stringify(text).slice(0, 90), () => {
      const got = ours(text);
      if (helm.startsWith("ERR ") && /yaml: line \d+: /.test(helm)) {
        // Syntax errors: same place in the message, the parser's own words after it.
        expect(got.replace(/(yaml: line )\d+: .*$/, "$1")).toBe(helm.replace(/(yaml: line )\d+: .*$/, "$1"));
      } else {
        expect(got).toBe(helm);
      }
    });
  }
});

describe("YAML: hostile documents", () => {
  test("billion laughs is refused quickly", () => {
    const levels = ["a: &a [x,x,x,x,x,x,x,x,x,x]"];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    const started = Date.now();
    expect(() => parseValues(levels.join("\n"))).toThrow("yaml: document contains excessive aliasing");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("moderate anchor use is fine", () => {
    const doc = ["base: &b {x: 1, y: [1, 2, 3]}", ...Array.from({ length: 200 }, (_, i) => `k${i}: *b`)].join(
      "\n",
    );
    expect(Object.keys(parseValues(doc)).length).toBe(201);
  });

  test("deep nesting gives a value or a clean error", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    try {
      parseYaml(deep);
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(RangeError);
    }
  });

  test("errors are YamlErrors", () => {
    expect(() => parseValues("a: [")).toThrow(YamlError);
  });
});

describe("YAML 1.1 plain scalars (go-yaml v2)", () => {
  test.each([
    ["yes", "bool", true],
    ["Off", "bool", false],
    ["y", "bool", true],
    ["0777", "int", 511n],
    ["0o17", "int", 15n],
    ["0b101", "int", 5n],
    ["-0x10", "int", -16n],
    ["1_000", "int", 1000n],
    ["08", "float", 8],
    ["1e400", "str", "1e400"],
    ["._5", "str", "._5"],
    ["2001-12-14", "str", "2001-12-14"],
    ["190:20:30", "str", "190:20:30"],
    ["~", "null", undefined],
    [".inf", "float", Number.POSITIVE_INFINITY],
  ])("%p", (text, kind, value) => {
    const n = resolvePlainScalar(text);
    expect(n.kind).toBe(kind as typeof n.kind);
    if (value !== undefined) expect((n as { value: unknown }).value).toEqual(value);
  });
});

describe("YAML: fuzz", () => {
  test("random documents give values or YamlErrors", () => {
    const rand = prng(11);
    const pieces = [
      "a",
      ":",
      " ",
      "\n",
      "- ",
      "[",
      "]",
      "{",
      "}",
      ",",
      "&x",
      "*x",
      "<<",
      "!!int",
      "!!binary",
      '"',
      "'",
      "#",
      "|",
      ">",
      "?",
      "~",
      "1",
      ".5",
      "yes",
      "\t",
      "---",
      "\\",
      "%",
      "@",
    ];
    for (let i = 0; i < 5000; i++) {
      let text = "";
      const n = Math.floor(rand() * 30);
      for (let j = 0; j < n; j++) text += pieces[Math.floor(rand() * pieces.length)];
      try {
        parseValues(text);
      } catch (err) {
        if (!(err instanceof YamlError)) throw new Error(`${JSON.stringify(text)}: ${err}`);
      }
    }
  });
});
