/**
 * Installed Helm plugins: each a directory holding `plugin.yaml` under one of the `$HELM_PLUGINS`
 * paths (colon-separated). Only what running a plugin needs is read here: its name, type and the
 * subprocess command for this platform (Helm 4's `apiVersion: v1` layout, and the legacy layout
 * with a top-level `command`/`platformCommand`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { load } from "js-yaml";

export interface PlatformCommand {
  os?: string;
  arch?: string;
  command: string;
  args: string[];
}

export interface Plugin {
  name: string;
  /** `cli/v1`, `getter/v1` or `postrenderer/v1`; legacy plugins are `cli/v1`. */
  type: string;
  dir: string;
  commands: PlatformCommand[];
}

export class PluginError extends Error {
  override name = "PluginError";
}

/** Every readable plugin under the plugin paths; unreadable ones are skipped as Helm does. */
export function findPlugins(pluginPaths: string): Plugin[] {
  const found: Plugin[] = [];
  for (const root of pluginPaths.split(delimiter).filter(Boolean)) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root).sort()) {
      const dir = join(root, entry);
      const file = join(dir, "plugin.yaml");
      if (!existsSync(file)) continue;
      const plugin = parsePlugin(readFileSync(file, "utf8"), dir);
      if (plugin) found.push(plugin);
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

function parsePlugin(text: string, dir: string): Plugin | undefined {
  let doc: unknown;
  try {
    doc = load(text);
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || typeof doc.name !== "string") return undefined;
  if (doc.apiVersion === undefined) {
    const commands = commandList(doc.platformCommand);
    if (typeof doc.command === "string") commands.push(splitLegacyCommand(doc.command));
    return { name: doc.name, type: "cli/v1", dir, commands };
  }
  const runtime = isRecord(doc.runtimeConfig) ? doc.runtimeConfig : {};
  return {
    name: doc.name,
    type: String(doc.type ?? ""),
    dir,
    commands: commandList(runtime.platformCommand),
  };
}

function commandList(v: unknown): PlatformCommand[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((c) => ({
    os: typeof c.os === "string" ? c.os : undefined,
    arch: typeof c.arch === "string" ? c.arch : undefined,
    command: String(c.command ?? ""),
    args: Array.isArray(c.args) ? c.args.map(String) : [],
  }));
}

/** A legacy `command: "$HELM_PLUGIN_DIR/run.sh --flag"` is split on spaces, as Helm does. */
function splitLegacyCommand(command: string): PlatformCommand {
  const [head = "", ...rest] = command.trim().split(/\s+/);
  return { command: head, args: rest };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
