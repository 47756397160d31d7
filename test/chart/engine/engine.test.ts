import { describe, expect, test } from "bun:test";
import { TemplateSet } from "../../../src/chart/engine/index.ts";
import type { GoValue } from "../../../src/chart/engine/value.ts";

function render(src: string, data: GoValue = {}): string {
  const s = new TemplateSet();
  s.parse("t", src);
  return s.execute("t", data);
}

function error(src: string, data: GoValue = {}): string {
  try {
    render(src, data);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("language", () => {
  const cases: [string, string, GoValue, string][] = [
    ["fields", "hello {{ .name }}!", { name: "world" }, "hello world!"],
    [
      "if / else if / else with trim markers",
      "{{- if .a }}yes{{ else if .b }}b{{ else }}no{{ end -}}",
      { a: false, b: true },
      "b",
    ],
    [
      "range over a list with index",
      "{{ range $i, $v := .l }}{{ $i }}={{ $v }},{{ end }}",
      { l: ["x", "y"] },
      "0=x,1=y,",
    ],
    [
      "range over a map in key order",
      "{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}",
      { m: { b: 2n, a: 1 } },
      "a=1;b=2;",
    ],
    ["range else", "{{ range .m }}x{{ else }}empty{{ end }}", { m: {} }, "empty"],
    [
      "define, template and include",
      '{{ define "d" }}[{{ . }}]{{ end }}{{ template "d" .x }}{{ include "d" 3 }}',
      { x: 1.5 },
      "[1.5][3]",
    ],
    [
      "variable assignment across with",
      "{{ $x := 1 }}{{ with .w }}{{ $x = 2 }}{{ . }}{{ end }}{{ $x }}",
      { w: "W" },
      "W2",
    ],
    ["missing keys print <no value>", "{{ .missing }}|{{ .a.b }}", { a: {} }, "<no value>|<no value>"],
    [
      "builtins",
      '{{ printf "%s-%d" "a" 3 }} {{ len .l }} {{ index .l 1 }} {{ eq 1 1 2 }}',
      { l: ["p", "q"] },
      "a-3 2 q true",
    ],
    ["and/or return operands", '{{ and 1 0 2 }} {{ or 0 "" "z" }} {{ not 0 }}', {}, "0 z true"],
    [
      "constants",
      "{{ range 3 }}{{ . }}{{ end }} {{ 1e3 }} {{ 0x1F }} {{ 'a' }} {{ -1.5 }} {{ 1e6 }}",
      {},
      "012 1000 31 97 -1.5 1e+06",
    ],
    [
      "break and continue",
      "{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}",
      { l: [1n, 2n, 3n, 4n] },
      "13",
    ],
    ["comments with trim markers", "{{/* c */}}a  {{- /* c2 */ -}}  b", {}, "ab"],
    ["tpl", '{{ tpl "{{ .x }}+" . }}', { x: "T" }, "T+"],
    [
      "parenthesised pipelines and chains",
      '{{ (index .m "k").v }} {{ .m.k.v | printf "%q" }}',
      { m: { k: { v: "z" } } },
      'z "z"',
    ],
    [
      "floats from values print as Go does",
      "{{ .a }} {{ .b }} {{ .c }}",
      { a: 1000000, b: 1.5, c: 123456 },
      "1e+06 1.5 123456",
    ],
  ];
  for (const [name, src, data, want] of cases) test(name, () => expect(render(src, data)).toBe(want));
});

describe("parse errors read like Go's", () => {
  const cases: [string, string][] = [
    ["{{ .a }", 'unexpected "}" in operand'],
    ["{{ foo }}", 'function "foo" not defined'],
    ["{{ $x }}", 'undefined variable "$x"'],
    ["{{ if }}{{ end }}", "missing value for if"],
    ["{{ if .a }}", "unexpected EOF"],
    ["{{ end }}", "unexpected {{end}}"],
    ["{{ (.a }}", "unclosed left paren"],
    ['{{ "abc }}', "unterminated quoted string"],
    ["{{ break }}", "{{break}} outside {{range}}"],
  ];
  for (const [src, want] of cases) test(src, () => expect(error(src)).toBe(`template: t:1: ${want}`));
});

describe("execution errors name the spot", () => {
  const cases: [string, string][] = [
    ["{{ nil }}", 'template: t:1:3: executing "t" at <nil>: nil is not a command'],
    ["{{ .x.y }}", 'template: t:1:5: executing "t" at <.x.y>: nil pointer evaluating interface {}.y'],
    ["{{ len 3 }}", 'template: t:1:3: executing "t" at <len 3>: error calling len: len of type int'],
    [
      '{{ eq 1 "a" }}',
      'template: t:1:3: executing "t" at <eq 1 "a">: error calling eq: incompatible types for comparison: int and string',
    ],
    [
      '{{ template "nope" }}',
      'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined',
    ],
    [
      "{{ printf }}",
      'template: t:1:3: executing "t" at <printf>: wrong number of args for printf: want at least 1 got 0',
    ],
  ];
  for (const [src, want] of cases) test(src, () => expect(error(src)).toBe(want));

  test("self-including and self-calling templates fail cleanly", () => {
    expect(error('{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}')).toContain(
      "rendering template has a nested reference name: a: unable to execute template",
    );
    expect(error('{{ define "b" }}{{ template "b" . }}{{ end }}{{ template "b" . }}')).toContain(
      "exceeded maximum template depth",
    );
  });

  test("nesting is bounded at a fixed depth, and deep or long templates take linear time", () => {
    const nested = (open: string, depth: number) => `${open.repeat(depth)}1${"{{ end }}".repeat(depth)}`;
    for (const open of ["{{ if true }}", "{{ range 1 }}", "{{ with . }}"]) {
      expect(render(nested(open, 2000))).toBe(open.includes("with") ? "" : "1");
      expect(error(nested(open, 2001))).toBe("template: t:1: max expression depth exceeded");
    }
    expect(error(`{{ if false }}${"{{ else if false }}".repeat(2001)}{{ end }}`)).toBe(
      "template: t:1: max expression depth exceeded",
    );
    // One line of 20,000 nested blocks (no newline: counting lines once scanned to the end each time).
    const cpu0 = process.cpuUsage();
    expect(error(nested("{{ range 1 }}", 20_000))).toBe("template: t:1: max expression depth exceeded");
    const cpu = process.cpuUsage(cpu0);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1500);
  });

  test("output size is bounded", () => {
    const s = new TemplateSet({ maxOutput: 1000 });
    s.parse("big", "{{ range 2000 }}xx{{ end }}");
    expect(() => s.execute("big", {})).toThrow("output exceeds the limit of 1000 characters");
  });
});
