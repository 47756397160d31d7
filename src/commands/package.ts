/** `helm package CHART_PATH…`: package chart directories into versioned chart archives. */
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { logToStderr } from "../cli/log.ts";
import { defineCommand, settingsOf } from "../cli/program.ts";

const LONG = `
This command packages a chart into a versioned chart archive file. If a path
is given, this will look at that path for a chart (which must contain a
Chart.yaml file) and then package that directory.

Versioned chart archives are used by Helm package repositories.

To sign a chart, use the '--sign' flag. In most cases, you should also
provide '--keyring path/to/secret/keys' and '--key keyname'.

  $ helm package --sign ./mychart --key mykey --keyring ~/.gnupg/secring.gpg

If '--keyring' is not specified, Helm usually defaults to the public keyring
unless your environment is otherwise configured.

helm-ts: archives are reproducible — every entry carries its source file's
modification time (Chart.lock its 'generated' time), as in Helm 4 — and are
written through a temp file renamed into place.`;

/** Helm's log line for a symbolic link followed inside a chart directory. */
export function logSymlink(path: string, resolved: string): void {
  logToStderr("INFO", "found symbolic link in path. Contents of linked file included and used", [
    ["path", path],
    ["resolved", resolved],
  ]);
}

/** The first line of a passphrase file (`-`: standard input), as Helm reads it. */
async function readPassphrase(path: string): Promise<string> {
  const { readFileSync } = await import("node:fs");
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (err) {
    const { goErrnoText } = await import("../chart/package.ts");
    throw new UserError(`open ${path}: ${goErrnoText(err)}`);
  }
  return text.split("\n")[0]!.replace(/\r$/, "");
}

/** Register `helm package`. */
export function registerPackage(root: Command): void {
  const cmd = defineCommand(root, {
    use: "package [CHART_PATH] [...]",
    short: "package a chart directory into a chart archive",
    long: LONG,
  })
    .option("--app-version <string>", "set the appVersion on the chart to this version")
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify HTTPS client using this SSL certificate file")
    .option(
      "-u, --dependency-update",
      'update dependencies from "Chart.yaml" to dir "charts/" before packaging',
    )
    .option("-d, --destination <string>", 'location to write the chart. (default ".")')
    .option("--insecure-skip-tls-verify", "skip tls certificate checks for the chart download")
    .option("--key <string>", "name of the key to use when signing. Used if --sign is true")
    .option("--key-file <string>", "identify HTTPS client using this SSL key file")
    .option(
      "--keyring <string>",
      `location of a public keyring (default "${join(homedir(), ".gnupg", "pubring.gpg")}")`,
    )
    .option(
      "--passphrase-file <string>",
      'location of a file which contains the passphrase for the signing key. Use "-" in order to read from stdin.',
    )
    .option("--password <string>", "chart repository password where to locate the requested chart")
    .option("--plain-http", "use insecure HTTP connections for the chart download")
    .option("--sign", "use a PGP private key to sign this package")
    .option("--username <string>", "chart repository username where to locate the requested chart")
    .option("--version <string>", "set the version on the chart to this semver version");
  cmd.action(async (args, opts) => {
    if (args.length === 0) throw new UserError("need at least one argument, the path to the chart");
    const keyring = opts.keyring ?? join(homedir(), ".gnupg", "pubring.gpg");
    if (opts.sign) {
      if (!opts.key) throw new UserError("--key is required for signing a package");
      if (!keyring) throw new UserError("--keyring is required for signing a package");
    }
    const settings = settingsOf(cmd);
    const { packageChart } = await import("../chart/package.ts");
    const { atomicWriteFile } = await import("../repo/fs.ts");
    for (const chartPath of args) {
      try {
        statSync(chartPath);
      } catch (err) {
        const { goErrnoText } = await import("../chart/package.ts");
        throw new UserError(`stat ${chartPath}: ${goErrnoText(err)}`);
      }
      if (opts.dependencyUpdate) {
        // Helm runs `dependency update` with its progress lines discarded.
        const { dependencyOptions } = await import("../cli/dependency-update.ts");
        const { updateDependencies } = await import("../repo/deps/manager.ts");
        await updateDependencies(await dependencyOptions(chartPath, opts, settings, true));
      }
      const saved = packageChart({
        chartPath,
        version: opts.version,
        appVersion: opts.appVersion,
        destination: opts.destination ?? ".",
        writeFile: (path, data) => atomicWriteFile(path, data, 0o644),
        onSymlink: logSymlink,
      });
      if (opts.sign) {
        const { signChart } = await import("../repo/provenance.ts");
        const passphrase = opts.passphraseFile ? await readPassphrase(opts.passphraseFile) : undefined;
        await signChart(saved, keyring, opts.key!, passphrase);
      }
      process.stdout.write(`Successfully packaged chart and saved it to: ${saved}\n`);
    }
  });
}
