/**
 * Plugin archives, differential against real Helm v4.1.4: `.tgz` installs from a file and over
 * HTTP (the harness's nginx), signature verification (`--verify` is on by default), `plugin
 * package` / `plugin verify` with keys made here — our signed packages verify with real Helm
 * and the reverse — and hostile archives and plugin.yaml files: the same error and status as
 * Helm, and (beyond Helm) nothing left installed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { makeTgz } from "../chart/tar.ts";
import { type Nginx, startNginx } from "../support/nginx.ts";
import { run, type Side, sides, workDir, writePlugin } from "./support.ts";

const work = workDir("helmts-plugin-archive-");
const src = join(work, "src");
const www = join(work, "www");
let ng: Nginx;
let secring: string;
let pubring: string;

const goodYaml = `name: good
version: 0.2.0
usage: "good one"
command: "$HELM_PLUGIN_DIR/run.sh"
hooks:
  install: "echo hook $HELM_PLUGIN_NAME in $(basename $HELM_PLUGIN_DIR)"
`;

beforeAll(async () => {
  mkdirSync(www, { recursive: true });
  writePlugin(join(src, "good"), goodYaml, { "run.sh": '#!/bin/sh\necho "good $*"\n' });
  execFileSync("tar", ["-C", src, "-czf", join(www, "good-0.2.0.tgz"), "good"]);
  const key = await openpgp.generateKey({
    type: "ecc",
    curve: "ed25519Legacy",
    userIDs: [{ name: "Plugin Signer", email: "plugins@example.com" }],
    format: "binary",
  });
  secring = join(work, "secring.gpg");
  pubring = join(work, "pubring.gpg");
  writeFileSync(secring, key.privateKey);
  writeFileSync(pubring, key.publicKey);
  ng = await startNginx({ sites: [{ name: "plain" }], root: www });
});

afterAll(async () => {
  await ng?.stop();
  rmSync(work, { recursive: true, force: true });
});

let round = 0;
/** Fresh homes for real Helm and ours. */
function freshSides(): [Side, Side] {
  return sides(join(work, `homes-${round++}`)) as [Side, Side];
}

function same(pair: [Side, Side], args: string[]) {
  const want = run(pair[0], args);
  const got = run(pair[1], args);
  expect({ args, ...got }).toEqual({ args, ...want });
  return got;
}

describe("archives", () => {
  test("a local .tgz: refused without a .prov by default, extracted with --verify=false", () => {
    const pair = freshSides();
    const archive = join(www, "good-0.2.0.tgz");
    const refused = same(pair, ["plugin", "install", archive]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe("Error: plugin verification failed: no provenance file (.prov) found\n");
    expect(existsSync(join(pair[1].plugins, "good"))).toBe(false);
    const ok = same(pair, ["plugin", "install", archive, "--verify=false"]);
    expect(ok.stdout).toBe(
      "WARNING: Skipping plugin signature verification\nhook good in good\nInstalled plugin: good\n",
    );
    expect(same(pair, ["good", "x", "y"]).stdout).toBe("good x y\n");
    expect(same(pair, ["plugin", "list"]).stdout).toContain(
      "good\t0.2.0  \tcli/v1\tlegacy    \tunsigned  \tunknown",
    );
    expect(readdirSync(pair[1].plugins).sort()).toEqual(readdirSync(pair[0].plugins).sort());
    same(pair, ["plugin", "install", archive, "--verify=false"]);
  });

  test("a plugin carrying a large binary installs (charts' 5 MiB file cap does not apply)", () => {
    const pair = freshSides();
    const dir = writePlugin(join(work, "big-src", "big"), "name: big\nversion: 1.0.0\ncommand: echo\n");
    writeFileSync(join(dir, "tool.bin"), new Uint8Array(8 * 1024 * 1024));
    const archive = join(work, "big-1.0.0.tgz");
    execFileSync("tar", ["-C", join(work, "big-src"), "-czf", archive, "big"]);
    expect(same(pair, ["plugin", "install", archive, "--verify=false"]).status).toBe(0);
    expect(statSync(join(pair[1].plugins, "big", "tool.bin")).size).toBe(8 * 1024 * 1024);
  });

  test("over HTTP: the archive URL, then the same with its signature", () => {
    const pair = freshSides();
    const url = `${ng.url("plain")}/good-0.2.0.tgz`;
    expect(same(pair, ["plugin", "install", url]).status).toBe(1);
    same(pair, ["plugin", "install", url, "--verify=false"]);
    expect(same(pair, ["good"]).stdout).toBe("good \n");
    same(pair, ["plugin", "install", `${ng.url("plain")}/missing-0.1.0.tgz`, "--verify=false"]);
  });

  test("plugin package --sign: real Helm verifies and installs our signed archive", () => {
    const pair = freshSides();
    const dest = join(work, "signed-ours");
    const r = run(pair[1], [
      "plugin",
      "package",
      join(src, "good"),
      "-d",
      dest,
      "--key",
      "Plugin Signer",
      "--keyring",
      secring,
    ]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `Successfully signed. Signature written to: ${dest}/good-0.2.0.tgz.prov\nSuccessfully packaged plugin and saved it to: ${dest}/good-0.2.0.tgz\n`,
    );
    const archive = join(dest, "good-0.2.0.tgz");
    const verified = same(pair, ["plugin", "verify", archive, "--keyring", pubring]);
    expect(verified.stdout).toMatch(
      /^Signed by: Plugin Signer <plugins@example.com>\nUsing Key With Fingerprint: [0-9A-F]{40}\nPlugin Hash Verified: sha256:[0-9a-f]{64}\n$/,
    );
    const installed = same(pair, ["plugin", "install", archive, "--keyring", pubring]);
    expect(installed.stdout).toContain("Verifying plugin signature...\nSigned by: Plugin Signer");
    expect(same(pair, ["good", "signed"]).stdout).toBe("good signed\n");
  });

  test("an archive signed by real Helm verifies with ours; a tampered one fails on both", () => {
    const pair = freshSides();
    const dest = join(work, "signed-helm");
    expect(
      run(pair[0], [
        "plugin",
        "package",
        join(src, "good"),
        "-d",
        dest,
        "--key",
        "Plugin Signer",
        "--keyring",
        secring,
      ]).status,
    ).toBe(0);
    const archive = join(dest, "good-0.2.0.tgz");
    expect(same(pair, ["plugin", "verify", archive, "--keyring", pubring]).status).toBe(0);
    writeFileSync(archive, makeTgz([{ name: "good/plugin.yaml", data: goodYaml }]));
    const tampered = run(pair[1], ["plugin", "verify", archive, "--keyring", pubring]);
    expect(tampered.status).toBe(1);
    expect(run(pair[0], ["plugin", "verify", archive, "--keyring", pubring]).status).toBe(1);
    expect(tampered.stderr).toMatch(/^Error: sha256 sum does not match for good-0.2.0.tgz/);
  });

  test("package and verify errors", () => {
    const pair = freshSides();
    const dest = join(work, "unsigned");
    same(pair, ["plugin", "package", join(src, "good"), "-d", dest, "--sign=false"]);
    for (const args of [
      ["plugin", "package", join(src, "good"), "-d", dest],
      ["plugin", "package", join(work, "nope")],
      ["plugin", "package", join(www, "good-0.2.0.tgz")],
      ["plugin", "package"],
      ["plugin", "verify", join(dest, "good-0.2.0.tgz")],
      ["plugin", "verify", join(src, "good")],
      ["plugin", "verify", join(work, "nope.tgz")],
    ])
      expect(same(pair, args).status).toBe(1);
  });
});

/** An archive `NAME-0.1.0.tgz` in `www` with a valid plugin.yaml plus `extra` entries. */
function hostile(
  name: string,
  extra: Parameters<typeof makeTgz>[0],
  yaml = `name: ${name}\nversion: 0.1.0\ncommand: echo\n`,
) {
  const path = join(www, `${name}-0.1.0.tgz`);
  writeFileSync(path, makeTgz([{ name: `${name}/plugin.yaml`, data: yaml }, ...extra]));
  return path;
}

describe("hostile input: Helm's error and status, nothing installed", () => {
  const cases: [string, () => string, string][] = [
    [
      "../ in a path",
      () => hostile("dots", [{ name: "dots/../../escaped.txt", data: "x" }]),
      "path contains '..', which is illegal",
    ],
    [
      "an absolute path",
      () => hostile("abs", [{ name: `${work}/abs-escaped.txt`, data: "x" }]),
      "path is absolute, which is illegal",
    ],
    [
      "a symlink out",
      () => hostile("link", [{ name: "link/out", type: "2", linkname: "/etc/passwd" }]),
      "unknown type: 110010 in link/out",
    ],
    [
      "a hard link",
      () => hostile("hard", [{ name: "hard/h", type: "1", linkname: "hard/plugin.yaml" }]),
      "unknown type: 110001 in hard/h",
    ],
    [
      "a ':' in a path",
      () => hostile("colon", [{ name: "colon/a:b", data: "x" }]),
      "path contains ':', which is illegal",
    ],
    [
      "an invalid name",
      () => hostile("badname", [], 'name: "x y"\nversion: 0.1.0\ncommand: echo\n'),
      'invalid plugin name "x y"',
    ],
    [
      "a version with ../",
      () => hostile("badver", [], 'name: badver\nversion: "../../x"\ncommand: echo\n'),
      'invalid plugin version "../../x": must be valid semver',
    ],
    [
      "not gzip",
      () => {
        writeFileSync(join(www, "junk-0.1.0.tgz"), "not gzip");
        return join(www, "junk-0.1.0.tgz");
      },
      "failed to extract plugin metadata from tarball: unexpected EOF",
    ],
  ];
  for (const [what, make, message] of cases) {
    test(what, () => {
      const pair = freshSides();
      const archive = make();
      const want = run(pair[0], ["plugin", "install", archive, "--verify=false"]);
      const got = run(pair[1], ["plugin", "install", archive, "--verify=false"]);
      expect(got.status).toBe(1);
      expect(want.status).toBe(1);
      expect(got.stdout).toBe(want.stdout);
      expect(got.stderr).toBe(
        want.stderr
          .split("\n")
          .filter((l) => l.startsWith("Error:"))
          .join("\n") + "\n",
      );
      expect(got.stderr).toContain(message);
      const left = existsSync(pair[1].plugins) ? readdirSync(pair[1].plugins) : [];
      expect(left).toEqual([]);
      expect(existsSync(join(work, "escaped.txt"))).toBe(false);
      expect(existsSync(join(work, "abs-escaped.txt"))).toBe(false);
    });
  }

  test("plugin directories: invalid plugin.yaml, bad name, duplicate keys, and a name that clashes with a command", () => {
    const pair = freshSides();
    const dirs = {
      badname: "name: bad/name\nversion: 0.1.0\ncommand: echo\n",
      dupkeys: "name: dupkeys\ncommand: echo one\ncommand: echo two\n",
      badapi: "apiVersion: v2\nname: badapi\n",
      unknownfield: "apiVersion: v1\nname: unknownfield\ntype: cli/v1\nruntime: subprocess\nbogus: 1\n",
    };
    const errorLines = (text: string) => text.split("\n").filter((l) => l.startsWith("Error:"));
    for (const [name, yaml] of Object.entries(dirs)) {
      const dir = writePlugin(join(src, name), yaml);
      const got = run(pair[1], ["plugin", "install", dir]);
      const want = run(pair[0], ["plugin", "install", dir]);
      expect({ name, status: got.status }).toEqual({ name, status: want.status });
      expect(got.status).toBe(1);
      expect(got.stderr).toStartWith(
        `Error: plugin is installed but unusable: failed to load plugin "HOME/data/plugins/${name}": `,
      );
      // YAML parser messages are worded differently; Helm's validation messages are the same.
      if (name === "badname" || name === "badapi")
        expect(errorLines(got.stderr)).toEqual(errorLines(want.stderr));
      expect(existsSync(join(pair[1].plugins, name))).toBe(false);
    }
  });

  test("a failing install hook: Helm's error, and (beyond Helm) the plugin is removed again", () => {
    const pair = freshSides();
    const dir = writePlugin(
      join(src, "hookfail"),
      'name: hookfail\ncommand: echo\nhooks:\n  install: "echo trying; exit 5"\n',
    );
    const got = same(pair, ["plugin", "install", dir]);
    expect(got.stderr).toBe('Error: plugin install hook for "hookfail" exited with error\n');
    expect(existsSync(join(pair[1].plugins, "hookfail"))).toBe(false);
    expect(existsSync(join(pair[0].plugins, "hookfail"))).toBe(true);
  });

  test("an unreachable repository gets Helm's error; OCI sources are refused with a clear one", () => {
    const pair = freshSides();
    const missing = same(pair, ["plugin", "install", `file://${work}/no-such-repo`, "--verify=false"]);
    expect(missing.stderr).toContain(
      "(if it's a local directory, does it exist?), last error was: Cannot detect VCS",
    );
    const r = run(pair[1], ["plugin", "install", "oci://r.example/p:1.0.0"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'Error: cannot install plugin from "oci://r.example/p:1.0.0": OCI plugin sources are not supported by helm-ts\n',
    );
  });

  test("a plugin whose name clashes with a command is not loaded (and stops the loading, as in Helm)", () => {
    const pair = freshSides();
    const clash = writePlugin(
      join(src, "clash"),
      "name: install\nversion: 0.1.0\nusage: clash\ncommand: echo clash\n",
    );
    const later = writePlugin(join(src, "later"), "name: later\ncommand: echo later\n");
    same(pair, ["plugin", "install", clash]);
    same(pair, ["plugin", "install", later]);
    const list = same(pair, ["plugin", "list"]);
    expect(list.stderr).toBe('level=ERROR msg="failed to load plugins: name conflicts" name=install\n');
    expect(same(pair, ["later"]).stderr).toContain('Error: unknown command "later" for "helm"');
  });
});
