/** `helm verify PATH`: check a packaged chart against its provenance file. */
import { homedir } from "node:os";
import { join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { defineCommand } from "../cli/program.ts";

const LONG = `
Verify that the given chart has a valid provenance file.

Provenance files provide cryptographic verification that a chart has not been
tampered with, and was packaged by a trusted provider.

This command can be used to verify a local chart. Several other commands provide
'--verify' flags that run the same validation. To generate a signed package, use
the 'helm package --sign' command.`;

/** Helm's default keyring: GnuPG's legacy public keyring in the user's home. */
export function defaultKeyring(): string {
  return join(process.env.HOME || homedir(), ".gnupg", "pubring.gpg");
}

/** Register `helm verify`. */
export function registerVerify(root: Command): void {
  const cmd = defineCommand(root, {
    use: "verify PATH",
    short: "verify that a chart at the given path has been signed and is valid",
    long: LONG,
    args: { exactly: 1 },
  }).option("--keyring <string>", `keyring containing public keys (default "${defaultKeyring()}")`);
  cmd.action(async (args, opts) => {
    const { formatVerification, verifyChart } = await import("../repo/provenance.ts");
    const result = await verifyChart(args[0]!, opts.keyring ?? defaultKeyring());
    process.stdout.write(formatVerification(result));
  });
}
