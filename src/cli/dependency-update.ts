/**
 * Running the dependency manager from commands: `dependency update/build` and the
 * `--dependency-update` flag of install, upgrade, template and package all turn their flags and
 * settings into the same options.
 */
import type { DependencyOptions } from "../repo/deps/manager.ts";
import type { ChartSourceFlags } from "./chart-arg.ts";
import { logToStderr } from "./log.ts";
import type { EnvSettings } from "./settings.ts";

/** The download flags these commands share with `helm pull`. */
export type DependencyFlags = Pick<
  ChartSourceFlags,
  | "keyring"
  | "verify"
  | "username"
  | "password"
  | "caFile"
  | "certFile"
  | "keyFile"
  | "insecureSkipTlsVerify"
  | "plainHttp"
> & { skipRefresh?: boolean };

/** The manager's options for `chartPath`; output goes where Helm sends it unless `quiet`. */
export async function dependencyOptions(
  chartPath: string,
  flags: DependencyFlags,
  settings: EnvSettings,
  quiet = false,
): Promise<DependencyOptions> {
  const { defaultKeyring } = await import("../commands/verify.ts");
  return {
    chartPath,
    skipRefresh: flags.skipRefresh,
    verify: flags.verify,
    keyring: flags.keyring ?? defaultKeyring(),
    userHttp: {
      username: flags.username,
      password: flags.password,
      caFile: flags.caFile,
      certFile: flags.certFile,
      keyFile: flags.keyFile,
      insecureSkipTlsVerify: flags.insecureSkipTlsVerify,
    },
    plainHttp: flags.plainHttp,
    repoConfig: settings.repositoryConfig,
    repoCache: settings.repositoryCache,
    registryConfig: settings.registryConfig,
    stdout: quiet ? () => {} : (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    warn: (message, attrs) => logToStderr("WARN", message, attrs),
  };
}

/**
 * `--dependency-update` of install, upgrade and template: when CHART is a local chart whose
 * declared dependencies are not all in `charts/`, run `dependency update` on it first (as Helm
 * does; a chart that does not load is left for the command to report).
 */
export async function updateMissingDependencies(
  chartPath: string,
  flags: DependencyFlags,
  settings: EnvSettings,
): Promise<void> {
  const { existsSync } = await import("node:fs");
  if (chartPath.startsWith("oci://") || !existsSync(chartPath)) return;
  const { loadChart } = await import("../chart/loader.ts");
  const { missingDependencies } = await import("../chart/dependencies.ts");
  let missing: string[];
  try {
    const chart = loadChart(chartPath);
    missing = chart.metadata.dependencies === null ? [] : missingDependencies(chart);
  } catch {
    return;
  }
  if (missing.length === 0) return;
  const { updateDependencies } = await import("../repo/deps/manager.ts");
  await updateDependencies(await dependencyOptions(chartPath, flags, settings));
}
