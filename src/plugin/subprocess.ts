/**
 * Running a plugin as a subprocess, as Helm's subprocess runtime does: the command for this
 * platform, `$VAR`s expanded with Go's os.Expand rules, the caller's environment plus Helm's
 * variables plus `HELM_PLUGIN_NAME` / `HELM_PLUGIN_DIR`.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { type PlatformCommand, type Plugin, PluginError } from "./plugins.ts";

/** Go's GOOS/GOARCH names for this platform, which `platformCommand` entries use. */
const GOOS: Record<string, string> = { win32: "windows" };
const GOARCH: Record<string, string> = { x64: "amd64", ia32: "386" };
const HOST_OS = GOOS[process.platform] ?? process.platform;
const HOST_ARCH = GOARCH[process.arch] ?? process.arch;

type Env = Record<string, string | undefined>;

/**
 * The entry for this platform: an exact OS+arch match wins, then the first OS-only match, then
 * the first entry with neither; an entry naming only an arch never matches. Case-insensitive.
 */
export function platformCommand(cmds: readonly PlatformCommand[]): PlatformCommand | undefined {
  const eq = (a: string | undefined, b: string) => (a ?? "").toLowerCase() === b;
  let pick: PlatformCommand | undefined;
  let osMatched = false;
  for (const c of cmds) {
    if (eq(c.os, HOST_OS) && eq(c.arch, HOST_ARCH)) return c;
    if ((c.os && !eq(c.os, HOST_OS)) || c.arch) continue;
    if (!osMatched && c.os) {
      pick = c;
      osMatched = true;
    } else if (!pick) pick = c;
  }
  return pick;
}

/** Go's os.Expand: `$NAME`, `${NAME}`, and the one-character shell names (`$1`, `$@`, …). */
export function expandEnv(s: string, env: Env): string {
  const special = (ch: string | undefined) => ch !== undefined && /^[*#$@!?\-0-9]$/.test(ch);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "$" || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const rest = s.slice(i + 1);
    let name = "";
    let width = 0;
    if (rest[0] === "{") {
      if (rest.length > 2 && special(rest[1]) && rest[2] === "}") [name, width] = [rest[1]!, 3];
      else {
        const close = rest.indexOf("}");
        if (close === 1) width = 2;
        else if (close < 0) width = 1;
        else [name, width] = [rest.slice(1, close), close + 1];
      }
    } else if (special(rest[0])) [name, width] = [rest[0]!, 1];
    else {
      name = /^[A-Za-z0-9_]*/.exec(rest)![0];
      width = name.length;
    }
    if (name !== "") out += env[name] ?? "";
    else if (width === 0) out += "$";
    i += width;
  }
  return out;
}

/** The program and arguments to run: Helm's PrepareCommands. */
export function prepareCommand(
  cmds: readonly PlatformCommand[],
  expandArgs: boolean,
  extraArgs: readonly string[],
  env: Env,
): { main: string; args: string[] } {
  const pick = platformCommand(cmds);
  const parts = pick ? pick.command.split(" ") : [];
  if (!pick || parts[0] === "") throw new PluginError("no plugin command is applicable");
  const expand = (a: string) => (expandArgs ? expandEnv(a, env) : a);
  return {
    main: expandEnv(parts[0]!, env),
    args: [...parts.slice(1).map(expand), ...pick.args.map(expand), ...extraArgs],
  };
}

/** The environment a plugin runs with: ours, Helm's variables, and the plugin's own two. */
export function pluginEnv(plugin: Plugin, helmVars: readonly [string, string][] = []): Env {
  return {
    ...process.env,
    ...Object.fromEntries(helmVars),
    HELM_PLUGIN_NAME: plugin.name,
    HELM_PLUGIN_DIR: plugin.dir,
  };
}

/** A plugin exited non-zero: Helm's message, and the status to exit with. */
export class PluginExitError extends PluginError {
  constructor(
    pluginName: string,
    readonly exitCode: number,
  ) {
    super(`plugin "${pluginName}" exited with error`);
  }
}

interface Spawned {
  code: number;
  stdout: Buffer;
}

function startError(main: string, err: NodeJS.ErrnoException): PluginError {
  if (err.code === "ENOENT" && !main.includes("/"))
    return new PluginError(`exec: "${main}": executable file not found in $PATH`);
  const reason =
    err.code === "ENOENT"
      ? "no such file or directory"
      : err.code === "EACCES"
        ? "permission denied"
        : err.message;
  return new PluginError(`fork/exec ${main}: ${reason}`);
}

function spawnCommand(
  main: string,
  args: string[],
  env: Env,
  stdio: { stdin?: string; captureStdout: boolean },
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(main, args, {
      env,
      stdio: [
        stdio.stdin === undefined ? "inherit" : "pipe",
        stdio.captureStdout ? "pipe" : "inherit",
        "inherit",
      ],
    });
    const out: Buffer[] = [];
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.on("error", (err) => reject(startError(main, err)));
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out) }),
    );
    if (stdio.stdin !== undefined && child.stdin) {
      child.stdin.on("error", () => {}); // a plugin that ignores its input closes the pipe early
      child.stdin.end(stdio.stdin);
    }
  });
}

function preparePluginCommand(plugin: Plugin, extraArgs: readonly string[], env: Env) {
  try {
    return prepareCommand(plugin.commands, true, extraArgs, env);
  } catch (err) {
    throw new PluginError(`failed to prepare plugin command: ${(err as Error).message}`);
  }
}

/** Debug logging as Helm's slog does it: a message and its attributes. */
export type DebugLog = (message: string, attrs: [string, string][]) => void;

/** `helm PLUGIN args…`: run a cli/v1 plugin on our terminal; a non-zero exit is a PluginExitError. */
export async function runCliPlugin(
  plugin: Plugin,
  args: readonly string[],
  env: Env,
  debug: DebugLog = () => {},
): Promise<void> {
  const { main, args: argv } = preparePluginCommand(plugin, args, env);
  debug("executing plugin command", [
    ["pluginName", plugin.name],
    ["command", [main, ...argv].join(" ")],
  ]);
  const { code } = await spawnCommand(main, argv, env, { captureStdout: false });
  if (code !== 0) {
    debug("plugin execution failed", [
      ["pluginName", plugin.name],
      ["error", `exit status ${code}`],
      ["exitCode", String(code)],
      ["stderr", ""],
    ]);
    throw new PluginExitError(plugin.name, code);
  }
}

/** Run a plugin with extra arguments and stdin; resolves to its stdout (post-renderers). */
export async function runPlugin(
  plugin: Plugin,
  pluginPaths: string,
  extraArgs: readonly string[],
  stdin: string,
) {
  const env = { ...pluginEnv(plugin), HELM_PLUGINS: pluginPaths };
  const { main, args } = preparePluginCommand(plugin, extraArgs, env);
  const { code, stdout } = await spawnCommand(main, args, env, { stdin, captureStdout: true });
  if (code !== 0) throw new PluginExitError(plugin.name, code);
  return stdout.toString("utf8");
}

/** Run the plugin's hook for `event` (install, update, delete), if it has one. */
export async function runHook(plugin: Plugin, event: string, env: Env): Promise<void> {
  const cmds = plugin.hooks[event] ?? [];
  if (cmds.length === 0) return;
  const hookEnv = { ...env, HELM_PLUGIN_NAME: plugin.name, HELM_PLUGIN_DIR: plugin.dir };
  const { main, args } = prepareCommand(cmds, plugin.expandHookArgs, [], hookEnv);
  const { code } = await spawnCommand(main, args, hookEnv, { captureStdout: false });
  if (code !== 0) throw new PluginError(`plugin ${event} hook for "${plugin.name}" exited with error`);
}

/** What a getter needs besides the URL: TLS files and credentials. */
export interface GetterOptions {
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  username?: string;
  password?: string;
  passCredentialsAll?: boolean;
}

/**
 * Fetch `url` with a getter plugin: its command for the URL's scheme, relative to the plugin
 * directory, given `certFile keyFile caFile URL`; the content is its stdout.
 */
export async function runGetter(
  plugin: Plugin,
  url: string,
  opts: GetterOptions,
  env: Env,
): Promise<Uint8Array> {
  const scheme = url.slice(0, url.indexOf(":"));
  const pc = plugin.protocolCommands.find((p) => p.protocols.includes(scheme));
  if (!pc) throw new PluginError(`no downloader found for protocol "${scheme}"`);
  const getterEnv = {
    ...env,
    HELM_PLUGIN_USERNAME: opts.username ?? "",
    HELM_PLUGIN_PASSWORD: opts.password ?? "",
    HELM_PLUGIN_PASS_CREDENTIALS_ALL: String(opts.passCredentialsAll ?? false),
  };
  let prepared: { main: string; args: string[] };
  try {
    prepared = prepareCommand(pc.commands, false, [], getterEnv);
  } catch (err) {
    throw new PluginError(`failed to prepare commands for protocol "${scheme}": ${(err as Error).message}`);
  }
  const args = [...prepared.args, opts.certFile ?? "", opts.keyFile ?? "", opts.caFile ?? "", url];
  const { code, stdout } = await spawnCommand(join(plugin.dir, prepared.main), args, getterEnv, {
    stdin: "",
    captureStdout: true,
  });
  if (code !== 0) throw new PluginExitError(plugin.name, code);
  return new Uint8Array(stdout);
}
