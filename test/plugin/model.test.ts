/**
 * The plugin model without a binary: plugin.yaml parsing and validation (legacy and v1 layouts),
 * os.Expand rules, platform command selection, Helm's split of global flags out of a plugin's
 * arguments, and archive names.
 */
import { describe, expect, test } from "bun:test";
import { splitPluginArgs } from "../../src/cli/plugin-commands.ts";
import { pluginNameOfArchive } from "../../src/plugin/archive.ts";
import { parsePlugin } from "../../src/plugin/plugins.ts";
import { expandEnv, platformCommand, prepareCommand } from "../../src/plugin/subprocess.ts";

describe("plugin.yaml", () => {
  test("legacy: usage is the short help, hooks run under sh -c unexpanded, downloaders make a getter", () => {
    const p = parsePlugin(
      'name: a\nversion: 1.0.0\nusage: "one\\ttwo"\ncommand: "$X/run --f"\nhooks:\n  install: echo $HELM_PLUGIN_NAME\n',
      "/d",
    );
    expect(p).toMatchObject({
      apiVersion: "legacy",
      type: "cli/v1",
      shortHelp: "one two",
      expandHookArgs: false,
    });
    expect(p.commands).toEqual([{ command: "$X/run --f", args: [] }]);
    expect(p.hooks.install).toEqual([{ command: "sh", args: ["-c", "echo $HELM_PLUGIN_NAME"] }]);
    const g = parsePlugin("name: g\ndownloaders:\n- command: get\n  protocols: [s3, gs]\n", "/d");
    expect(g).toMatchObject({ type: "getter/v1", protocols: ["s3", "gs"] });
  });

  test("Helm's validation messages", () => {
    const cases: [string, string][] = [
      ["name: a/b\n", 'invalid plugin name "a/b": must contain only a-z, A-Z, 0-9, _ and -'],
      ["name: ''\n", 'invalid plugin name "": must contain only a-z, A-Z, 0-9, _ and -'],
      ["name: a\nversion: v1.0.0\n", 'invalid plugin version "v1.0.0": must be valid semver'],
      ["name: a\nversion: ../../x\n", 'invalid plugin version "../../x": must be valid semver'],
      ["name: a\ncommand: x\nplatformCommand: [{command: y}]\n", "both platformCommand and command are set"],
      ["name: a\ndownloaders: [{protocols: [x]}]\n", "downloader 0 has empty command"],
      ["name: a\ndownloaders: [{command: x, protocols: []}]\n", "downloader 0 has no protocols"],
      ["apiVersion: v2\nname: a\n", 'invalid plugin apiVersion: "v2"'],
      ["apiVersion: v1\nname: a\nruntime: subprocess\n", "empty type field"],
      ["apiVersion: v1\nname: a\ntype: cli/v1\nruntime: subprocess\nextra: 1\n", "field extra not found"],
      [
        "apiVersion: v1\nname: a\ntype: cli/v1\nruntime: extism/v1\n",
        'unsupported plugin runtime type: "extism/v1"',
      ],
      ["name: a\nname: b\n", "failed to peek plugin.yaml API version: yaml:"],
    ];
    for (const [yaml, message] of cases) expect(() => parsePlugin(yaml, "/d")).toThrow(message);
  });
});

describe("running", () => {
  test("os.Expand: names, braces, shell specials, and a lone $", () => {
    const env = { A: "x", AB: "y", "1": "one" };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: os.Expand's syntax, not a JS template
    expect(expandEnv("$A/${A}b/$AB/$1$2/${}/$@/a$", env)).toBe("x/xb/y/one///a$");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: os.Expand's syntax, not a JS template
    expect(expandEnv("$-x ${1} $ a", env)).toBe("x one $ a");
  });

  test("platform command: exact match, then OS only, then neither; arch alone never matches", () => {
    const os = process.platform === "win32" ? "windows" : process.platform;
    const cmds = [
      { arch: "amd64", command: "arch-only", args: [] },
      { command: "any", args: [] },
      { os: os.toUpperCase(), command: "os", args: [] },
      { os: "plan9", command: "other", args: [] },
    ];
    expect(platformCommand(cmds)?.command).toBe("os");
    expect(platformCommand(cmds.slice(0, 2))?.command).toBe("any");
    expect(platformCommand(cmds.slice(0, 1))).toBeUndefined();
    expect(() => prepareCommand([], true, [], {})).toThrow("no plugin command is applicable");
  });

  test("commands split on single spaces; the head is always expanded, args only when asked", () => {
    const cmds = [{ command: "$D/run  --n $N", args: ["$N"] }];
    expect(prepareCommand(cmds, true, ["x"], { D: "/p", N: "ns" })).toEqual({
      main: "/p/run",
      args: ["", "--n", "ns", "ns", "x"],
    });
    expect(prepareCommand(cmds, false, [], { D: "/p", N: "ns" }).args).toEqual(["", "--n", "$N", "$N"]);
  });

  test("global flags are taken out of a plugin's arguments", () => {
    expect(
      splitPluginArgs([
        "a",
        "-n",
        "ns",
        "--debug",
        "--kube-context=c",
        "--kube-insecure-skip-tls-verify",
        "false",
        "--other",
        "v",
      ]),
    ).toEqual({ known: ["-n", "ns", "--debug", "--kube-context=c"], rest: ["a", "--other", "v"] });
    expect(splitPluginArgs(["--kube-insecure-skip-tls-verify", "x"]).known).toEqual([
      "--kube-insecure-skip-tls-verify",
    ]);
  });

  test("archive names: NAME-VERSION.tgz → NAME", () => {
    expect(pluginNameOfArchive("helm-diff-3.9.1.tgz")).toBe("helm-diff");
    expect(pluginNameOfArchive("plain.tar.gz")).toBe("plain");
  });
});
