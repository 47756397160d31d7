/**
 * Test helpers for charts and values: a typed dump of Go values (type and JSON of every leaf, so
 * int64 and float64 stay apart), the same dump produced by real Helm from a template, and temp dirs.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toJson } from "../../src/chart/engine/funcs/serialize.ts";
import { type GoValue, isGoMap, sortedKeys } from "../../src/chart/engine/value.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

/** Go type name as Helm's `typeOf` prints it for values (int64 from --set, float64 from files). */
function leafType(v: GoValue): string {
  if (v === null) return "<nil>";
  switch (typeof v) {
    case "bigint":
      return "int64";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "string":
      return "string";
  }
  return "?";
}

/** Typed dump: maps `{"k":…,}`, lists `[…,]`, leaves `type:json`. */
export function typedDump(v: GoValue): string {
  if (Array.isArray(v)) return `[${v.map((x) => `${typedDump(x)},`).join("")}]`;
  if (isGoMap(v))
    return `{${sortedKeys(v)
      .map((k) => `${toJson(k)}:${typedDump(v[k]!)},`)
      .join("")}}`;
  return `${leafType(v)}:${toJson(v)}`;
}

/** A Go template that prints the same dump of `.Values`, base64-encoded on one line. */
export const DUMP_TEMPLATE = `{{- define "zzdump" -}}
{{- $t := typeOf . -}}
{{- if eq $t "map[string]interface {}" -}}
{ {{- range $k, $x := . }}{{ toJson $k }}:{{ include "zzdump" $x }},{{ end -}} }
{{- else if eq $t "[]interface {}" -}}
[ {{- range $x := . }}{{ include "zzdump" $x }},{{ end -}} ]
{{- else -}}
{{ $t }}:{{ toJson . }}
{{- end -}}
{{- end -}}
dump: {{ printf "{%s}" (include "zzdumpvalues" .) | b64enc }}
{{- define "zzdumpvalues" -}}
{{- range $k, $x := .Values }}{{ toJson $k }}:{{ include "zzdump" $x }},{{ end -}}
{{- end -}}
`;

let helmHome: string | undefined;

/** Environment for running real Helm in isolation. */
export function helmEnv(): Record<string, string> {
  helmHome ??= mkdtempSync(join(tmpdir(), "helmts-chart-test-"));
  return isolatedHelmEnv(helmHome);
}

/** A new temp directory. */
export function tempDir(prefix = "helmts-chart-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Run real Helm; stdout, stderr and status. */
export function runHelm(args: string[], input?: string): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(oraclePaths().helm, args, {
    env: helmEnv(),
    encoding: "utf8",
    input,
    maxBuffer: 1 << 28,
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

/** Result of asking real Helm for values: the typed dump per chart path, or Helm's error line. */
export type HelmValues = { ok: Map<string, string> } | { err: string };

/**
 * Copy `chartDir` (or use a fresh empty chart) into a temp dir, add the dump template to the chart
 * and to every subchart directory listed in `subchartPaths` (e.g. `charts/db`), render with real
 * Helm and return each chart's dump keyed by its path ("" for the top chart).
 */
export function helmValues(args: string[], chartDir?: string, subchartPaths: string[] = []): HelmValues {
  const dir = tempDir();
  const chart = join(dir, "chart");
  if (chartDir) cpSync(chartDir, chart, { recursive: true });
  else {
    mkdirSync(join(chart, "templates"), { recursive: true });
    writeFileSync(join(chart, "Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
  }
  for (const p of ["", ...subchartPaths]) {
    const t = join(chart, p, "templates");
    mkdirSync(t, { recursive: true });
    writeFileSync(join(t, "zz-values-dump.yaml"), DUMP_TEMPLATE);
  }
  const shows = ["", ...subchartPaths].flatMap((p) => [
    "--show-only",
    join(p, "templates", "zz-values-dump.yaml"),
  ]);
  const r = runHelm(["template", "r", chart, ...shows, ...args]);
  if (r.status !== 0) {
    const line = r.stderr.split("\n").find((l) => l.startsWith("Error: ")) ?? r.stderr;
    return { err: line.replace(/^Error: /, "") };
  }
  const out = new Map<string, string>();
  const docs = r.stdout.split(/^---$/m);
  for (const doc of docs) {
    const src = /^# Source: (.*)$/m.exec(doc)?.[1];
    const dump = /^dump: (.*)$/m.exec(doc)?.[1];
    if (!src || !dump) continue;
    const path = src.replace(/^[^/]+\//, "").replace(/\/?templates\/zz-values-dump\.yaml$/, "");
    out.set(path, Buffer.from(dump, "base64").toString("utf8"));
  }
  return { ok: out };
}
