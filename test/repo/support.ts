/** Shared helpers for the repository tests: isolated homes, our binary and real Helm side by side, chart archives. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTgz, type TarEntrySpec } from "../chart/tar.ts";
import { helmTs, type RunResult, runExe } from "../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

/** A fresh home with Helm's config/cache/data dirs pointed inside it. */
export function newHome(prefix = "helmts-repo-"): { home: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, env: isolatedHelmEnv(home) };
}

/** Our compiled binary (HELM_TS_BIN overrides build/helm, for runs against another build). */
export function ours(args: string[], env: Record<string, string>, input?: string): RunResult {
  const bin = process.env.HELM_TS_BIN;
  return bin ? runExe(bin, args, env, input) : helmTs(args, env, input);
}

/** Real Helm v4.1.4. */
export function helm(args: string[], env: Record<string, string>, input?: string): RunResult {
  return runExe(oraclePaths().helm, args, env, input);
}

export interface ChartSpec {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  keywords?: string[];
  /** Extra Chart.yaml lines. */
  extra?: string;
}

/** A minimal valid chart archive. */
export function chartArchive(spec: ChartSpec, extraEntries: TarEntrySpec[] = []): Uint8Array {
  const lines = [
    "apiVersion: v2",
    `name: ${spec.name}`,
    `version: ${JSON.stringify(spec.version)}`,
    `description: ${JSON.stringify(spec.description ?? `the ${spec.name} chart`)}`,
  ];
  if (spec.appVersion !== undefined) lines.push(`appVersion: ${JSON.stringify(spec.appVersion)}`);
  if (spec.keywords) lines.push(`keywords: [${spec.keywords.map((k) => JSON.stringify(k)).join(", ")}]`);
  if (spec.extra) lines.push(spec.extra);
  return makeTgz([
    { name: `${spec.name}/Chart.yaml`, data: `${lines.join("\n")}\n` },
    { name: `${spec.name}/values.yaml`, data: "replicas: 1\n" },
    {
      name: `${spec.name}/templates/cm.yaml`,
      data: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
    },
    ...extraEntries,
  ]);
}

/** Write chart archives into `dir` (created) and index them with real Helm's `helm repo index`. */
export function makeRepo(dir: string, charts: ChartSpec[], env: Record<string, string>, url?: string): void {
  mkdirSync(dir, { recursive: true });
  for (const c of charts) writeFileSync(join(dir, `${c.name}-${c.version}.tgz`), chartArchive(c));
  const r = helm(["repo", "index", dir, ...(url ? ["--url", url] : [])], env);
  if (r.status !== 0) throw new Error(`helm repo index failed: ${r.stderr}`);
}

/** stderr without Helm's per-entry warnings (their order follows Go's map iteration). */
export function sortedLines(text: string): string[] {
  return text.split("\n").filter(Boolean).sort();
}
