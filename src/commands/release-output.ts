/**
 * How release commands print a release: Helm 4's status block (NAME, LAST DEPLOYED, NAMESPACE,
 * STATUS, REVISION, DESCRIPTION, test suite, hooks and manifest on dry runs, NOTES), or the
 * release as JSON / YAML with `-o`.
 */
import { toYaml as goYaml } from "../chart/engine/funcs/serialize.ts";
import { colorNamespace, colorStatus } from "../cli/color.ts";
import { UserError } from "../cli/errors.ts";
import { jsonToGo } from "../tiller/release/chart-record.ts";
import { goAnsic } from "../tiller/release/go-time.ts";
import type { JsonValue, Release } from "../tiller/release/release.ts";

export type OutputFormat = "table" | "json" | "yaml";

/** Parse `-o/--output`. */
export function outputFormat(value: string | undefined): OutputFormat {
  const v = value ?? "table";
  if (v === "table" || v === "json" || v === "yaml") return v;
  throw new UserError(`invalid argument "${v}" for "-o, --output" flag: invalid format type`);
}

/** A structure as JSON or YAML the way Helm prints it (sigs.k8s.io/yaml: keys sorted, Go's quoting). */
export function formatStructured(value: unknown, format: "json" | "yaml"): string {
  if (format === "json") return `${JSON.stringify(value)}\n`;
  return `${goYaml(jsonToGo(JSON.parse(JSON.stringify(value ?? null)) as JsonValue))}\n`;
}

export interface StatusPrintOptions {
  /** Print the hooks and manifest (dry runs). */
  showManifest?: boolean;
  /** Omit NOTES (`--hide-notes`). */
  hideNotes?: boolean;
  /** Extra section printed after REVISION/DESCRIPTION (e.g. RESOURCES). */
  resources?: string;
}

/** Helm 4's status block for a release. */
export function statusText(rls: Release, opts: StatusPrintOptions = {}): string {
  const lines: string[] = [`NAME: ${rls.name}`];
  const deployed = rls.info.last_deployed;
  if (deployed && !deployed.startsWith("0001-01-01")) lines.push(`LAST DEPLOYED: ${goAnsic(deployed)}`);
  lines.push(
    `NAMESPACE: ${colorNamespace(rls.namespace)}`,
    `STATUS: ${colorStatus(rls.info.status)}`,
    `REVISION: ${rls.version}`,
  );
  lines.push(`DESCRIPTION: ${rls.info.description ?? ""}`);
  let out = `${lines.join("\n")}\n`;
  if (opts.resources) out += opts.resources;
  const tests = (rls.hooks ?? []).filter((h) => h.events.includes("test"));
  if (tests.length === 0) out += "TEST SUITE: None\n";
  for (const h of tests) {
    if (!h.last_run?.started_at) continue; // never run
    out += `TEST SUITE:     ${h.name}\nLast Started:   ${goAnsic(h.last_run.started_at)}\nLast Completed: ${goAnsic(h.last_run.completed_at)}\nPhase:          ${h.last_run.phase}\n`;
  }
  if (opts.showManifest) {
    out += "HOOKS:\n";
    for (const h of rls.hooks ?? []) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    out += `MANIFEST:\n${rls.manifest}\n`;
  }
  const notes = (rls.info.notes ?? "").trim();
  if (notes !== "" && !opts.hideNotes) out += `NOTES:\n${notes}\n`;
  return out;
}

/** The release as Helm's `-o json|yaml` shows it: empty values omitted; `status` also omits the chart. */
function structured(rls: Release, forStatus: boolean): Record<string, unknown> {
  const { chart, config, labels: _labels, ...rest } = rls;
  const out: Record<string, unknown> = { name: rest.name, info: rest.info };
  if (!forStatus) out.chart = chart;
  if (config && Object.keys(config).length > 0) out.config = config;
  return { ...out, ...rest };
}

/** Print a release in the chosen format (`forStatus`: as `helm status` does). */
export function printRelease(
  rls: Release,
  format: OutputFormat,
  opts: StatusPrintOptions & { forStatus?: boolean } = {},
): void {
  process.stdout.write(
    format === "table"
      ? statusText(rls, opts)
      : formatStructured(structured(rls, opts.forStatus === true), format),
  );
}
