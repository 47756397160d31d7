/**
 * Helm plugins: a directory holding `plugin.yaml` under one of the `$HELM_PLUGINS` paths
 * (colon-separated). Both layouts Helm 4 reads load into one model: the `apiVersion: v1` layout
 * (`type`, `runtime`, `config`, `runtimeConfig`) and the legacy one (top-level `command`,
 * `platformCommand`, `hooks`, `downloaders`; a legacy plugin with downloaders is a `getter/v1`
 * plugin, any other a `cli/v1` one). Validation and its messages are Helm's.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { load } from "js-yaml";

/** One entry of `platformCommand` / `platformHooks`: a command for an OS and architecture. */
export interface PlatformCommand {
  os?: string;
  arch?: string;
  command: string;
  args: string[];
}

/** The commands a getter runs for some URL schemes. */
export interface ProtocolCommand {
  protocols: string[];
  commands: PlatformCommand[];
}

export interface Plugin {
  /** `legacy` or `v1`, as `helm plugin list` shows it. */
  apiVersion: string;
  name: string;
  version: string;
  /** `cli/v1`, `getter/v1` or `postrenderer/v1`. */
  type: string;
  runtime: string;
  sourceURL: string;
  dir: string;
  /** cli/v1: the command name (first word), one-line and long help. */
  usage: string;
  shortHelp: string;
  longHelp: string;
  /** cli/v1: pass no arguments at all to the plugin. */
  ignoreFlags: boolean;
  commands: PlatformCommand[];
  /** Event (`install`, `update`, `delete`) → commands. */
  hooks: Record<string, PlatformCommand[]>;
  /** Legacy `hooks:` strings run under `sh -c` unexpanded; everything else is `$VAR`-expanded. */
  expandHookArgs: boolean;
  /** getter/v1: the URL schemes it serves. */
  protocols: string[];
  protocolCommands: ProtocolCommand[];
}

export class PluginError extends Error {
  override name = "PluginError";
}

export const PLUGIN_FILE = "plugin.yaml";
const VALID_NAME = /^[A-Za-z0-9_-]+$/;
/** Masterminds' StrictNewVersion: three numbers, no `v`, optional pre-release and build. */
const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Load the plugin in `dir`, or throw Helm's `failed to load plugin "DIR": …`. */
export function loadPluginDir(dir: string): Plugin {
  const file = join(dir, PLUGIN_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new PluginError(`failed to read plugin at "${file}": open ${file}: no such file or directory`);
  }
  try {
    return parsePlugin(text, dir);
  } catch (err) {
    throw new PluginError(`failed to load plugin "${dir}": ${(err as Error).message}`);
  }
}

/** Reports a plugin that could not be loaded (Helm logs and skips it). */
export type LoadWarning = (pluginYaml: string, err: Error) => void;

/** Every loadable plugin under the plugin paths, in directory-name order; broken ones go to `warn`. */
export function findPlugins(pluginPaths: string, warn: LoadWarning = () => {}): Plugin[] {
  const found: Plugin[] = [];
  for (const root of pluginPaths.split(delimiter).filter(Boolean)) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root).sort()) {
      const dir = join(root, entry);
      const file = join(dir, PLUGIN_FILE);
      if (!existsSync(file)) continue;
      try {
        found.push(loadPluginDir(dir));
      } catch (err) {
        warn(file, err as Error);
      }
    }
  }
  return found;
}

/** The plugin of this name and type, or a Helm-worded error. */
export function findPlugin(pluginPaths: string, name: string, type: string): Plugin {
  const plugin = findPlugins(pluginPaths).find((p) => p.name === name && p.type === type);
  if (!plugin) throw new PluginError(`plugin: {Name:${name} Type:${type}} not found`);
  return plugin;
}

/** Parse and validate `plugin.yaml` text (errors without the `failed to load plugin` prefix). */
export function parsePlugin(text: string, dir: string): Plugin {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    throw new PluginError(`failed to peek ${PLUGIN_FILE} API version: yaml: ${yamlReason(err)}`);
  }
  const m = isRecord(doc) ? doc : {};
  const apiVersion = str(m.apiVersion);
  if (apiVersion === "") return legacyPlugin(m, dir);
  if (apiVersion === "v1") return v1Plugin(m, dir);
  throw new PluginError(`invalid plugin apiVersion: "${apiVersion}"`);
}

function yamlReason(err: unknown): string {
  const e = err as { reason?: string; mark?: { line: number }; message: string };
  return e.mark ? `line ${e.mark.line + 1}: ${e.reason ?? e.message}` : e.message.split("\n")[0]!;
}

function checkNameAndVersion(name: string, version: string): string[] {
  const errs: string[] = [];
  if (!VALID_NAME.test(name))
    errs.push(`invalid plugin name "${name}": must contain only a-z, A-Z, 0-9, _ and -`);
  if (version !== "" && !STRICT_SEMVER.test(version))
    errs.push(`invalid plugin version "${version}": must be valid semver`);
  return errs;
}

function legacyPlugin(m: Record<string, unknown>, dir: string): Plugin {
  const name = str(m.name);
  const version = str(m.version);
  const first = checkNameAndVersion(name, version)[0];
  if (first) throw new PluginError(first);
  const platformCommand = commandList(m.platformCommand);
  const command = str(m.command);
  if (platformCommand.length > 0 && command !== "")
    throw new PluginError("both platformCommand and command are set");
  const platformHooks = hookTable(m.platformHooks);
  const hooks = isRecord(m.hooks) ? m.hooks : {};
  if (Object.keys(platformHooks).length > 0 && Object.keys(hooks).length > 0)
    throw new PluginError("both platformHooks and hooks are set");
  const downloaders = Array.isArray(m.downloaders) ? m.downloaders.map((d) => (isRecord(d) ? d : {})) : [];
  const protocolCommands = downloaders.map((d, i) => {
    const protocols = Array.isArray(d.protocols) ? d.protocols.map(str) : [];
    if (str(d.command) === "") throw new PluginError(`downloader ${i} has empty command`);
    if (protocols.length === 0) throw new PluginError(`downloader ${i} has no protocols`);
    const empty = protocols.indexOf("");
    if (empty >= 0) throw new PluginError(`downloader ${i} has empty protocol at index ${empty}`);
    return { protocols, commands: [{ command: str(d.command), args: [] }] };
  });
  const legacyHooks = Object.keys(platformHooks).length === 0 && Object.keys(hooks).length > 0;
  const shellHooks: Record<string, PlatformCommand[]> = {};
  for (const [event, cmd] of Object.entries(hooks)) {
    shellHooks[event] = [{ command: "sh", args: ["-c", str(cmd)] }];
  }
  return {
    apiVersion: "legacy",
    name,
    version,
    type: downloaders.length > 0 ? "getter/v1" : "cli/v1",
    runtime: "subprocess",
    sourceURL: "",
    dir,
    usage: "",
    shortHelp: sanitize(str(m.usage)),
    longHelp: str(m.description),
    ignoreFlags: m.ignoreFlags === true,
    commands: platformCommand.length > 0 ? platformCommand : command !== "" ? [{ command, args: [] }] : [],
    hooks: legacyHooks ? shellHooks : platformHooks,
    expandHookArgs: !legacyHooks,
    protocols: protocolCommands.flatMap((p) => p.protocols),
    protocolCommands,
  };
}

const V1_FIELDS = [
  "apiVersion",
  "name",
  "type",
  "runtime",
  "version",
  "sourceURL",
  "config",
  "runtimeConfig",
];
const CONFIG_FIELDS: Record<string, string[]> = {
  "cli/v1": ["usage", "shortHelp", "longHelp", "ignoreFlags"],
  "getter/v1": ["protocols"],
  "postrenderer/v1": [],
};

function v1Plugin(m: Record<string, unknown>, dir: string): Plugin {
  // Helm decodes v1 files strictly: an unknown field is an error, not ignored.
  const unknown = Object.keys(m).find((k) => !V1_FIELDS.includes(k));
  if (unknown)
    throw new PluginError(`yaml: unmarshal errors: field ${unknown} not found in type plugin.MetadataV1`);
  const name = str(m.name);
  const version = str(m.version);
  const type = str(m.type);
  const runtime = str(m.runtime);
  const errs = checkNameAndVersion(name, version);
  if (type === "") errs.push("empty type field");
  if (runtime === "") errs.push("empty runtime field");
  if (errs.length > 0) throw new PluginError(errs.join("\n"));
  const known = CONFIG_FIELDS[type];
  if (!known) throw new PluginError(`unsupported plugin type: ${type}`);
  const config = isRecord(m.config) ? m.config : {};
  const badConfig = Object.keys(config).find((k) => !known.includes(k));
  if (badConfig)
    throw new PluginError(`invalid config for ${type} plugin type: unknown field "${badConfig}"`);
  if (runtime !== "subprocess") throw new PluginError(`unsupported plugin runtime type: "${runtime}"`);
  const rc = isRecord(m.runtimeConfig) ? m.runtimeConfig : {};
  const protocolCommands = (Array.isArray(rc.protocolCommands) ? rc.protocolCommands : [])
    .filter(isRecord)
    .map((p) => ({
      protocols: Array.isArray(p.protocols) ? p.protocols.map(str) : [],
      commands: commandList(p.platformCommand),
    }));
  return {
    apiVersion: "v1",
    name,
    version,
    type,
    runtime,
    sourceURL: str(m.sourceURL),
    dir,
    usage: str(config.usage),
    shortHelp: str(config.shortHelp),
    longHelp: str(config.longHelp),
    ignoreFlags: config.ignoreFlags === true,
    commands: commandList(rc.platformCommand),
    hooks: hookTable(rc.platformHooks),
    expandHookArgs: true,
    protocols: Array.isArray(config.protocols) ? config.protocols.map(str) : [],
    protocolCommands,
  };
}

function hookTable(v: unknown): Record<string, PlatformCommand[]> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([event, cmds]) => [event, commandList(cmds)]));
}

function commandList(v: unknown): PlatformCommand[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((c) => ({
    os: typeof c.os === "string" ? c.os : undefined,
    arch: typeof c.arch === "string" ? c.arch : undefined,
    command: str(c.command),
    args: Array.isArray(c.args) ? c.args.map(str) : [],
  }));
}

/** Helm's sanitizeString: whitespace becomes a space, non-printable characters go. */
function sanitize(s: string): string {
  return s.replace(/\s/gu, " ").replace(/\p{C}/gu, "");
}

function str(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : String(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
