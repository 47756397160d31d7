/** `helm pull` (`fetch`): download a chart from a repository, optionally unpacked. */
import type { Command } from "@commander-js/extra-typings";
import { defineCommand, settingsOf } from "../cli/program.ts";
import { withSpinner } from "../cli/spinner.ts";
import { processOutput } from "./repo.ts";
import { defaultKeyring } from "./verify.ts";

const LONG = `
Retrieve a package from a package repository, and download it locally.

This is useful for fetching packages to inspect, modify, or repackage. It can
also be used to perform cryptographic verification of a chart without installing
the chart.

There are options for unpacking the chart after download. This will create a
directory for the chart and uncompress into that directory.

If the --verify flag is specified, the requested chart MUST have a provenance
file, and MUST pass the verification process. Failure in any part of this will
result in an error, and the chart will not be saved locally.`;

/** Register `helm pull`. */
export function registerPull(root: Command): void {
  const cmd = defineCommand(root, {
    use: "pull [chart URL | repo/chartname] [...]",
    short: "download a chart from a repository and (optionally) unpack it in local directory",
    long: LONG,
    aliases: ["fetch"],
    args: { min: 1 },
  })
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify HTTPS client using this SSL certificate file")
    .option(
      "-d, --destination <string>",
      'location to write the chart. If this and untardir are specified, untardir is appended to this (default ".")',
    )
    .option(
      "--devel",
      "use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored.",
    )
    .option("--insecure-skip-tls-verify", "skip tls certificate checks for the chart download")
    .option("--key-file <string>", "identify HTTPS client using this SSL key file")
    .option(
      "--keyring <string>",
      `location of public keys used for verification (default "${defaultKeyring()}")`,
    )
    .option("--pass-credentials", "pass credentials to all domains")
    .option("--password <string>", "chart repository password where to locate the requested chart")
    .option("--plain-http", "use insecure HTTP connections for the chart download")
    .option("--prov", "fetch the provenance file, but don't perform verification")
    .option("--repo <string>", "chart repository url where to locate the requested chart")
    .option("--untar", "if set to true, will untar the chart after downloading it")
    .option(
      "--untardir <string>",
      'if untar is specified, this flag specifies the name of the directory into which the chart is expanded (default ".")',
    )
    .option("--username <string>", "chart repository username where to locate the requested chart")
    .option("--verify", "verify the package before using it")
    .option(
      "--version <string>",
      "specify a version constraint for the chart version to use. This constraint can be a specific tag (e.g. 1.1.1) or it may reference a valid range (e.g. ^2.0.0). If this is not specified, the latest version is used",
    );
  cmd.action(async (args, opts) => {
    const settings = settingsOf(cmd);
    const { pullChart } = await import("../repo/pull.ts");
    for (const chartRef of args) {
      const pull = () =>
        pullChart({
          chartRef,
          version: opts.version,
          devel: opts.devel,
          repoUrl: opts.repo,
          username: opts.username,
          password: opts.password,
          passCredentials: opts.passCredentials,
          caFile: opts.caFile,
          certFile: opts.certFile,
          keyFile: opts.keyFile,
          insecureSkipTlsVerify: opts.insecureSkipTlsVerify,
          destination: opts.destination ?? ".",
          untar: opts.untar,
          untarDir: opts.untardir ?? ".",
          prov: opts.prov,
          verify: opts.verify,
          keyring: opts.keyring ?? defaultKeyring(),
          plainHttp: opts.plainHttp,
          registryConfig: settings.registryConfig,
          stdout: (text) => process.stdout.write(text),
          stderr: (text) => process.stderr.write(text),
          repoConfig: settings.repositoryConfig,
          repoCache: settings.repositoryCache,
          warn: processOutput.warn,
        });
      await withSpinner(`Pulling ${chartRef}`, pull, { debug: settings.debug });
    }
  });
}
