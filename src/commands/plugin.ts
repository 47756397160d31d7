/** `helm plugin install|list|package|uninstall|update|verify` (thin: the work is in src/plugin). */
import { type Command, Option } from "@commander-js/extra-typings";
import { formatTable } from "../chart/uitable.ts";
import { completeArgsWith, DIRECTIVE_NO_FILE_COMP } from "../cli/complete.ts";
import { UserError } from "../cli/errors.ts";
import { type AnyCommand, defineCommand, defineGroup, settingsOf } from "../cli/program.ts";
import { type EnvSettings, envVars } from "../cli/settings.ts";
import { defaultKeyring } from "./verify.ts";

const INSTALL_LONG = `
This command allows you to install a plugin from a url to a VCS repo or a local path.

By default, plugin signatures are verified before installation when installing from
tarballs (.tgz or .tar.gz). A corresponding .prov file must be available alongside
the tarball; installation will fail if it is missing or invalid.
For local development, plugins installed from local directories are automatically
treated as "local dev" and do not require signatures.
Use --verify=false to explicitly skip signature verification (NOT recommended).`;

const PACKAGE_LONG = `
This command packages a Helm plugin directory into a tarball.

By default, the command will generate a provenance file signed with a PGP key.
This ensures the plugin can be verified after installation.

Use --sign=false to skip signing (not recommended for distribution).`;

const VERIFY_LONG = `
This command verifies that a Helm plugin has a valid provenance file,
and that the provenance file is signed by a trusted PGP key.

It supports both:
- Plugin tarballs (.tgz or .tar.gz files)
- Installed plugin directories

For installed plugins, use the path shown by 'helm env HELM_PLUGINS' followed
by the plugin name. For example:
  helm plugin verify ~/.local/share/helm/plugins/example-cli

To generate a signed plugin, use the 'helm plugin package --sign' command.`;

/**
 * A boolean flag that defaults to true, written pflag's way: `--NAME`, `--NAME=false`. Commander
 * has no `=false` for booleans, so the spelling is rewritten to a hidden `--no-NAME` before parsing.
 */
function defaultTrueFlag(cmd: AnyCommand, name: string, description: string): void {
  cmd.option(`--${name}`, `${description} (default true)`);
  cmd.addOption(new Option(`--no-${name}`).hideHelp());
  const parse = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (argv: string[]) =>
    parse(
      argv.map((a) => {
        const m = new RegExp(`^--${name}=(.*)$`).exec(a);
        if (!m) return a;
        if (/^(1|t|T|TRUE|true|True)$/.test(m[1]!)) return `--${name}`;
        if (/^(0|f|F|FALSE|false|False)$/.test(m[1]!)) return `--no-${name}`;
        throw new UserError(
          `invalid argument "${m[1]}" for "--${name}" flag: strconv.ParseBool: parsing "${m[1]}": invalid syntax`,
        );
      }),
    );
}

/** What plugin hooks run with: our environment and Helm's variables. */
function hookEnv(settings: EnvSettings): Record<string, string | undefined> {
  return { ...process.env, ...Object.fromEntries(envVars(settings, process.execPath)) };
}

/** Completion of installed cli plugins' names (with their help line), minus those already given. */
function completePluginNames(cmd: AnyCommand): void {
  completeArgsWith(cmd as Command, async (req) => {
    const { findPlugins } = await import("../plugin/plugins.ts");
    const candidates = findPlugins(req.settings().pluginsDirectory)
      .filter((p) => p.type === "cli/v1" && !req.args.includes(p.name))
      .map((p) => ({ value: p.name, description: p.shortHelp }));
    return { candidates, directive: DIRECTIVE_NO_FILE_COMP };
  });
}

function pluginError(err: unknown): never {
  if (err instanceof Error && err.name === "PluginError") throw new UserError(err.message);
  throw err;
}

/** Register `helm plugin` and its subcommands. */
export function registerPlugin(root: Command): void {
  const plugin = defineGroup(root, {
    use: "plugin",
    short: "install, list, or uninstall Helm plugins",
    long: "\nManage client-side Helm plugins.",
  });

  const install = defineCommand(plugin, {
    use: "install [options] <path|url>",
    short: "install a Helm plugin",
    long: INSTALL_LONG,
    aliases: ["add"],
    args: { exactly: 1 },
  })
    .option("--ca-file <string>", "verify certificates of HTTPS-enabled servers using this CA bundle")
    .option("--cert-file <string>", "identify registry client using this SSL certificate file")
    .option("--insecure-skip-tls-verify", "skip tls certificate checks for the plugin download")
    .option("--key-file <string>", "identify registry client using this SSL key file")
    .option(
      "--keyring <string>",
      `location of public keys used for verification (default "${defaultKeyring()}")`,
    )
    .option("--password <string>", "registry password")
    .option("--plain-http", "use insecure HTTP connections for the plugin download")
    .option("--username <string>", "registry username")
    .option(
      "--version <string>",
      "specify a version constraint. If this is not specified, the latest version is installed",
    );
  defaultTrueFlag(install, "verify", "verify the plugin signature before installing");
  install.action(async (args, opts) => {
    const settings = settingsOf(install);
    const { installPlugin } = await import("../plugin/install.ts");
    await installPlugin({
      source: args[0]!,
      version: opts.version ?? "",
      cacheHome: settings.cacheHome,
      verify: (opts as { verify?: boolean }).verify !== false,
      keyring: opts.keyring ?? defaultKeyring(),
      pluginPaths: settings.pluginsDirectory,
      http: {
        caFile: opts.caFile,
        certFile: opts.certFile,
        keyFile: opts.keyFile,
        insecureSkipTlsVerify: opts.insecureSkipTlsVerify,
        username: opts.username,
        password: opts.password,
      },
      env: hookEnv(settings),
      out: (t) => process.stdout.write(t),
    }).catch(pluginError);
  });

  const list = defineCommand(plugin, {
    use: "list",
    short: "list installed Helm plugins",
    aliases: ["ls"],
  }).option("--type <string>", "Plugin type");
  list.action(async (_args, opts) => {
    const settings = settingsOf(list);
    const { findPlugins } = await import("../plugin/plugins.ts");
    const { signingStatus } = await import("../plugin/signing-status.ts");
    const { join } = await import("node:path");
    const rows = findPlugins(settings.pluginsDirectory)
      .filter((p) => !opts.type || p.type === opts.type)
      .map((p) => [
        p.name,
        p.version,
        p.type,
        p.apiVersion,
        signingStatus(join(settings.dataHome, "plugins"), p.name),
        p.sourceURL || "unknown",
      ]);
    process.stdout.write(
      formatTable([["NAME", "VERSION", "TYPE", "APIVERSION", "PROVENANCE", "SOURCE"], ...rows]),
    );
  });

  const pkg = defineCommand(plugin, {
    use: "package [PATH]",
    short: "package a plugin directory into a plugin archive",
    long: PACKAGE_LONG,
    args: { exactly: 1 },
  })
    .option("-d, --destination <string>", 'location to write the plugin tarball. (default ".")')
    .option("--key <string>", "name of the key to use when signing. Used if --sign is true")
    .option("--keyring <string>", `location of a public keyring (default "${defaultKeyring()}")`)
    .option(
      "--passphrase-file <string>",
      'location of a file which contains the passphrase for the signing key. Use "-" to read from stdin.',
    );
  defaultTrueFlag(pkg, "sign", "use a PGP private key to sign this plugin");
  pkg.action(async (args, opts) => {
    const { packagePlugin } = await import("../plugin/package.ts");
    const { readFileSync } = await import("node:fs");
    await packagePlugin({
      pluginPath: args[0]!,
      destination: opts.destination ?? ".",
      sign: (opts as { sign?: boolean }).sign !== false,
      keyring: opts.keyring ?? defaultKeyring(),
      key: opts.key ?? "",
      passphrase: async () => {
        if (!opts.passphraseFile) return undefined;
        const text = readFileSync(opts.passphraseFile === "-" ? 0 : opts.passphraseFile, "utf8");
        return text.replace(/[\r\n]+$/, "");
      },
      out: (t) => process.stdout.write(t),
    }).catch(pluginError);
  });

  const uninstall = defineCommand(plugin, {
    use: "uninstall <plugin>...",
    short: "uninstall one or more Helm plugins",
    aliases: ["rm", "remove"],
  });
  completePluginNames(uninstall);
  uninstall.action(async (args) => {
    if (args.length === 0) throw new UserError("please provide plugin name to uninstall");
    const settings = settingsOf(uninstall);
    const { uninstallPlugins } = await import("../plugin/install.ts");
    await uninstallPlugins(args, settings.pluginsDirectory, hookEnv(settings), (t) =>
      process.stdout.write(t),
    ).catch(pluginError);
  });

  const update = defineCommand(plugin, {
    use: "update <plugin>...",
    short: "update one or more Helm plugins",
    aliases: ["up"],
  });
  completePluginNames(update);
  update.action(async (args) => {
    if (args.length === 0) throw new UserError("please provide plugin name to update");
    const settings = settingsOf(update);
    const { updatePlugins } = await import("../plugin/install.ts");
    await updatePlugins(args, settings.pluginsDirectory, hookEnv(settings), (t) =>
      process.stdout.write(t),
    ).catch(pluginError);
  });

  const verify = defineCommand(plugin, {
    use: "verify [PATH]",
    short: "verify that a plugin at the given path has been signed and is valid",
    long: VERIFY_LONG,
    args: { exactly: 1 },
  }).option("--keyring <string>", `keyring containing public keys (default "${defaultKeyring()}")`);
  verify.action(async (args, opts) => {
    const { verifyPluginArchive } = await import("../plugin/package.ts");
    const report = await verifyPluginArchive(args[0]!, opts.keyring ?? defaultKeyring()).catch(pluginError);
    process.stdout.write(report);
  });
}
