/**
 * The CHART argument of chart commands (template, install, upgrade): a chart directory or
 * archive, or an `oci://` reference pulled from a registry with the chart-source flags
 * (`--version`, `--plain-http`, credentials, TLS, `--verify`). Helm's errors throughout.
 */
import { existsSync } from "node:fs";
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { Chart } from "../chart/chart.ts";
import type { EnvSettings } from "./settings.ts";

/** The flags that say where and how to fetch a chart. */
export interface ChartSourceFlags {
  version?: string;
  devel?: boolean;
  repo?: string;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  plainHttp?: boolean;
  passCredentials?: boolean;
  verify?: boolean;
  keyring?: string;
}

/** Declare the chart-source flags (Helm 4's names and help). */
export function addChartSourceFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option("--version <string>", "specify a version constraint for the chart version to use")
    .option("--devel", "use development versions, too")
    .option("--repo <string>", "chart repository url where to locate the requested chart")
    .option("--username <string>", "chart repository username")
    .option("--password <string>", "chart repository password")
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify HTTPS client using this SSL certificate file")
    .option("--key-file <string>", "identify HTTPS client using this SSL key file")
    .option("--insecure-skip-tls-verify", "skip tls certificate checks for the chart download")
    .option("--plain-http", "use insecure HTTP connections for the chart download")
    .option("--pass-credentials", "pass credentials to all domains")
    .option("--verify", "verify the package before using it")
    .option("--keyring <string>", "location of public keys used for verification");
}

/** Load the chart a CHART argument names (`oci://` references are pulled first). */
export async function loadChartArg(
  ref: string,
  source: ChartSourceFlags = {},
  settings?: Pick<EnvSettings, "registryConfig">,
): Promise<Chart> {
  if (ref.startsWith("oci://")) return loadRegistryChart(ref, source, settings?.registryConfig ?? "");
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

async function loadRegistryChart(
  ref: string,
  source: ChartSourceFlags,
  registryConfig: string,
): Promise<Chart> {
  const { pullChartFromRegistry } = await import("../repo/oci/chart.ts");
  const { loadArchive } = await import("../chart/loader.ts");
  const version = source.version ? source.version : source.devel ? ">0.0.0-0" : "";
  const pulled = await pullChartFromRegistry(
    ref,
    version,
    {
      plainHttp: source.plainHttp,
      caFile: source.caFile,
      certFile: source.certFile,
      keyFile: source.keyFile,
      insecureSkipTlsVerify: source.insecureSkipTlsVerify,
      username: source.username,
      password: source.password,
      registryConfig,
    },
    { withProv: source.verify === true, out: (text) => process.stderr.write(text) },
  );
  if (source.verify) {
    const { verifyProvenance } = await import("../repo/provenance.ts");
    const { defaultKeyring } = await import("../commands/verify.ts");
    await verifyProvenance(
      pulled.archive,
      pulled.fileName,
      Buffer.from(pulled.prov ?? new Uint8Array()).toString("utf8"),
      source.keyring ?? defaultKeyring(),
    );
  }
  return loadArchive(pulled.archive);
}
