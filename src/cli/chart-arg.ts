/** The CHART argument of release commands: a chart directory or archive, loaded with Helm's errors. */
import { existsSync } from "node:fs";
import type { Chart } from "../chart/chart.ts";

export async function loadChartArg(ref: string): Promise<Chart> {
  if (!existsSync(ref)) {
    throw new Error(
      ref.includes("/") && !ref.startsWith(".") && !ref.startsWith("/")
        ? `repo ${ref.split("/")[0]} not found`
        : `path "${ref}" not found`,
    );
  }
  const { loadChart } = await import("../chart/loader.ts");
  return loadChart(ref);
}
