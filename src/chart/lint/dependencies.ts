/**
 * Dependency rules (Helm's `Dependencies` lint rules): the chart loads; every subchart in `charts/`
 * is declared; no two declarations share a name or alias; every declaration has its subchart.
 * Findings name the chart directory.
 */
import type { Chart } from "../chart.ts";
import { loadLintedChart } from "./load.ts";
import { type Linter, Severity } from "./support.ts";

/** Run the dependency rules. */
export function lintDependencies(linter: Linter): void {
  const loaded = loadLintedChart(linter.chartDir);
  if ("error" in loaded) {
    linter.check(Severity.Error, "", `unable to load chart\n\t${loaded.error}`);
    return;
  }
  const chart = loaded.chart;
  linter.check(Severity.Error, linter.chartDir, undeclared(chart));
  linter.check(Severity.Error, linter.chartDir, shadowed(chart));
  linter.check(Severity.Warning, linter.chartDir, absent(chart));
}

function declared(chart: Chart) {
  return (chart.metadata.dependencies ?? []).filter((d) => d !== null);
}

function undeclared(chart: Chart): string | null {
  const names = new Set(declared(chart).map((d) => d.name));
  const missing = chart.dependencies.map((c) => c.metadata.name).filter((n) => !names.has(n));
  return missing.length > 0 ? `chart metadata is missing these dependencies: ${missing.join(",")}` : null;
}

function shadowed(chart: Chart): string | null {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const d of declared(chart)) {
    const key = d.alias !== "" ? d.alias : d.name;
    if (seen.has(key)) dupes.push(key);
    seen.add(key);
  }
  return dupes.length > 0 ? `multiple dependencies with name or alias: ${dupes.join(",")}` : null;
}

function absent(chart: Chart): string | null {
  const present = new Set(chart.dependencies.map((c) => c.metadata.name));
  const missing = declared(chart)
    .map((d) => d.name)
    .filter((n) => !present.has(n));
  return missing.length > 0 ? `chart directory is missing these dependencies: ${missing.join(",")}` : null;
}
