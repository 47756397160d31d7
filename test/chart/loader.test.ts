import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { chartFullPath, crdFiles, isLibraryChart } from "../../src/chart/chart.ts";
import { loadArchive, loadChart, loadDir } from "../../src/chart/loader.ts";
import { tempDir } from "./support.ts";
import { chartTgz, makeTgz } from "./tar.ts";

function writeTree(files: Record<string, string | Uint8Array>): string {
  const root = join(tempDir(), "chart");
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), data);
  }
  return root;
}

const CHART = "apiVersion: v2\nname: top\nversion: 1.0.0\n";

describe("loader: chart layout", () => {
  test("files land where Helm puts them", () => {
    const dir = writeTree({
      "Chart.yaml": CHART,
      "Chart.lock":
        "generated: 2024-01-01T00:00:00Z\ndigest: sha256:x\ndependencies: [{name: sub, version: 0.1.0, repository: file://x}]\n",
      "values.yaml": "a: 1\n",
      "values.schema.json": "{}",
      "templates/deploy.yaml": "kind: x",
      "templates/_helpers.tpl": '{{ define "x" }}{{ end }}',
      "templates/NOTES.txt": "notes",
      "crds/crd.yaml": "kind: CustomResourceDefinition",
      "crds/readme.md": "no",
      "files/config.ini": "k=v",
      "README.md": "readme",
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\ntype: library\n",
      "charts/packed.tgz": chartTgz("packed"),
      "charts/packed.tgz.prov": "signature",
      "charts/.hidden/Chart.yaml": "not: loaded",
      "charts/_skip.tgz": "not loaded",
    });
    const c = loadDir(dir);
    expect(c.metadata.name).toBe("top");
    expect(c.lock?.digest).toBe("sha256:x");
    expect(c.lock?.dependencies.map((d) => d.name)).toEqual(["sub"]);
    expect(c.values).toEqual(Object.assign(Object.create(null), { a: 1 }));
    expect(new TextDecoder().decode(c.schema!)).toBe("{}");
    expect(c.templates.map((f) => f.name).sort()).toEqual([
      "templates/NOTES.txt",
      "templates/_helpers.tpl",
      "templates/deploy.yaml",
    ]);
    expect(c.files.map((f) => f.name).sort()).toEqual([
      "README.md",
      "charts/packed.tgz.prov",
      "crds/crd.yaml",
      "crds/readme.md",
      "files/config.ini",
    ]);
    expect(crdFiles(c).map((f) => f.name)).toEqual(["crds/crd.yaml"]);
    expect(c.dependencies.map((d) => d.metadata.name)).toEqual(["packed", "sub"]);
    const sub = c.dependencies.find((d) => d.metadata.name === "sub")!;
    expect(isLibraryChart(sub)).toBe(true);
    expect(sub.parent).toBe(c);
    expect(chartFullPath(sub)).toBe("top/charts/sub");
    expect(c.raw.map((f) => f.name)).toContain("charts/sub/Chart.yaml");
  });

  test("subcharts nest to any depth, as directories or archives inside archives", () => {
    const level3 = chartTgz("l3");
    const level2 = chartTgz("l2", [{ name: "l2/charts/l3.tgz", data: level3 }]);
    const top = makeTgz([
      { name: "top/Chart.yaml", data: CHART },
      { name: "top/charts/l2.tgz", data: level2 },
      { name: "top/charts/d/Chart.yaml", data: "apiVersion: v2\nname: d\nversion: 1.0.0\n" },
      { name: "top/charts/d/charts/dd/Chart.yaml", data: "apiVersion: v2\nname: dd\nversion: 1.0.0\n" },
    ]);
    const c = loadArchive(top);
    const l3 = c.dependencies.find((d) => d.metadata.name === "l2")!.dependencies[0]!;
    expect(chartFullPath(l3)).toBe("top/charts/l2/charts/l3");
    expect(l3.values).toEqual(Object.assign(Object.create(null), { a: 1 }));
    expect(chartFullPath(c.dependencies.find((d) => d.metadata.name === "d")!.dependencies[0]!)).toBe(
      "top/charts/d/charts/dd",
    );
  });

  test("apiVersion v1: requirements.yaml and requirements.lock", () => {
    const c = loadDir(
      writeTree({
        "Chart.yaml": "name: old\nversion: 1.0.0\n",
        "requirements.yaml":
          "dependencies: [{name: db, version: 1.x, condition: db.enabled, alias: database}]\n",
        "requirements.lock": "generated: 2020-01-01T00:00:00Z\ndigest: d\ndependencies: []\n",
      }),
    );
    expect(c.metadata.apiVersion).toBe("v1");
    expect(c.metadata.dependencies?.[0]).toMatchObject({
      name: "db",
      version: "1.x",
      condition: "db.enabled",
      alias: "database",
    });
    expect(c.lock?.digest).toBe("d");
    expect(c.files.map((f) => f.name).sort()).toEqual(["requirements.lock", "requirements.yaml"]);
  });

  test("a UTF-8 byte-order mark is dropped from every file", () => {
    const c = loadDir(
      writeTree({ "Chart.yaml": `\ufeff${CHART}`, "values.yaml": "\ufeffa: 1\n", "f.txt": "\ufeffabc" }),
    );
    expect(c.values.a).toBe(1);
    expect(c.files.find((f) => f.name === "f.txt")!.data.length).toBe(3);
  });

  test("errors name the subchart, as Helm's do", () => {
    expect(() => loadDir(writeTree({ "Chart.yaml": CHART, "charts/README.md": "x" }))).toThrow(
      "error unpacking subchart README.md in top: Chart.yaml file is missing",
    );
    expect(() =>
      loadDir(
        writeTree({
          "Chart.yaml": CHART,
          "charts/bad/Chart.yaml": "apiVersion: v2\nname: bad\nversion: x\n",
        }),
      ),
    ).toThrow('error unpacking subchart bad in top: validation: chart.metadata.version "x" is invalid');
    expect(() => loadDir(writeTree({ "Chart.yaml": CHART, "values.yaml": "- 1\n" }))).toThrow(
      "cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
    );
    expect(() => loadDir(writeTree({ "values.yaml": "a: 1\n" }))).toThrow("Chart.yaml file is missing");
  });

  test("loadChart takes a path to a directory or an archive", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "c.tgz"), chartTgz("c"));
    writeFileSync(join(dir, "plain.txt"), "hello");
    expect(loadChart(join(dir, "c.tgz")).metadata.name).toBe("c");
    expect(() => loadChart(join(dir, "plain.txt"))).toThrow("does not appear to be a gzipped archive");
    expect(() => loadChart(join(dir, "missing"))).toThrow("no such file or directory");
  });
});

describe("loader: hostile directories", () => {
  test("symlinks inside the chart are followed", () => {
    const dir = writeTree({ "Chart.yaml": CHART, "real/a.txt": "a" });
    symlinkSync("real/a.txt", join(dir, "link.txt"));
    symlinkSync("real", join(dir, "linkdir"));
    const names = loadDir(dir)
      .files.map((f) => f.name)
      .sort();
    expect(names).toEqual(["link.txt", "linkdir/a.txt", "real/a.txt"]);
  });

  test("a symlink out of the chart is refused", () => {
    const dir = writeTree({ "Chart.yaml": CHART });
    symlinkSync("/etc/hostname", join(dir, "host.txt"));
    expect(() => loadDir(dir)).toThrow(
      'chart file "host.txt" is a symbolic link to /etc/hostname, outside the chart directory',
    );
  });

  test("a symlink to a device is refused", () => {
    const dir = writeTree({ "Chart.yaml": CHART });
    symlinkSync("/dev/zero", join(dir, "zero"));
    expect(() => loadDir(dir)).toThrow("outside the chart directory");
  });

  test("a broken symlink is an error, as in Helm", () => {
    const dir = writeTree({ "Chart.yaml": CHART });
    symlinkSync("nowhere", join(dir, "broken.txt"));
    expect(() => loadDir(dir)).toThrow(`error evaluating symlink ${join(dir, "broken.txt")}`);
  });

  test("a symlink loop is refused", () => {
    const dir = writeTree({ "Chart.yaml": CHART, "sub/x.txt": "x" });
    symlinkSync("..", join(dir, "sub", "up"));
    expect(() => loadDir(dir)).toThrow("symbolic link loop");
  });

  test("FIFOs are refused with Helm's message", () => {
    const dir = writeTree({ "Chart.yaml": CHART });
    execFileSync("mkfifo", [join(dir, "pipe")]);
    expect(() => loadDir(dir)).toThrow(
      `cannot load irregular file ${join(dir, "pipe")} as it has file mode type bits set`,
    );
  });

  test("an ignored FIFO is fine", () => {
    const dir = writeTree({ "Chart.yaml": CHART, ".helmignore": "pipe\n" });
    execFileSync("mkfifo", [join(dir, "pipe")]);
    expect(() => loadDir(dir)).not.toThrow();
  });

  test("files over 5 MiB are refused, as in Helm", () => {
    const dir = writeTree({ "Chart.yaml": CHART, "big.bin": new Uint8Array(5 * 1024 * 1024 + 1) });
    expect(() => loadDir(dir)).toThrow('chart file "big.bin" is larger than the maximum file size 5242880');
  });

  test("a bad .helmignore is reported", () => {
    expect(() => loadDir(writeTree({ "Chart.yaml": CHART, ".helmignore": "**/x\n" }))).toThrow(
      "double-star (**) syntax is not supported",
    );
  });
});
