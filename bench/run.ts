/**
 * `npm run bench [NAME…]`: run the benchmarks (all, or the named ones). Each compares build/helm
 * with real Helm v4.1.4 in the same run and prints the ratio.
 */
import { benchEngine } from "./engine.ts";
import { benchReleaseInstall, benchReleaseList } from "./releases.ts";
import { benchRepo } from "./repo.ts";
import { benchSql } from "./sql.ts";
import { benchStartup } from "./startup.ts";
import { benchTemplate } from "./template.ts";
import { benchTiller } from "./tiller.ts";

const benchmarks: Record<string, () => void | Promise<void>> = {
  startup: benchStartup,
  "releases-install": benchReleaseInstall,
  "releases-list": benchReleaseList,
  tiller: benchTiller,
  template: benchTemplate,
  engine: benchEngine,
  repo: benchRepo,
  sql: benchSql,
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in benchmarks)) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benchmarks).join(", ")}`);
    process.exit(1);
  }
}
for (const [name, run] of Object.entries(benchmarks)) {
  if (wanted.length === 0 || wanted.includes(name)) await run();
}
