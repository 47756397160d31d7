/**
 * Template rules (Helm's `Templates` lint rules): `templates/` exists, the chart loads and renders
 * in lint mode (release `test-release`; `required` and `fail` only log), and each rendered YAML
 * template is well-indented, parses, and holds objects with valid names, current API versions,
 * workload selectors and no resource-policy annotation inside a List.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { processDependencies } from "../dependencies.ts";
import { goQuote } from "../engine/fmt.ts";
import type { GoMap } from "../engine/value.ts";
import type { Capabilities } from "../render/builtins.ts";
import { formatRenderError } from "../render/errors.ts";
import { type RenderResult, renderComputed } from "../render/render.ts";
import { coalesceValues, type ValuesLog } from "../values/coalesce.ts";
import { validateValuesAgainstSchemas } from "../values/schema.ts";
import { deprecationWarning } from "./deprecations.ts";
import { metadataNameProblem } from "./k8s-names.ts";
import { loadLintedChart } from "./load.ts";
import { decodeDocument, firstDocument, type ObjectStub, splitYamlDocuments } from "./manifest-docs.ts";
import { type Linter, Severity } from "./support.ts";

const DIR = "templates/";

export interface TemplateLintOptions {
  userValues: GoMap;
  namespace: string;
  capabilities: Capabilities;
  skipSchemaValidation: boolean;
  /** Where compiled schema validators are kept between runs. */
  schemaCacheDir?: string;
  log: ValuesLog;
}

/** Run the template rules. */
export function lintTemplates(linter: Linter, opts: TemplateLintOptions): void {
  const dir = join(linter.chartDir, "templates");
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    linter.check(Severity.Warning, DIR, "directory does not exist");
    return;
  }
  if (!linter.check(Severity.Error, DIR, isDir ? null : "not a directory")) return;
  const loaded = loadLintedChart(linter.chartDir);
  if ("error" in loaded) {
    linter.check(Severity.Error, DIR, loaded.error);
    return;
  }
  const rendered = renderForLint(linter, loaded.chart, opts);
  if (rendered === null) return;
  const name = rendered.chart.metadata.name;
  for (const template of loaded.chart.templates) {
    const file = template.name;
    linter.check(Severity.Error, file, allowedExtension(file));
    if (!/\.ya?ml$/i.test(file)) continue;
    const content = rendered.files.get(`${name}/${file}`) ?? "";
    if (content.trim() === "") continue;
    linter.check(Severity.Warning, file, topIndentProblem(content));
    for (const doc of splitYamlDocuments(content)) {
      const result = decodeDocument(doc);
      if ("error" in result) {
        // Helm stops linting templates at the first document that does not parse.
        linter.check(Severity.Error, file, `unable to parse YAML: ${result.error}`);
        return;
      }
      if (result.stub !== null) lintObject(linter, file, result.stub, content, opts.capabilities);
    }
  }
}

/** Values pipeline and render as lint runs them; null when linting stops here. */
function renderForLint(
  linter: Linter,
  chart: RenderResult["chart"],
  opts: TemplateLintOptions,
): RenderResult | null {
  let processed: RenderResult["chart"];
  let values: GoMap;
  try {
    // Problems here are left to the other rules, as Helm leaves them.
    processed = processDependencies(chart, opts.userValues, opts.log);
    values = coalesceValues(processed, opts.userValues, opts.log);
  } catch {
    return null;
  }
  if (!opts.skipSchemaValidation) {
    const problem = validateValuesAgainstSchemas(processed, values, opts.schemaCacheDir);
    if (problem !== null) {
      linter.check(Severity.Error, DIR, problem);
      return null;
    }
  }
  try {
    return renderComputed(processed, values, {
      release: {
        name: "test-release",
        namespace: opts.namespace,
        revision: 0,
        isInstall: false,
        isUpgrade: false,
      },
      capabilities: opts.capabilities,
      log: opts.log,
      lintLog: opts.log,
    });
  } catch (err) {
    linter.check(Severity.Error, DIR, formatRenderError(err));
    return null;
  }
}

function lintObject(
  linter: Linter,
  file: string,
  obj: ObjectStub,
  content: string,
  caps: Capabilities,
): void {
  linter.check(Severity.Warning, file, metadataNameProblem(obj.kind, obj.metadata.name));
  linter.check(
    Severity.Warning,
    file,
    deprecationWarning(
      obj.apiVersion,
      obj.kind,
      Number(caps.KubeVersion.Major),
      Number(caps.KubeVersion.Minor),
    ),
  );
  linter.check(Severity.Error, file, selectorProblem(obj, content));
  linter.check(Severity.Error, file, listAnnotationProblem(obj, content));
}

function allowedExtension(file: string): string | null {
  const base = file.slice(file.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const ext = dot < 0 ? "" : base.slice(dot);
  if ([".yaml", ".yml", ".tpl", ".txt"].includes(ext)) return null;
  return `file extension '${ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt`;
}

/** A template whose first non-blank line is indented may parse differently than intended. */
function topIndentProblem(content: string): string | null {
  for (const raw of content.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (line.startsWith(" ") || line.startsWith("\t"))
      return `document starts with an illegal indent: ${goQuote(line)}, which may cause parsing problems`;
    return null;
  }
  return null;
}

function selectorProblem(obj: ObjectStub, content: string): string | null {
  if (!["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"].includes(obj.kind)) return null;
  if (content.includes("matchLabels") || content.includes("matchExpressions")) return null;
  return `a ${obj.kind} must contain matchLabels or matchExpressions, and ${JSON.stringify(obj.metadata.name)} does not`;
}

function listAnnotationProblem(obj: ObjectStub, content: string): string | null {
  if (obj.kind !== "List") return null;
  const doc = firstDocument(content) as { items?: unknown } | null | undefined;
  const items = doc !== null && typeof doc === "object" && Array.isArray(doc.items) ? doc.items : [];
  for (const item of items) {
    const annotations = (item as { metadata?: { annotations?: unknown } } | null)?.metadata?.annotations;
    if (annotations !== null && typeof annotations === "object" && "helm.sh/resource-policy" in annotations)
      return "annotation 'helm.sh/resource-policy' within List objects are ignored";
  }
  return null;
}
