/** `helm registry login|logout`: credentials for OCI registries (thin: the work is in src/repo/oci). */
import type { Command } from "@commander-js/extra-typings";
import { defineCommand, defineGroup, settingsOf } from "../cli/program.ts";
import { processOutput, readStdin } from "./repo.ts";

const REGISTRY_LONG = `
This command consists of multiple subcommands to interact with registries.`;

const LOGIN_LONG = `
Authenticate to a remote registry.

For example for Github Container Registry:

    echo "$GITHUB_TOKEN" | helm registry login ghcr.io -u $GITHUB_USER --password-stdin`;

const LOGOUT_LONG = `
Remove credentials stored for a remote registry.`;

/** One line from stdin after a prompt on stdout, as Helm's terminal prompts read it. */
async function prompt(label: string): Promise<string> {
  process.stdout.write(label);
  const text = await readStdin();
  if (text === "") throw new Error("EOF");
  return text.split(/\r?\n/)[0]!;
}

/** Register `helm registry` and its subcommands. */
export function registerRegistry(root: Command): void {
  const registry = defineGroup(root, {
    use: "registry",
    short: "login to or logout from a registry",
    long: REGISTRY_LONG,
  });

  const login = defineCommand(registry, {
    use: "login [host]",
    short: "login to a registry",
    long: LOGIN_LONG,
    args: { min: 1, max: 1 },
  })
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify registry client using this SSL certificate file")
    .option("--insecure", "allow connections to TLS registry without certs")
    .option("--key-file <string>", "identify registry client using this SSL key file")
    .option("-p, --password <string>", "registry password or identity token")
    .option("--password-stdin", "read password or identity token from stdin")
    .option("--plain-http", "use insecure HTTP connections for the chart upload")
    .option("-u, --username <string>", "registry username");
  login.action(async (args, opts) => {
    const settings = settingsOf(login);
    let password = opts.password ?? "";
    if (opts.password !== undefined && !opts.passwordStdin)
      processOutput.warn("using --password via the CLI is insecure. Use --password-stdin");
    if (opts.passwordStdin) password = (await readStdin()).replace(/\r?\n$/, "");
    const username = opts.username ?? (opts.passwordStdin ? "" : await prompt("Username: "));
    if (!opts.passwordStdin && opts.password === undefined) password = await prompt("Password: ");
    const { login: doLogin } = await import("../repo/oci/login.ts");
    await doLogin({
      host: args[0]!,
      username,
      password,
      plainHttp: opts.plainHttp,
      insecureSkipTlsVerify: opts.insecure,
      caFile: opts.caFile,
      certFile: opts.certFile,
      keyFile: opts.keyFile,
      registryConfig: settings.registryConfig,
      warn: processOutput.warn,
    });
    process.stderr.write("Login Succeeded\n");
  });

  const logout = defineCommand(registry, {
    use: "logout [host]",
    short: "logout from a registry",
    long: LOGOUT_LONG,
    args: { min: 1, max: 1 },
  });
  logout.action(async (args) => {
    const { logout: doLogout } = await import("../repo/oci/login.ts");
    doLogout(settingsOf(logout).registryConfig, args[0]!);
    process.stderr.write(`Removing login credentials for ${args[0]}\n`);
  });
}
