/**
 * cli/v1 plugins, differential against real Helm v4.1.4: install from directories (legacy and
 * `apiVersion: v1` layouts), `plugin list` (with `--type`), `helm PLUGIN args…` (arguments,
 * environment, exit status, `ignoreFlags`, global flags taken out), `--help` listing, hooks,
 * update and uninstall — same stdout, stderr and status for the same plugin sources.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { recorder, run, type Side, sides, workDir, writePlugin } from "./support.ts";

const work = workDir("helmts-plugin-cli-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

const src = join(work, "src");
const echoer = writePlugin(
  join(src, "echoer"),
  `name: "echoer"
version: "0.1.0"
usage: "echo things"
description: "Echo args and env"
command: "$HELM_PLUGIN_DIR/run.sh first $HELM_NAMESPACE"
ignoreFlags: false
hooks:
  install: "echo installing $HELM_PLUGIN_NAME from $(basename $HELM_PLUGIN_DIR)"
  delete: "echo deleting $HELM_PLUGIN_NAME"
`,
  { "run.sh": recorder("echoer", 3) },
);
const v1 = writePlugin(
  join(src, "v1src"),
  `apiVersion: v1
name: v1cli
type: cli/v1
runtime: subprocess
version: 1.2.3
sourceURL: https://example.com/v1cli
config:
  usage: "v1 [args]"
  shortHelp: "short v1"
  longHelp: "long v1"
  ignoreFlags: true
runtimeConfig:
  platformCommand:
    - os: windows
      command: no-such-command
    - arch: amd64
      command: no-such-command-either
    - command: "$HELM_PLUGIN_DIR/run.sh --fixed \${HELM_PLUGIN_NAME}"
      args: ["$HELM_NAMESPACE", "$1"]
  platformHooks:
    install:
      - command: "sh"
        args: ["-c", "echo v1 hook $HELM_PLUGIN_NAME"]
`,
  { "run.sh": recorder("v1", 0) },
);
const quux = writePlugin(join(src, "quux"), "name: quux\ncommand: $HELM_PLUGIN_DIR/run.sh\n", {
  "run.sh": recorder("quux", 0),
});

const [helmSide, oursSide] = sides(join(work, "homes")) as [Side, Side];

/** Run on both sides and expect the same result; returns ours. */
function same(args: string[]) {
  const want = run(helmSide, args);
  const got = run(oursSide, args);
  expect({ args, ...got }).toEqual({ args, ...want });
  return got;
}

function log(side: Side, name: string): string {
  return readFileSync(join(side.env.HELM_DATA_HOME!, `${name}.log`), "utf8")
    .replaceAll(side.bin, "HELM_BIN")
    .replaceAll(side.home, "HOME");
}

describe("cli plugins, same as Helm", () => {
  test("install from directories (symlinked, hooks run), and again", () => {
    expect(same(["plugin", "install", echoer]).stdout).toBe(
      "Installing plugin from local directory (development mode)\ninstalling echoer from echoer\nInstalled plugin: echoer\n",
    );
    expect(same(["plugin", "add", v1]).stdout).toContain("v1 hook v1cli\n");
    same(["plugin", "install", quux]);
    expect(lstatSync(join(oursSide.plugins, "echoer")).isSymbolicLink()).toBe(true);
    const again = same(["plugin", "install", echoer]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("Error: plugin already exists\n");
  });

  test("plugin list, and --type", () => {
    const list = same(["plugin", "list"]);
    expect(list.stdout.split("\n")[0]).toMatch(
      /^NAME {2}\tVERSION\tTYPE {2}\tAPIVERSION\tPROVENANCE\tSOURCE +$/,
    );
    expect(list.stdout).toContain("v1cli ");
    same(["plugin", "ls", "--type", "cli/v1"]);
    expect(same(["plugin", "list", "--type", "getter/v1"]).stdout).toBe(
      "NAME\tVERSION\tTYPE\tAPIVERSION\tPROVENANCE\tSOURCE\n",
    );
  });

  test("helm PLUGIN: global flags applied and taken out, the plugin's status is ours", () => {
    const r = same([
      "echoer",
      "a",
      "--debug",
      "-n",
      "ns1",
      "--kube-context",
      "ctx",
      "b",
      "--kube-insecure-skip-tls-verify",
      "true",
      "--x=y",
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('Error: plugin "echoer" exited with error\n');
    const mine = log(oursSide, "echoer");
    expect(mine).toBe(log(helmSide, "echoer"));
    expect(mine).toContain("ARGS:first ns1 a b --x=y\n");
    for (const line of [
      "HELM_BIN=HELM_BIN",
      "HELM_DEBUG=true",
      "HELM_KUBECONTEXT=ctx",
      "HELM_KUBEINSECURE_SKIP_TLS_VERIFY=true",
      "HELM_NAMESPACE=ns1",
      "HELM_PLUGIN_NAME=echoer",
      "HELM_PLUGIN_DIR=HOME/data/plugins/echoer",
      "HELM_PLUGINS=HOME/data/plugins",
      "HELM_REPOSITORY_CONFIG=HOME/config/repositories.yaml",
    ])
      expect(mine).toContain(`${line}\n`);
  });

  test("ignoreFlags passes no arguments; platformCommand picks the entry for this platform", () => {
    expect(same(["-n", "ns2", "v1", "x", "--foo", "y"]).stdout).toBe("ran v1\n");
    const mine = log(oursSide, "v1");
    expect(mine).toBe(log(helmSide, "v1"));
    expect(mine).toContain("ARGS:--fixed v1cli ns2 \n");
  });

  test("plugins are listed in helm --help under their usage's first word", () => {
    const pluginLines = (out: string) => out.split("\n").filter((l) => /^ {2}(echoer|v1|quux) /.test(l));
    const want = pluginLines(run(helmSide, ["--help"]).stdout);
    expect(want).toEqual([
      "  echoer      echo things",
      '  quux        the "quux" plugin',
      "  v1          short v1",
    ]);
    expect(pluginLines(run(oursSide, ["--help"]).stdout)).toEqual(want);
  });

  test("completion offers plugin commands and installed plugin names", () => {
    // stdout only: cobra's trailing "Completion ended with directive" stderr line is the completion area's.
    const stdout = (args: string[]) => {
      const want = run(helmSide, args).stdout;
      expect(run(oursSide, args).stdout).toBe(want);
      return want;
    };
    expect(stdout(["__complete", "ech"])).toBe("echoer\techo things\n:4\n");
    expect(stdout(["__complete", "plugin", "uninstall", "echoer", ""])).toBe("quux\nv1cli\tshort v1\n:4\n");
    stdout(["__complete", "plugin", "update", ""]);
  });

  test("HELM_NO_PLUGINS=1 turns plugins off", () => {
    const args = ["quux"];
    const off = { ...oursSide, env: { ...oursSide.env, HELM_NO_PLUGINS: "1" } };
    const offHelm = { ...helmSide, env: { ...helmSide.env, HELM_NO_PLUGINS: "1" } };
    const got = run(off, args);
    expect(got).toEqual(run(offHelm, args));
    expect(got.stderr).toContain('unknown command "quux" for "helm"');
  });

  test("update: plugins not from a VCS repository cannot be updated", () => {
    const r = same(["plugin", "update", "echoer", "nope"]);
    expect(r.status).toBe(1);
    same(["plugin", "update"]);
  });

  test("uninstall runs the delete hook; unknown names are reported together", () => {
    const r = same(["plugin", "uninstall", "echoer", "nope", "zzz"]);
    expect(r.stdout).toBe("deleting echoer\nUninstalled plugin: echoer\n");
    expect(r.stderr).toBe("Error: plugin: nope not found\nplugin: zzz not found\n");
    expect(existsSync(join(oursSide.plugins, "echoer"))).toBe(false);
    expect(existsSync(echoer)).toBe(true);
    same(["plugin", "rm"]);
    same(["plugin", "list"]);
  });
});
