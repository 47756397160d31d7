/**
 * Downloader plugins (legacy `downloaders:`, and Helm 4's getter/v1), differential against real
 * Helm v4.1.4: `helm pull SCHEME://…`, `repo add` + `pull repo/chart` with the index fetched by
 * the plugin, and `dependency update` of a chart whose repository uses the scheme. The getter
 * runs with Helm's argument order (certFile keyFile caFile URL) and variables; its stdout is the
 * file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartArchive } from "../repo/support.ts";
import { run, type Side, sides, workDir, writePlugin } from "./support.ts";

const work = workDir("helmts-plugin-getter-");
const src = join(work, "src");
const chartFile = join(work, "mychart-0.1.0.tgz");

/** Serves `SCHEME://host/charts/index.yaml` and any chart URL from local files; `*fail*` URLs exit 4. */
const getter = `#!/bin/sh
echo "ARGS:$*" >> "$HELM_DATA_HOME/getter.log"
env | grep -E '^HELM_PLUGIN' | sort >> "$HELM_DATA_HOME/getter.log"
case "$4" in
  *index.yaml) printf 'apiVersion: v1\\nentries:\\n  mychart:\\n  - name: mychart\\n    version: 0.1.0\\n    apiVersion: v2\\n    urls: [myproto://host/charts/mychart-0.1.0.tgz]\\n' ;;
  *fail*) echo "no such object" >&2; exit 4 ;;
  *) cat "${chartFile}" ;;
esac
`;

let pair: [Side, Side];

beforeAll(() => {
  writeFileSync(chartFile, chartArchive({ name: "mychart", version: "0.1.0" }));
  writePlugin(
    join(src, "dl"),
    `name: mydl
version: 0.1.0
usage: downloader
downloaders:
  - command: "get.sh"
    protocols: ["myproto", "other"]
`,
    { "get.sh": getter },
  );
  writePlugin(
    join(src, "dlv1"),
    `apiVersion: v1
name: dlv1
type: getter/v1
runtime: subprocess
version: 1.0.0
config:
  protocols: ["v1proto"]
runtimeConfig:
  protocolCommands:
    - protocols: ["v1proto"]
      platformCommand:
        - command: "get.sh"
`,
    { "get.sh": getter },
  );
  pair = sides(join(work, "homes")) as [Side, Side];
  for (const side of pair) {
    for (const dir of ["dl", "dlv1"]) expect(run(side, ["plugin", "install", join(src, dir)]).status).toBe(0);
    mkdirSync(join(side.home, "w"), { recursive: true });
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function same(args: (side: Side) => string[]) {
  const want = run(pair[0], args(pair[0]));
  const got = run(pair[1], args(pair[1]));
  expect(got).toEqual(want);
  return got;
}

function getterLog(side: Side): string {
  const file = join(side.env.HELM_DATA_HOME!, "getter.log");
  return existsSync(file) ? readFileSync(file, "utf8").replaceAll(side.home, "HOME") : "";
}

describe("getter plugins", () => {
  test("getters are listed as getter/v1 and are not commands", () => {
    expect(same(() => ["plugin", "list", "--type", "getter/v1"]).stdout).toContain(
      "mydl\t0.1.0  \tgetter/v1\tlegacy",
    );
    expect(same(() => ["mydl"]).status).toBe(1);
  });

  test("helm pull SCHEME://…: the plugin's stdout is the chart; its arguments and variables", () => {
    for (const url of ["myproto://host/path/mychart-0.1.0.tgz", "v1proto://h/mychart-0.1.0.tgz"]) {
      for (const side of pair) mkdirSync(join(side.home, "w", url.split(":")[0]!), { recursive: true });
      const r = same((s) => ["pull", url, "-d", join(s.home, "w", url.split(":")[0]!)]);
      expect(r.status).toBe(0);
      expect(readdirSync(join(pair[1].home, "w", url.split(":")[0]!))).toEqual(["mychart-0.1.0.tgz"]);
    }
    const log = getterLog(pair[1]);
    expect(log).toBe(getterLog(pair[0]));
    expect(log).toContain("ARGS:   myproto://host/path/mychart-0.1.0.tgz\n");
    expect(log).toContain("HELM_PLUGIN_DIR=HOME/data/plugins/dl\nHELM_PLUGIN_NAME=mydl\n");
    expect(log).toContain("HELM_PLUGIN_PASS_CREDENTIALS_ALL=false\n");
    expect(readFileSync(join(pair[1].home, "w", "myproto", "mychart-0.1.0.tgz"))).toEqual(
      readFileSync(chartFile),
    );
  });

  test("a failing getter fails the pull with its status reported; an unknown scheme is refused", () => {
    const got = run(pair[1], ["pull", "other://host/fail-0.1.0.tgz"]);
    expect(got.status).toBe(1);
    expect(got.stderr).toBe('no such object\nError: plugin "mydl" exited with error\n');
    expect(run(pair[0], ["pull", "other://host/fail-0.1.0.tgz"]).status).toBe(1);
    expect(same(() => ["pull", "nope://x/y.tgz"]).stderr).toBe('Error: scheme "nope" not supported\n');
  });

  test("a repository on the scheme: repo add, pull repo/chart, dependency update", () => {
    same(() => ["repo", "add", "myrepo", "myproto://host/charts"]);
    same((s) => ["pull", "myrepo/mychart", "--untar", "-d", join(s.home, "w", "repo")]);
    expect(existsSync(join(pair[1].home, "w", "repo", "mychart", "Chart.yaml"))).toBe(true);
    for (const side of pair) {
      const parent = join(side.home, "parent");
      mkdirSync(join(parent, "templates"), { recursive: true });
      writeFileSync(
        join(parent, "Chart.yaml"),
        "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: mychart\n  version: 0.1.0\n  repository: myproto://host/charts\n",
      );
    }
    same((s) => ["dependency", "update", join(s.home, "parent")]);
    expect(readdirSync(join(pair[1].home, "parent", "charts"))).toEqual(["mychart-0.1.0.tgz"]);
    expect(getterLog(pair[1])).toBe(getterLog(pair[0]));
  });
});
