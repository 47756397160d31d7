/** Timing and memory of whole commands, for benchmarks that compare us with real Helm in one run. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Sample {
  wallMs: number;
  maxRssBytes: number;
}

export interface Summary {
  label: string;
  runs: number;
  medianMs: number;
  p90Ms: number;
  peakRssMiB: number;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * GNU time, to read a command's own peak RSS. A child's ru_maxrss from Bun.spawnSync is never
 * below the benchmark process's own RSS (Linux carries the high-water mark of the memory the child
 * was spawned from across exec), so every command would look as big as this process; under
 * `time` the command is forked from a process of a few MiB instead.
 */
const GNU_TIME = "/usr/bin/time";
const rssDir = mkdtempSync(join(tmpdir(), "helmts-bench-rss-"));
process.on("exit", () => rmSync(rssDir, { recursive: true, force: true }));
let warned = false;

/** Run a command once; throws if it fails (a benchmark of a failing command measures nothing). */
export function runOnce(cmd: string[], env?: Record<string, string>, cwd?: string): Sample {
  const timed = existsSync(GNU_TIME);
  if (!timed && !warned) {
    warned = true;
    console.error(`${GNU_TIME} not found: peak RSS figures include this process's own (install GNU time)`);
  }
  const rssFile = join(rssDir, "rss");
  const start = performance.now();
  const r = Bun.spawnSync(timed ? [GNU_TIME, "-f", "%M", "-o", rssFile, ...cmd] : cmd, {
    env: env ?? (process.env as Record<string, string>),
    cwd,
    stdout: "pipe",
    stderr: "pipe",
  });
  const wallMs = performance.now() - start;
  if (r.exitCode !== 0) {
    throw new Error(`${cmd.join(" ")} exited ${r.exitCode}: ${r.stderr.toString().slice(0, 400)}`);
  }
  const maxRssBytes = timed
    ? Number(readFileSync(rssFile, "utf8").trim()) * 1024
    : (r.resourceUsage?.maxRSS ?? 0);
  return { wallMs, maxRssBytes };
}

/** Run a command `runs` times (after `warmup` unmeasured runs) and summarise. */
export function measure(
  label: string,
  cmd: string[],
  opts: { runs?: number; warmup?: number; env?: Record<string, string>; cwd?: string } = {},
): Summary {
  const runs = opts.runs ?? 20;
  for (let i = 0; i < (opts.warmup ?? 2); i++) runOnce(cmd, opts.env, opts.cwd);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(runOnce(cmd, opts.env, opts.cwd));
  const walls = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  return {
    label,
    runs,
    medianMs: percentile(walls, 50),
    p90Ms: percentile(walls, 90),
    peakRssMiB: Math.max(...samples.map((s) => s.maxRssBytes)) / (1024 * 1024),
  };
}

/** Print a comparison table of ours vs Helm's, with ratios (ours / Helm's; below 1 is better). */
export function report(title: string, ours: Summary, theirs: Summary, goal?: string): void {
  const row = (s: Summary) =>
    `  ${s.label.padEnd(14)} median ${s.medianMs.toFixed(2).padStart(9)} ms   p90 ${s.p90Ms.toFixed(2).padStart(9)} ms   peak RSS ${s.peakRssMiB.toFixed(1).padStart(7)} MiB   (${s.runs} runs)`;
  console.log(`\n${title}`);
  console.log(row(ours));
  console.log(row(theirs));
  console.log(
    `  ratio          time ${(ours.medianMs / theirs.medianMs).toFixed(2)}x   memory ${(ours.peakRssMiB / theirs.peakRssMiB).toFixed(2)}x${goal ? `   goal: ${goal}` : ""}`,
  );
}
