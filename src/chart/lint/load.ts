/** Loading the chart directory being linted, as Helm's v2 chart loader does (any apiVersion). */
import type { Chart } from "../chart.ts";
import { loadFiles, readChartDir } from "../loader.ts";

/** The loaded chart, or the loader's error message. */
export function loadLintedChart(dir: string): { chart: Chart } | { error: string } {
  try {
    return { chart: loadFiles(readChartDir(dir)) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
