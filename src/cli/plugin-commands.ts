/**
 * Installed plugins as part of the CLI, as Helm loads them at start: each cli/v1 plugin becomes a
 * top-level command (listed in `helm --help` and completion), each getter/v1 plugin serves its
 * URL schemes for downloads. `helm PLUGIN args…` runs the plugin with Helm's global flags taken
 * out of the arguments (and applied), unless the plugin asks for no arguments (`ignoreFlags`).
 * `HELM_NO_PLUGINS=1` turns all of this off.
 */
import type { Command } from "@commander-js/extra-typings";
import { findPlugins, type Plugin } from "../plugin/plugins.ts";
import { type HttpOptions, registerSchemeGetter } from "../repo/http.ts";
import { slogLine } from "../repo/output.ts";
import { UserError } from "./errors.ts";
import { defineCommand } from "./program.ts";
import { envVars, type GlobalFlags, resolveSettings } from "./settings.ts";

/** The cli/v1 plugins registered as commands, by command name. */
export type PluginCommands = Map<string, Plugin>;

/** Load plugins into the command tree and the download getters; broken ones are logged and skipped. */
export function registerPlugins(root: Command): PluginCommands {
  const commands: PluginCommands = new Map();
  if (process.env.HELM_NO_PLUGINS === "1") return commands;
  let pluginPaths: string;
  try {
    pluginPaths = resolveSettings({}).pluginsDirectory;
  } catch {
    return commands; // bad settings: the command itself reports them
  }
  const plugins = findPlugins(pluginPaths, (file, err) =>
    process.stderr.write(
      slogLine("WARN", "failed to load plugin (ignoring)", [
        ["plugin_yaml", file],
        ["error", err.message],
      ]),
    ),
  );
  for (const plugin of plugins.filter((p) => p.type === "getter/v1")) {
    for (const scheme of plugin.protocols)
      registerSchemeGetter(scheme, (url, http) => runGetterPlugin(plugin, url, http));
  }
  for (const plugin of plugins.filter((p) => p.type === "cli/v1")) {
    const name = (plugin.usage || plugin.name).split(" ")[0]!;
    if (root.commands.some((c) => c.name() === name)) {
      // Helm stops loading plugins at the first clash with an existing command.
      process.stderr.write(slogLine("ERROR", "failed to load plugins: name conflicts", [["name", name]]));
      break;
    }
    defineCommand(root, {
      use: plugin.usage || plugin.name,
      short: plugin.shortHelp || `the "${plugin.name}" plugin`,
      long: plugin.longHelp || undefined,
    });
    commands.set(name, plugin);
  }
  return commands;
}

async function runGetterPlugin(plugin: Plugin, url: string, http: HttpOptions) {
  const { pluginEnv, runGetter } = await import("../plugin/subprocess.ts");
  const env = pluginEnv(plugin, envVars(resolveSettings({}), process.execPath));
  return runGetter(plugin, url, { ...http, passCredentialsAll: http.passCredentials }, env);
}

/** The first non-flag argument (the command name) and where it is, skipping global flags' values. */
function commandWord(root: Command, args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return i + 1 < args.length ? i + 1 : -1;
    if (!a.startsWith("-") || a === "-") return i;
    const flag = a.split("=")[0]!;
    const opt = root.options.find((o) => o.long === flag || o.short === flag);
    if (opt?.required && !a.includes("=")) i++;
  }
  return -1;
}

/** Global flags Helm takes out of a plugin's arguments (`manuallyProcessArgs`). */
const VALUE_FLAGS = [
  "--kube-context",
  "--namespace",
  "-n",
  "--kubeconfig",
  "--kube-apiserver",
  "--kube-token",
  "--kube-as-user",
  "--kube-as-group",
  "--kube-ca-file",
  "--registry-config",
  "--repository-cache",
  "--repository-config",
  "--kube-insecure-skip-tls-verify",
  "--kube-tls-server-name",
];

/** strconv.ParseBool, or undefined when `s` is not a boolean. */
function goBool(s: string): boolean | undefined {
  if (/^(1|t|T|TRUE|true|True)$/.test(s)) return true;
  if (/^(0|f|F|FALSE|false|False)$/.test(s)) return false;
  return undefined;
}

/** Split a plugin's arguments into Helm's global flags and the rest, as Helm does. */
export function splitPluginArgs(args: readonly string[]): { known: string[]; rest: string[] } {
  const known: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--debug") known.push(a);
    else if (a === "--kube-insecure-skip-tls-verify") {
      // A boolean: only an explicit true/false after it belongs to it.
      const next = args[i + 1];
      const value = next === undefined ? undefined : goBool(next);
      if (value !== undefined) i++;
      if (value !== false) known.push(a);
    } else if (VALUE_FLAGS.includes(a)) {
      known.push(a);
      i++;
      if (i < args.length) known.push(args[i]!);
    } else if (VALUE_FLAGS.some((f) => a.startsWith(`${f}=`))) known.push(a);
    else rest.push(a);
  }
  return { known, rest };
}

/**
 * If `args` name a plugin command, run it and resolve to the exit status; otherwise undefined.
 * The plugin's exit status becomes ours.
 */
export async function runPluginCommand(
  root: Command,
  commands: PluginCommands,
  args: string[],
): Promise<number | undefined> {
  const at = commandWord(root, args);
  const plugin = at >= 0 ? commands.get(args[at]!) : undefined;
  if (!plugin) return undefined;
  const { known, rest } = splitPluginArgs(args.slice(at + 1));
  root.parseOptions([...args.slice(0, at), ...known]);
  const settings = resolveSettings(root.opts() as GlobalFlags);
  const { PluginExitError, pluginEnv, runCliPlugin } = await import("../plugin/subprocess.ts");
  try {
    const env = pluginEnv(plugin, envVars(settings, process.execPath));
    const debug = (message: string, attrs: [string, string][]) => {
      if (settings.debug) process.stderr.write(slogLine("DEBUG", message, attrs));
    };
    await runCliPlugin(plugin, plugin.ignoreFlags ? [] : rest, env, debug);
    return 0;
  } catch (err) {
    if (err instanceof PluginExitError) throw new UserError(err.message, err.exitCode);
    throw err;
  }
}
