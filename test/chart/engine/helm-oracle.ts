/**
 * Running template snippets through real Helm v4.1.4 (`helm template --debug`) and reading back
 * either the rendered text or Go's own error string. Helm reformats template errors for the user
 * (`parse error at (…)`, multi-line `executing` blocks); {@link goErrorFromHelm} undoes that so the
 * engine's errors can be compared with text/template's exactly.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";

/** What real Helm made of one template: its output, or Go's error string. */
export type HelmResult = { output: string } | { error: string };

/** The chart-qualified name a case's template gets (`t/templates/x.yaml`). */
export const CASE_FILE = "t/templates/x.yaml";

/** Appended to every case so that whitespace-only output still prints and trailing space survives. */
const END_MARK = "\u00bb";

/** Go's error text from what `helm template` printed on stderr. */
export function goErrorFromHelm(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => !l.startsWith("level="));
  const start = lines.findIndex((l) => l.startsWith("Error: "));
  if (start < 0) return stderr.trim();
  const body: string[] = [];
  for (let i = start; i < lines.length; i++) {
    if (lines[i] === "" && lines[i + 1]?.startsWith("Use --debug")) break;
    body.push(i === start ? lines[i]!.slice("Error: ".length) : lines[i]!);
  }
  while (body.length > 1 && body[body.length - 1] === "") body.pop();
  const first = body[0]!;
  const parse = /^parse error at \(([^)]*)\): ([\s\S]*)$/.exec(body.join("\n"));
  if (parse) return `template: ${parse[1]}: ${parse[2]}`;
  if (first.startsWith("template: ") || first.startsWith("execution error at ")) return body.join("\n");
  // Helm's multi-line form: "FILE:L:C", "  executing "NAME" at <CTX>:", "    MESSAGE", repeated for
  // errors from nested includes (the message then ends with "error calling include:").
  const out: string[] = [];
  for (let i = 0; i < body.length; ) {
    const loc = body[i]!;
    const exec = /^ {2}(executing .* at <[\s\S]*>):$/.exec(body[i + 1] ?? "");
    if (!exec) {
      // An inner error Helm did not reformat (e.g. "template: no template …").
      out.push(body.slice(i).join(" "));
      break;
    }
    let msg = (body[i + 2] ?? "").replace(/^ {4}/, "");
    i += 3;
    // A message may run over several lines until the next location line.
    while (i < body.length && !/^\S+:\d+:\d+$/.test(body[i]!)) {
      const more = body[i++]!;
      // Helm starts each wrapped "template: …" error on its own line.
      msg += more.startsWith("template: ") ? ` ${more}` : `\n${more}`;
    }
    out.push(`template: ${loc}: ${exec[1]}: ${msg}`);
  }
  return out.join(" ");
}

function runHelm(dir: string, extra: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const home = join(dir, "home");
  return new Promise((resolve, reject) => {
    const child = spawn(oraclePaths().helm, ["template", "t", join(dir, "t"), "--debug", ...extra], {
      env: isolatedHelmEnv(home),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (status) =>
      resolve({
        status: status ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** Render one template (as `templates/x.yaml`, extra files beside it) with the given values.yaml. */
export async function helmRender(
  template: string,
  values: string,
  extraFiles: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<HelmResult> {
  const marked = await renderOnce(template + END_MARK, values, extraFiles, extraArgs);
  if ("output" in marked) return { output: marked.output.slice(0, marked.output.lastIndexOf(END_MARK)) };
  // The mark may have landed inside an unterminated action: the error without it is the real one.
  const raw = await renderOnce(template, values, extraFiles, extraArgs);
  return "output" in raw ? { output: raw.output.replace(/\n$/, "") } : raw;
}

async function renderOnce(
  template: string,
  values: string,
  extraFiles: Record<string, string>,
  extraArgs: string[],
): Promise<HelmResult> {
  const dir = mkdtempSync(join(tmpdir(), "helmts-engine-"));
  try {
    writeChart(dir, values, { "x.yaml": template }, extraFiles);
    const r = await runHelm(dir, extraArgs);
    const yamlOnly = /^Error: YAML parse error on /m.test(r.stderr);
    if (r.status !== 0 && !yamlOnly) return { error: goErrorFromHelm(r.stderr) };
    const body = documentOf(r.stdout, CASE_FILE);
    return body === undefined
      ? { error: `no output for ${CASE_FILE}: ${r.stderr.trim()}` }
      : { output: body };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A case for the batch recorder: a template, and its values.yaml when not the set's default. */
export interface OracleCase {
  template: string;
  values?: string;
}

/**
 * Cases that cannot share a chart with others: their own defines or template names, output split
 * into documents, or functions that change `.Values` (which every template of a chart shares).
 */
function needsOwnChart(template: string): boolean {
  return (
    /define|template|block|---/i.test(template) || /\b(set|unset|merge\w*)\b[^}]*\.Values/.test(template)
  );
}

/**
 * Render many cases with few Helm runs: every case of one values.yaml becomes its own template of
 * one chart. Helm stops at the first failing template, so a failing chart is split in halves until
 * each failing case is alone; those are recorded on their own (under the name `x.yaml`, like
 * every case).
 */
export async function helmRenderBatch(
  cases: readonly OracleCase[],
  defaultValues: string,
): Promise<HelmResult[]> {
  const results: HelmResult[] = new Array(cases.length);
  const alone: number[] = [];
  const groups = new Map<string, number[]>();
  cases.forEach((c, i) => {
    if (needsOwnChart(c.template)) {
      alone.push(i);
      return;
    }
    const values = c.values ?? defaultValues;
    groups.set(values, [...(groups.get(values) ?? []), i]);
  });
  const renderGroup = async (values: string, members: number[]): Promise<void> => {
    const files: Record<string, string> = {};
    for (const i of members) files[batchFile(i)] = cases[i]!.template + END_MARK;
    const dir = mkdtempSync(join(tmpdir(), "helmts-engine-"));
    let r: { status: number; stdout: string; stderr: string };
    try {
      writeChart(dir, values, files);
      r = await runHelm(dir, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const yamlOnly = /^Error: YAML parse error on /m.test(r.stderr);
    if (r.status !== 0 && !yamlOnly) {
      if (members.length === 1) {
        alone.push(members[0]!);
        return;
      }
      const half = members.length >> 1;
      await renderGroup(values, members.slice(0, half));
      await renderGroup(values, members.slice(half));
      return;
    }
    for (const i of members) {
      const body = documentOf(r.stdout, `t/templates/${batchFile(i)}`);
      const end = body?.lastIndexOf(END_MARK) ?? -1;
      if (body === undefined || end < 0) alone.push(i);
      else results[i] = { output: body.slice(0, end) };
    }
  };
  for (const [values, members] of groups) await renderGroup(values, members);
  const single = await helmRenderAll(
    alone.map((i) => cases[i]!),
    defaultValues,
  );
  alone.forEach((i, k) => {
    results[i] = single[k]!;
  });
  return results;
}

function batchFile(i: number): string {
  return `c${String(i).padStart(4, "0")}.yaml`;
}

/** The text `helm template` printed for one source file (its first document). */
function documentOf(stdout: string, source: string): string | undefined {
  const header = `---\n# Source: ${source}\n`;
  const at = stdout.indexOf(header);
  if (at < 0) return undefined;
  const rest = stdout.slice(at + header.length);
  const next = rest.indexOf("\n---\n# Source: ");
  return next < 0 ? rest : rest.slice(0, next + 1);
}

function writeChart(
  dir: string,
  values: string,
  templates: Record<string, string>,
  extraFiles: Record<string, string> = {},
): void {
  const chart = join(dir, "t");
  mkdirSync(join(chart, "templates"), { recursive: true });
  writeFileSync(join(chart, "Chart.yaml"), "apiVersion: v2\nname: t\nversion: 0.1.0\n");
  writeFileSync(join(chart, "values.yaml"), values);
  for (const [name, text] of Object.entries(templates)) writeFileSync(join(chart, "templates", name), text);
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(chart, name), text);
}

/** Run many cases, two at a time (the machine is shared). */
export async function helmRenderAll(
  cases: readonly { template: string; values?: string; files?: Record<string, string> }[],
  defaultValues: string,
): Promise<HelmResult[]> {
  const results: HelmResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      results[i] = await helmRender(c.template, c.values ?? defaultValues, c.files);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}
