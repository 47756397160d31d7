/**
 * Plugin tests run every command with real Helm v4.1.4 and with build/helm, each in its own home,
 * on the same plugin sources; outputs are compared with the homes and binaries' paths replaced.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HELM_TS, type RunResult, runExe } from "../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

export interface Side {
  name: "helm" | "ours";
  bin: string;
  home: string;
  env: Record<string, string>;
  /** `$HELM_DATA_HOME/plugins`, where plugins are installed. */
  plugins: string;
}

/** A fresh home for real Helm and one for ours, under `work`. */
export function sides(work: string, extraEnv: Record<string, string> = {}): Side[] {
  return (["helm", "ours"] as const).map((name) => {
    const home = join(work, name);
    mkdirSync(home, { recursive: true });
    const env = isolatedHelmEnv(home, extraEnv);
    return {
      name,
      bin: name === "helm" ? oraclePaths().helm : HELM_TS,
      home,
      env,
      plugins: join(env.HELM_DATA_HOME!, "plugins"),
    };
  });
}

/** Run one side, with its home and binary paths replaced by `HOME` and `HELM_BIN` in the output. */
export function run(side: Side, args: string[], input?: string): RunResult {
  const r = runExe(side.bin, args, side.env, input);
  const norm = (s: string) => s.replaceAll(side.bin, "HELM_BIN").replaceAll(side.home, "HOME");
  return { stdout: norm(r.stdout), stderr: norm(r.stderr), status: r.status };
}

/** A temp directory for a test file. */
export function workDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write a plugin source directory: `plugin.yaml` and executable files. */
export function writePlugin(dir: string, pluginYaml: string, files: Record<string, string> = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "plugin.yaml"), pluginYaml);
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/**
 * A script that records its arguments and Helm's variables (one per line, sorted) in
 * `$HELM_DATA_HOME/NAME.log`, then exits with `status`.
 */
export function recorder(name: string, status = 0): string {
  return `#!/bin/sh
{ echo "ARGS:$*"; env | grep -E '^HELM_' | sort; } > "$HELM_DATA_HOME/${name}.log"
echo "ran ${name}"
exit ${status}
`;
}
