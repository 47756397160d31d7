/**
 * Classic chart repositories at scale: a generated 50,000-version index (1,000 charts × 50
 * versions, ~25 MB of YAML in `helm repo index`'s style) served by a real nginx on 127.0.0.1.
 * build/helm vs real Helm v4.1.4, same run: `repo update`, `search repo KEYWORD` (and the same
 * search on a cold cache, i.e. an index file neither tool has seen parsed), and `pull` by version
 * range. Median wall time and peak RSS. Goal (issue 8): ≤ 0.3× Helm's time, ≤ 0.5× its memory.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chartArchive } from "../test/repo/support.ts";
import { startNginx } from "../test/support/nginx.ts";
import { isolatedHelmEnv, oraclePaths } from "../test/support/oracle.ts";
import { measure, report, runOnce, type Sample, type Summary } from "./measure.ts";

const CHARTS = 1000;
const VERSIONS = 50;
/** The chart whose archives really exist on the server (for `pull`). */
const PULLED = "chart-0500";

function versionOf(v: number): string {
  return `${Math.floor(v / 10)}.${v % 10}.0${v % 9 === 0 ? "-rc.1" : ""}`;
}

/** Write the index (and the pulled chart's archives) into `dir`; returns the index size. */
export function generateRepo(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const out: string[] = ["apiVersion: v1", "entries:"];
  for (let c = 0; c < CHARTS; c++) {
    const name = `chart-${String(c).padStart(4, "0")}`;
    out.push(`  ${name}:`);
    for (let v = VERSIONS - 1; v >= 0; v--) {
      const version = versionOf(v);
      let digest = createHash("sha256").update(`${name}-${version}`).digest("hex");
      if (name === PULLED) {
        const tgz = chartArchive({ name, version, description: `Chart ${c}` });
        writeFileSync(join(dir, `${name}-${version}.tgz`), tgz);
        digest = createHash("sha256").update(tgz).digest("hex");
      }
      out.push(
        "  - apiVersion: v2",
        `    appVersion: ${v}.${c % 7}.0`,
        `    created: "2026-11-24T17:53:28.${String(c * 50 + v).padStart(9, "0")}Z"`,
        `    description: Chart number ${c} deploys a web application with a database and a cache;`,
        `      version ${v} of its packaging`,
        `    digest: ${digest}`,
        `    home: https://example.com/${name}`,
        "    keywords:",
        "    - web",
        `    - ${name}`,
        "    maintainers:",
        "    - email: team@example.com",
        "      name: Team",
        `    name: ${name}`,
        "    sources:",
        `    - https://github.com/example/${name}`,
        "    type: application",
        "    urls:",
        `    - ${name}-${version}.tgz`,
        `    version: ${version}`,
      );
    }
  }
  out.push(`generated: "2026-11-24T17:53:28.867134726Z"`);
  const text = `${out.join("\n")}\n`;
  writeFileSync(join(dir, "index.yaml"), text);
  return Buffer.byteLength(text);
}

function summarize(label: string, samples: Sample[]): Summary {
  const walls = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  return {
    label,
    runs: samples.length,
    medianMs: walls[Math.floor((walls.length - 1) / 2)]!,
    p90Ms: walls[Math.min(walls.length - 1, Math.ceil(0.9 * walls.length) - 1)]!,
    peakRssMiB: Math.max(...samples.map((s) => s.maxRssBytes)) / (1024 * 1024),
  };
}

/** `npm run bench repo` */
export async function benchRepo(): Promise<void> {
  const root = join(import.meta.dir, "..");
  const oursBin = process.env.HELM_TS_BIN ?? join(root, "build", "helm");
  const helmBin = oraclePaths().helm;
  const www = mkdtempSync(join(tmpdir(), "helmts-bench-repo-"));
  const size = generateRepo(join(www, "big"));
  const ng = await startNginx({ root: www, sites: [{ name: "plain" }] });
  try {
    const url = `${ng.url("plain")}/big`;
    const homes = {
      ours: mkdtempSync(join(tmpdir(), "helmts-bench-home-")),
      helm: mkdtempSync(join(tmpdir(), "helmts-bench-home-")),
    };
    const env = { ours: isolatedHelmEnv(homes.ours), helm: isolatedHelmEnv(homes.helm) };
    const bins = { ours: oursBin, helm: helmBin };
    for (const who of ["ours", "helm"] as const) runOnce([bins[who], "repo", "add", "big", url], env[who]);
    console.log(
      `\nrepo: ${CHARTS * VERSIONS} versions of ${CHARTS} charts, index ${(size / 1024 / 1024).toFixed(1)} MiB, served by nginx`,
    );
    const opts = { runs: 3, warmup: 1 };
    const goal = "≤ 0.3x time, ≤ 0.5x memory";
    const pair = (title: string, args: string[], cwd?: string) => {
      const o = measure("helm-ts", [oursBin, ...args], { ...opts, env: env.ours, cwd });
      const h = measure("helm", [helmBin, ...args], { ...opts, env: env.helm, cwd });
      report(`repo: ${title}`, o, h, goal);
    };
    pair("repo update", ["repo", "update"]);
    pair("search repo chart-04 (after repo update)", ["search", "repo", "chart-04"]);
    // Cold: the cached index was written by someone else (no summary of ours exists yet).
    const cold = (who: "ours" | "helm") => {
      const samples: Sample[] = [];
      for (let i = 0; i < opts.runs + opts.warmup; i++) {
        rmSync(join(homes[who], "cache", "repository", ".helm-ts"), { recursive: true, force: true });
        const s = runOnce([bins[who], "search", "repo", "chart-04"], env[who]);
        if (i >= opts.warmup) samples.push(s);
      }
      return summarize(who === "ours" ? "helm-ts" : "helm", samples);
    };
    report("repo: search repo chart-04 (cold cache: index not yet seen)", cold("ours"), cold("helm"), goal);
    const dest = mkdtempSync(join(tmpdir(), "helmts-bench-pull-"));
    pair(`pull big/${PULLED} --version ~2.3`, ["pull", `big/${PULLED}`, "--version", "~2.3", "-d", dest]);
    rmSync(dest, { recursive: true, force: true });
    for (const h of Object.values(homes)) rmSync(h, { recursive: true, force: true });
  } finally {
    await ng.stop();
    rmSync(www, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchRepo();
