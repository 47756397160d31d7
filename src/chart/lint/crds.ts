/**
 * CRD rules (Helm's `Crds` lint rules): when `crds/` exists it is a directory, and every CRD file
 * of the chart and its subcharts holds plain YAML objects of kind CustomResourceDefinition in the
 * apiextensions.k8s.io group.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { type Chart, crdFiles } from "../chart.ts";
import { loadLintedChart } from "./load.ts";
import { decodeDocument, splitYamlDocuments } from "./manifest-docs.ts";
import { type Linter, Severity } from "./support.ts";

const DIR = "crds/";

function allCrdFiles(chart: Chart): { name: string; data: Uint8Array }[] {
  return [...crdFiles(chart), ...chart.dependencies.flatMap(allCrdFiles)];
}

/** Run the CRD rules. */
export function lintCrds(linter: Linter): void {
  let isDir: boolean;
  try {
    isDir = statSync(join(linter.chartDir, "crds")).isDirectory();
  } catch {
    return;
  }
  if (!linter.check(Severity.Error, DIR, isDir ? null : "not a directory")) return;
  const loaded = loadLintedChart(linter.chartDir);
  if ("error" in loaded) {
    linter.check(Severity.Error, DIR, loaded.error);
    return;
  }
  for (const file of allCrdFiles(loaded.chart)) {
    for (const doc of splitYamlDocuments(Buffer.from(file.data).toString("utf8"))) {
      const result = decodeDocument(doc);
      if ("error" in result) {
        linter.check(Severity.Error, file.name, `unable to parse YAML: ${result.error}`);
        return;
      }
      if (result.stub === null) continue;
      linter.check(
        Severity.Error,
        file.name,
        result.stub.apiVersion.startsWith("apiextensions.k8s.io")
          ? null
          : "apiVersion is not in 'apiextensions.k8s.io'",
      );
      linter.check(
        Severity.Error,
        file.name,
        result.stub.kind === "CustomResourceDefinition"
          ? null
          : "object kind is not 'CustomResourceDefinition'",
      );
    }
  }
}
