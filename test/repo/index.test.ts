/**
 * index.yaml reading: the fast subset reader agrees with the general YAML reader (hand-written
 * cases and random go-yaml-style documents), gives up on what it does not know, and loading
 * applies Helm's strictness, skipping, sanitizing, ordering and limits.
 */
import { describe, expect, test } from "bun:test";
import { toYaml } from "../../src/chart/engine/funcs/serialize.ts";
import { type GoValue, newGoMap } from "../../src/chart/engine/value.ts";
import { parseYamlNodes, type YNode } from "../../src/chart/engine/yaml.ts";
import { describeNetError } from "../../src/repo/http.ts";
import { IndexError, loadIndex } from "../../src/repo/index-file.ts";
import { type PlainValue, readIndexYaml } from "../../src/repo/index-yaml.ts";

function general(text: string): PlainValue {
  const toPlain = (n: YNode): PlainValue => {
    switch (n.kind) {
      case "null":
        return null;
      case "bool":
      case "str":
        return n.value;
      case "int":
        return Number(n.value);
      case "float":
        return n.value;
      case "seq":
        return n.items.map(toPlain);
      case "map": {
        const o: Record<string, PlainValue> = Object.create(null);
        for (const [k, v] of n.entries) o[k] = toPlain(v);
        return o;
      }
    }
  };
  return toPlain(parseYamlNodes(text)[0] ?? { kind: "null" });
}

const enc = (s: string) => new TextEncoder().encode(s);

describe("fast index reader", () => {
  const cases = [
    "a: b\n",
    "a: 1\nb: 1.5\nc: true\nd: yes\ne: ~\nf:\ng: 010\nh: 1e3\ni: .inf_no\nj: 0x1F\n",
    "a:\n- x\n- y\nb:\n  - 1\n  - two\n",
    "list:\n- name: a\n  version: 1.0.0\n- name: b\n  urls:\n  - u1\n  - u2\n",
    "d: An nginx-based web server that has a rather long description that goes\n  past fifty columns\n  and more\n",
    "d: first\n\n  second after blank\nnext: x\n",
    'q: "double \\" quoted \\u00e9 \\n x"\n',
    "q: 'single ''quoted'' # not a comment'\n",
    'q: "folded double\n  quoted line"\nr: 1\n',
    "q: 'folded single\n\n  with blank'\n",
    "b: |\n  line one\n  line two\n\nc: x\n",
    "b: |-\n  keep\n   indented\n",
    "b: >\n  folded\n  text\n\n  para\n    more\n  back\n",
    "b: >-\n  x\n",
    "b: |+\n  keep\n\n\nc: d\n",
    "e: []\nf: {}\ng: [a, 'b', \"c\", 1]\n",
    "a: b # comment\n# full line\nc: 'd' # c2\n",
    "---\na: b\n",
    "a: b\r\nc: d\r\n",
    "\uFEFFa: b\n",
    "\"quoted key\": v\n'k2': v2\n",
    "a: x:y\nb: http://example.com/x#frag\n",
    "empty:\n  nested:\n",
    "seq:\n-\n- a\n-   b\n",
  ];
  for (const c of cases) {
    test(JSON.stringify(c).slice(0, 60), () => {
      const fast = readIndexYaml(c);
      expect(fast).not.toBeUndefined();
      expect(fast).toEqual(general(c));
    });
  }

  test("gives up on what it does not handle", () => {
    for (const c of [
      "a: &x b\nc: *x\n",
      "a: !!str 1\n",
      "a: {b: c}\n",
      "? a\n: b\n",
      "a: b\n---\nc: d\n",
      "a:\n\t- b\n",
      "a: [b, [c]]\n",
      "%YAML 1.1\n---\na: b\n",
      "a: b: c\n",
      "  a: b\n c: d\n",
    ]) {
      expect(readIndexYaml(c)).toBeUndefined();
    }
  });

  test("refuses repeated keys as Helm does", () => {
    expect(() =>
      loadIndex(
        enc("apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    name: b\n"),
        "x",
        () => {},
      ),
    ).toThrow(
      'error converting YAML to JSON: yaml: unmarshal errors:\n  line 6: key "name" already set in map',
    );
  });

  test("agrees with the general reader on random go-yaml documents", () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const words = [
      "nginx",
      "a",
      "yes",
      "1.0",
      "010",
      "web server",
      "x: y",
      "#tag",
      "- dash",
      "'q'",
      '"dq"',
      "é ü",
      "",
      "null",
      "~",
      "1e5",
      "true",
      "with  two spaces",
      "trailing ",
      " leading",
      "tab\there",
      "line\nbreak",
      "multi\n\nblank\n",
      "é".repeat(3),
    ];
    const scalar = (): GoValue => {
      const r = rnd(10);
      if (r === 0) return rnd(1000);
      if (r === 1) return rnd(2) === 0;
      if (r === 2) return null;
      if (r === 3) return Array.from({ length: 3 + rnd(30) }, () => words[rnd(words.length)]).join(" ");
      return words[rnd(words.length)]!;
    };
    const value = (depth: number): GoValue => {
      const r = rnd(6);
      if (depth > 3 || r < 3) return scalar();
      if (r === 3) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      const m = newGoMap();
      for (let i = rnd(5); i > 0; i--) m[`${words[rnd(words.length)]}${rnd(5)}`] = value(depth + 1);
      return m;
    };
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const doc = newGoMap();
      for (let k = 1 + rnd(6); k > 0; k--) doc[`key${k}`] = value(0);
      const text = `${toYaml(doc)}\n`;
      const fast = readIndexYaml(text);
      if (fast === undefined) continue;
      checked++;
      expect(`${text}\n${JSON.stringify(fast)}`).toBe(`${text}\n${JSON.stringify(general(text))}`);
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe("loading an index", () => {
  const base = (entries: string) =>
    enc(`apiVersion: v1\nentries:\n${entries}generated: "2026-01-01T00:00:00Z"\n`);

  test("skips empty and invalid entries with Helm's warnings, sorts newest first", () => {
    const warnings: string[] = [];
    const idx = loadIndex(
      base(
        "  a:\n  - name: a\n    version: 1.2.0\n  - name: a\n    version: bad\n  -\n  - name: a\n    version: 1.10.0\n  - name: a\n    version: 2.0.0-rc.1\n  - name: a\n    version: 1.9.0\n  b: []\n",
      ),
      "SRC",
      (w) => warnings.push(w),
    );
    expect(idx.entries.get("a")!.map((v) => v.version)).toEqual(["2.0.0-rc.1", "1.10.0", "1.9.0", "1.2.0"]);
    expect(idx.entries.get("b")).toEqual([]);
    expect(warnings).toEqual([
      'skipping loading invalid entry for chart "a" from SRC: empty entry',
      'skipping loading invalid entry for chart "a" "bad" from SRC: validation: chart.metadata.version "bad" is invalid',
    ]);
  });

  test("strict decoding with Go's messages", () => {
    const cases: [string, string][] = [
      [
        "  a:\n  - name: a\n    version: 1.0\n",
        "json: cannot unmarshal number into Go struct field ChartVersion.entries.Metadata.version of type string",
      ],
      ["  a:\n  - name: a\n    version: 1.0.0\n    bogus: 1\n", 'json: unknown field "bogus"'],
      [
        "  a: 3\n",
        "json: cannot unmarshal number into Go struct field IndexFile.entries of type repo.ChartVersions",
      ],
      [
        "  a:\n  - name: a\n    version: 1.0.0\n    maintainers: [x]\n",
        "json: cannot unmarshal string into Go struct field ChartVersion.entries.Metadata.maintainers of type v2.Maintainer",
      ],
      ["  a:\n  - name: a\n    version: 1.0.0\n    created: yesterday\n", 'parsing time "yesterday"'],
    ];
    for (const [entries, message] of cases) {
      expect(() => loadIndex(base(entries), "x", () => {})).toThrow(message);
    }
    expect(() => loadIndex(enc(""), "x", () => {})).toThrow("empty index.yaml file");
    expect(() => loadIndex(enc("entries: {}\n"), "x", () => {})).toThrow("no API version specified");
  });

  test("JSON indexes are read leniently, as Helm reads them", () => {
    const idx = loadIndex(
      enc('{"apiVersion":"v1","entries":{"a":[{"name":"a","version":"1.0.0","bogus":1}]}}'),
      "x",
      () => {},
    );
    expect(idx.entries.get("a")![0]!.version).toBe("1.0.0");
  });

  test("terminal escapes in metadata are removed", () => {
    const idx = loadIndex(
      base('  a:\n  - name: a\n    version: 1.0.0\n    description: "red \\e[31mtext\\e[0m"\n'),
      "x",
      () => {},
    );
    expect(idx.entries.get("a")![0]!.description).toBe("red [31mtext[0m");
  });

  test("hostile input: size cap, alias bomb, deep nesting", () => {
    expect(() => loadIndex(base("  a: []\n"), "x", () => {}, 10)).toThrow("more than the maximum 10");
    const bomb = [
      "apiVersion: v1",
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
      "entries: {}",
    ].join("\n");
    const t0 = performance.now();
    expect(() => loadIndex(enc(bomb), "x", () => {})).toThrow(IndexError);
    expect(performance.now() - t0).toBeLessThan(5000);
    const deep = `apiVersion: v1\nentries: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    expect(() => loadIndex(enc(deep), "x", () => {})).toThrow(IndexError);
    const deepBlock = `apiVersion: v1\nentries:\n${Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n")}\n`;
    expect(() => loadIndex(enc(deepBlock), "x", () => {})).toThrow();
  });

  test("network errors are one line naming the URL, in Go's words", () => {
    const url = new URL("http://nowhere.invalid:8080/index.yaml");
    expect(describeNetError(url, Object.assign(new Error("x"), { code: "ENOTFOUND" }))).toBe(
      'Get "http://nowhere.invalid:8080/index.yaml": dial tcp: lookup nowhere.invalid: no such host',
    );
    expect(describeNetError(url, Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe(
      'Get "http://nowhere.invalid:8080/index.yaml": dial tcp nowhere.invalid:8080: connect: connection refused',
    );
  });
});
