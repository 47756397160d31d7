/**
 * Helm's LocateChart for commands that read a chart without installing it (`show`): a local path
 * when one exists (and no `--repo`), else a download through the repository code into a temp
 * directory (`repo/chart`, a chart URL, or a name with `--repo`), with Helm's errors.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import type { PullOptions } from "../repo/pull.ts";

/** The chart-download flags a command shares with `helm pull`. */
export type ChartRefOptions = Omit<PullOptions, "chartRef" | "destination" | "untar" | "untarDir" | "prov">;

/**
 * Run `use` on a local chart path for `ref`, downloading the chart first when `ref` names one in a
 * repository. A downloaded chart is removed afterwards.
 */
export async function withLocatedChart<T>(
  ref: string,
  opts: ChartRefOptions,
  use: (path: string) => T | Promise<T>,
): Promise<T> {
  if (!opts.repoUrl) {
    if (existsSync(ref)) return use(ref);
    if (isAbsolute(ref) || ref.startsWith(".")) throw new Error(`path ${JSON.stringify(ref)} not found`);
  }
  const { pullChart } = await import("../repo/pull.ts");
  const dir = mkdtempSync(join(tmpdir(), "helm-ts-chart-"));
  try {
    await pullChart({ ...opts, chartRef: ref, destination: dir, untarDir: "." });
    const [file] = readdirSync(dir);
    if (file === undefined) throw new Error(`no chart downloaded for ${ref}`);
    return await use(join(dir, file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
