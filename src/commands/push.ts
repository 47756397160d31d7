/** `helm push CHART.tgz oci://REGISTRY/PATH`: upload a packaged chart (and its .prov) to a registry. */
import type { Command } from "@commander-js/extra-typings";
import { defineCommand, settingsOf } from "../cli/program.ts";

const LONG = `
Upload a chart to a registry.

If the chart has an associated provenance file,
it will also be uploaded.`;

/** Register `helm push`. */
export function registerPush(root: Command): void {
  const cmd = defineCommand(root, {
    use: "push [chart] [remote]",
    short: "push a chart to remote",
    long: LONG,
    args: { exactly: 2 },
  })
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify registry client using this SSL certificate file")
    .option("--insecure-skip-tls-verify", "skip tls certificate checks for the chart upload")
    .option("--key-file <string>", "identify registry client using this SSL key file")
    .option("--password <string>", "chart repository password where to locate the requested chart")
    .option("--plain-http", "use insecure HTTP connections for the chart upload")
    .option("--username <string>", "chart repository username where to locate the requested chart");
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const { pushChart } = await import("../repo/oci/chart.ts");
    await pushChart({
      archivePath: args[0]!,
      remote: args[1]!,
      registry: {
        plainHttp: opts.plainHttp,
        insecureSkipTlsVerify: opts.insecureSkipTlsVerify,
        caFile: opts.caFile,
        certFile: opts.certFile,
        keyFile: opts.keyFile,
        username: opts.username,
        password: opts.password,
        registryConfig: settings.registryConfig,
      },
      out: (text) => process.stderr.write(text),
    });
  });
}
