/**
 * Differential: `helm template --post-renderer PLUGIN` against real Helm v4.1.4 — the stream the
 * plugin receives, the output split back into files, and the errors — with postrenderer/v1
 * plugins written here as shell scripts.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helmTs, ROOT, runExe } from "../../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";
import { compareWithRandomSlots } from "../../support/random-slots.ts";

const work = mkdtempSync(join(tmpdir(), "helmts-postrender-"));
const plugins = join(work, "plugins");
const env = isolatedHelmEnv(join(work, "home"), { HELM_PLUGINS: plugins });
const helm = oraclePaths().helm;

/** A postrenderer/v1 plugin whose command is `script` (run by sh, with the plugin's arguments). */
function plugin(name: string, script: string): void {
  const dir = join(plugins, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "plugin.yaml"),
    `apiVersion: v1
type: postrenderer/v1
name: ${name}
version: 0.1.0
runtime: subprocess
runtimeConfig:
  platformCommand:
    - os: windows
      command: no-such-command
    - command: \${HELM_PLUGIN_DIR}/run.sh
      args: ["--from-yaml"]
`,
  );
  writeFileSync(join(dir, "run.sh"), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, "run.sh"), 0o755);
}

plugin("pass", "cat");
// Records its input, arguments and environment, renames things, and adds a document of its own.
plugin(
  "rewrite",
  `tee "$OUT/input.yaml" | sed 's/demo/changed/'
printf -- '---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: added\\n'
echo "$* | $HELM_PLUGIN_NAME | $(basename "$HELM_PLUGIN_DIR")" > "$OUT/args.txt"`,
);
plugin("fails", "cat >/dev/null; echo broken >&2; exit 3");
plugin("silent", "cat >/dev/null");
plugin("garbage", "cat >/dev/null; printf 'a: [\\n'");

// A chart with the shapes the round trip must keep: multi-document files, comment-only and flow
// documents, hooks and tests, empty and trailing-space block scalars, null annotations.
const chart = join(work, "demo");
mkdirSync(join(chart, "templates", "tests"), { recursive: true });
writeFileSync(join(chart, "Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
writeFileSync(
  join(chart, "templates", "multi.yaml"),
  `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo-a
  annotations:
    x: "1"
data:
  k: "v"   # a comment
  empty: |-
  spaced: |
    line with a trailing space 
  quoted: 'single'
  list:
    - a
    - b

  long: "${"y".repeat(120)} z"
---
# only a comment
---
apiVersion: v1
kind: Secret
metadata: {name: demo-b}
stringData: {mode: 0755}
`,
);
writeFileSync(
  join(chart, "templates", "hook.yaml"),
  `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo-hook
  annotations:
    "helm.sh/hook": pre-install
data:
  script: |
    echo last`,
);
writeFileSync(
  join(chart, "templates", "tests", "t.yaml"),
  `apiVersion: v1
kind: Pod
metadata:
  name: demo-test
  annotations:
  labels: {a: b}
spec:
  containers: [{name: c, image: busybox}]
`,
);
writeFileSync(join(chart, "templates", "NOTES.txt"), "notes are not post-rendered\n");

function both(args: string[], out: string) {
  mkdirSync(join(out, "helm"), { recursive: true });
  mkdirSync(join(out, "ours"), { recursive: true });
  const theirs = runExe(helm, args, { ...env, OUT: join(out, "helm") });
  const ours = helmTs(args, { ...env, OUT: join(out, "ours") });
  return { theirs, ours };
}

describe("helm template --post-renderer", () => {
  test("the plugin gets Helm's stream, arguments and environment; its output is split back", () => {
    const out = join(work, "rewrite");
    const args = ["template", "r", chart, "--post-renderer", "rewrite", "--post-renderer-args", "a b"];
    const { theirs, ours } = both(args, out);
    expect(theirs.status).toBe(0);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(0);
    expect(readFileSync(join(out, "ours", "input.yaml"), "utf8")).toBe(
      readFileSync(join(out, "helm", "input.yaml"), "utf8"),
    );
    expect(readFileSync(join(out, "ours", "args.txt"), "utf8")).toBe("--from-yaml a b | rewrite | rewrite\n");
    expect(ours.stdout).toContain("# Source: generated-by-postrender-");
    expect(ours.stdout).toContain("name: changed-a");
  });

  for (const name of ["cert-manager", "ingress-nginx", "jenkins", "vault", "redis"]) {
    test(`${name}: a pass-through post-renderer gives Helm's bytes`, () => {
      const args = ["template", "r", join(ROOT, "..", "shared", "charts", name), "--post-renderer", "pass"];
      const a = runExe(helm, args, env);
      const b = runExe(helm, args, env);
      const ours = helmTs(args, env);
      expect(ours.status).toBe(a.status);
      expect(compareWithRandomSlots(ours.stdout, a.stdout, b.stdout)).toEqual([]);
    }, 60_000);
  }

  for (const [name, why] of [
    ["missing", "a plugin that is not installed"],
    ["fails", "a plugin that exits non-zero"],
    ["silent", "a plugin with no output"],
    ["garbage", "a plugin writing invalid YAML"],
  ] as const) {
    test(`${why}: Helm's error, exit 1, nothing on stdout`, () => {
      const { theirs, ours } = both(["template", "r", chart, "--post-renderer", name], join(work, name));
      expect(ours.status).toBe(1);
      expect(ours.stdout).toBe("");
      // The plugin's own stderr is shown to the user (Helm hides it); the error line is Helm's.
      const essential = (s: string) =>
        (s.split("\n").find((l) => l.startsWith("Error: ")) ?? "").replace(
          /MalformedYAMLError: .*/,
          "MalformedYAMLError:",
        );
      expect(essential(ours.stderr)).toBe(essential(theirs.stderr));
      if (name !== "missing")
        expect(ours.stderr).toEndWith("\n\nUse --debug flag to render out invalid YAML\n");
      if (name === "fails") expect(ours.stderr).toStartWith("broken\n");
    });
  }
});
