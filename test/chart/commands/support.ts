/** Shared helpers for the chart command tests: both binaries in one isolated environment. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { HELM_TS } from "../../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";

export const SHARED = "/work/shared/charts";

export interface Run {
  stdout: string;
  stderr: string;
  status: number;
}

/** A temp directory for one test. */
export function temp(prefix = "helmts-chartcmd-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const home = temp("helmts-chartcmd-home-");

/** The environment both binaries run in (isolated Helm homes). */
export function env(): Record<string, string> {
  return isolatedHelmEnv(home);
}

/** The data home both binaries share (starters live under it). */
export const DATA_HOME = join(home, "data");

function run(exe: string, args: string[], cwd?: string): Run {
  const r = spawnSync(exe, args, { env: env(), cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

/** Run real Helm v4.1.4. */
export function helm(args: string[], cwd?: string): Run {
  return run(oraclePaths().helm, args, cwd);
}

/** Run our build/helm. */
export function ours(args: string[], cwd?: string): Run {
  return run(HELM_TS, args, cwd);
}

/** Write files (name → text) under `dir`, every one dated `mtime` (Unix seconds). */
export function writeChart(dir: string, files: Record<string, string>, mtime = 1_600_000_000.25): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    utimesSync(path, mtime, mtime);
  }
}

/** A chart with what packaging must get right: a subchart archive and directory, .helmignore,
 * a symlink, an executable file, long and non-ASCII names, a lock and a schema. */
export function trickyChart(root: string): string {
  const sub = join(root, "src-sub");
  writeChart(sub, {
    "Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "values.yaml": "b: 2\n",
    "templates/cm.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: sub-{{ .Release.Name }}\n",
  });
  const dir = join(root, "tricky");
  writeChart(
    dir,
    {
      "Chart.yaml": `apiVersion: v2\nname: tricky\nversion: 1.2.3\ndescription: "d"\nappVersion: 2.0\nkeywords: [b, a]\nmaintainers:\n- name: n\n  email: e@x\nannotations:\n  z: "1"\n  a: b\ndependencies:\n- name: sub\n  version: "~0.1"\n  repository: file://../src-sub\n- name: local\n  version: 1.0.0\n  repository: file://x\n  alias: loc\n`,
      "Chart.lock": `dependencies:\n- name: sub\n  repository: file://../src-sub\n  version: 0.1.0\ndigest: sha256:abc\ngenerated: "2023-05-06T07:08:09.723456789+02:00"\n`,
      "values.yaml": "a: 1\nlist: [1, 2]\n",
      "values.schema.json": '{"type":"object"}\n',
      ".helmignore": "*.bak\nignored/\n",
      "templates/cm.yaml":
        "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: {{ .Values.a | quote }}\n",
      "files/run.sh": "#!/bin/sh\necho hi\n",
      "files/ünï.txt": "x\n",
      [`files/${"d".repeat(60)}/${"f".repeat(60)}.txt`]: "y\n",
      [`files/${"g".repeat(120)}.txt`]: "z\n",
      "files/skip.bak": "no\n",
      "ignored/a.txt": "no\n",
      "charts/local/Chart.yaml": "apiVersion: v2\nname: local\nversion: 1.0.0\n",
      "charts/local/values.yaml": "c: 3\n",
    },
    1_600_000_000.75,
  );
  chmodSync(join(dir, "files/run.sh"), 0o755);
  symlinkSync("../values.yaml", join(dir, "files/link.yaml"));
  const r = helm(["package", sub, "-d", join(dir, "charts")]);
  if (r.status !== 0) throw new Error(r.stderr);
  utimesSync(join(dir, "charts", "sub-0.1.0.tgz"), 1_500_000_000, 1_500_000_000);
  return dir;
}

/** The tar stream inside a .tgz. */
export function tarOf(tgz: Uint8Array): Buffer {
  return gunzipSync(tgz);
}

/** The gzip header bytes up to the compressed data (fixed fields, extra field, comment). */
export function gzipHeader(tgz: Uint8Array): Buffer {
  const xlen = tgz[10]! | (tgz[11]! << 8);
  let end = 12 + xlen;
  while (tgz[end] !== 0) end++;
  return Buffer.from(tgz.subarray(0, end + 1));
}

/**
 * The entries of a tar stream (each its header, PAX header included, and data blocks), grouped
 * by top-level subchart: Helm writes subcharts in Go's random map order, so tests compare the
 * chart's own entries in order and each subchart's entries in order, whatever the subchart order.
 */
export function tarGroups(tar: Buffer): Map<string, Buffer[]> {
  const groups = new Map<string, Buffer[]>();
  let pos = 0;
  let start = 0;
  while (pos + 512 <= tar.length) {
    const h = tar.subarray(pos, pos + 512);
    if (h.every((b) => b === 0)) break;
    const size = Number.parseInt(h.subarray(124, 135).toString("latin1"), 8);
    const type = String.fromCharCode(h[156]!);
    const name = h.subarray(0, 100).toString("latin1").replace(/\0.*$/s, "");
    const prefix = h.subarray(345, 500).toString("latin1").replace(/\0.*$/s, "");
    pos += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") continue;
    const full = prefix === "" ? name : `${prefix}/${name}`;
    const m = /^[^/]+\/charts\/([^/]+)\//.exec(full);
    const key = m ? m[1]! : "";
    groups.set(key, [...(groups.get(key) ?? []), tar.subarray(start, pos)]);
    start = pos;
  }
  groups.set("<end>", [tar.subarray(pos)]);
  return groups;
}
