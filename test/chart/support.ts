/**
 * Test helpers for charts and values: a typed dump of Go values (type and JSON of every leaf, so
 * int64 and float64 stay apart), the same dump produced by real Helm from a template, and temp dirs.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLibraryChart } from "../../src/chart/chart.ts";
import { toJson } from "../../src/chart/engine/funcs/serialize.ts";
import { type GoMap, type GoValue, isGoMap, sortedKeys } from "../../src/chart/engine/value.ts";
import { loadChart, loadFiles } from "../../src/chart/loader.ts";
import { formatSlog } from "../../src/chart/values/coalesce.ts";
import { chartScopes, computeValues } from "../../src/chart/values/compute.ts";
import { loadSchemaCompiler } from "../../src/chart/values/schema.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

// Helpers below validate values synchronously: ajv's compiler is loaded up front.
await loadSchemaCompiler();

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
export type HelmValues = { ok: Map<string, string>; log: string[] } | { err: string };

/** Every chart directory inside `dir` (itself included), as paths relative to it ("" for the top). */
function chartDirs(dir: string, rel = ""): string[] {
  const out = [rel];
  const charts = join(dir, rel, "charts");
  if (!existsSync(charts)) return out;
  for (const e of readdirSync(charts, { withFileTypes: true })) {
    if (e.isDirectory() && existsSync(join(charts, e.name, "Chart.yaml"))) {
      out.push(...chartDirs(dir, rel === "" ? `charts/${e.name}` : `${rel}/charts/${e.name}`));
    }
  }
  return out;
}

/**
 * Render `chartDir` (or a fresh empty chart) with real Helm after replacing every chart's templates
 * by a values dump, and return each rendered chart's dump keyed by its path (`""` for the top
 * chart, `charts/db` for a subchart, aliases as Helm names them), plus Helm's log lines.
 */
export function helmValues(args: string[], chartDir?: string): HelmValues {
  const dir = tempDir();
  const chart = join(dir, "chart");
  if (chartDir) cpSync(chartDir, chart, { recursive: true });
  else {
    mkdirSync(join(chart, "templates"), { recursive: true });
    writeFileSync(join(chart, "Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
  }
  for (const p of chartDirs(chart)) {
    const t = join(chart, p, "templates");
    rmSync(t, { recursive: true, force: true });
    mkdirSync(t, { recursive: true });
    writeFileSync(join(t, "zz-values-dump.yaml"), DUMP_TEMPLATE);
  }
  const r = runHelm(["template", "r", chart, ...args]);
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) {
    const line = r.stderr.split("\n").find((l) => l.startsWith("Error: ")) ?? r.stderr;
    return { err: line.replace(/^Error: /, "") };
  }
  const out = new Map<string, string>();
  for (const doc of r.stdout.split(/^---$/m)) {
    const src = /^# Source: (.*)$/m.exec(doc)?.[1];
    const dump = /^dump: (.*)$/m.exec(doc)?.[1];
    if (!src || !dump) continue;
    const path = src.replace(/^[^/]+\/?/, "").replace(/\/?templates\/zz-values-dump\.yaml$/, "");
    out.set(path, Buffer.from(dump, "base64").toString("utf8"));
  }
  return { ok: out, log: r.stderr.split("\n").filter((l) => l.startsWith("level=")) };
}

/** Our side of {@link helmValues}: the same dumps from our loader and values pipeline. */
export function ourValues(chartDir: string | undefined, user: GoMap, skipSchema = false): HelmValues {
  const log: string[] = [];
  try {
    const chart = chartDir
      ? loadChart(chartDir)
      : loadFiles([
          {
            name: "Chart.yaml",
            data: new TextEncoder().encode("apiVersion: v2\nname: probe\nversion: 0.1.0\n"),
          },
        ]);
    const { chart: processed, values } = computeValues(chart, user, {
      log: (level, msg, attrs) => log.push(formatSlog(level, msg, attrs)),
      skipSchemaValidation: skipSchema,
    });
    const out = new Map<string, string>();
    for (const scope of chartScopes(processed, values)) {
      if (isLibraryChart(scope.chart)) continue;
      out.set(scope.path, typedDump(scope.values));
    }
    return { ok: out, log };
  } catch (err) {
    return { err: (err as Error).message };
  }
}
