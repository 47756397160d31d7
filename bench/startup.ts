/** Startup: `build/helm version` vs real `helm version`. Goal: ours ≤ 1.0× Helm's wall time. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isolatedHelmEnv, oraclePaths } from "../test/support/oracle.ts";
import { measure, report } from "./measure.ts";

export function benchStartup(): void {
  const env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-bench-")));
  const ours = measure("helm-ts", [join(import.meta.dir, "..", "build", "helm"), "version"], {
    runs: 40,
    env,
  });
  const theirs = measure("helm v4.1.4", [oraclePaths().helm, "version"], { runs: 40, env });
  report("startup: helm version", ours, theirs, "time ≤ 1.0x");
}
