/**
 * Running a plugin as a subprocess: the platform's command with `$VAR`s expanded, Helm's plugin
 * variables in the environment, input on stdin, output collected from stdout.
 */
import { spawn } from "node:child_process";
import { type PlatformCommand, type Plugin, PluginError } from "./plugins.ts";

/** Go's GOOS/GOARCH names for this platform, which `platformCommand` entries use. */
const GOOS: Record<string, string> = { win32: "windows" };
const GOARCH: Record<string, string> = { x64: "amd64", ia32: "386" };

/** The command for this OS and architecture: exact match first, then OS only, then any. */
export function platformCommand(plugin: Plugin): PlatformCommand {
  const os = GOOS[process.platform] ?? process.platform;
  const arch = GOARCH[process.arch] ?? process.arch;
  const pick =
    plugin.commands.find((c) => c.os === os && c.arch === arch) ??
    plugin.commands.find((c) => c.os === os && !c.arch) ??
    plugin.commands.find((c) => !c.os && !c.arch);
  if (!pick || pick.command === "") {
    throw new PluginError(`plugin "${plugin.name}" has no command for ${os}/${arch}`);
  }
  return pick;
}

/** os.ExpandEnv: `$NAME` and `${NAME}`, unknown names as empty. */
export function expandEnv(s: string, env: Record<string, string | undefined>): string {
  return s.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_, braced, bare) => env[braced ?? bare] ?? "");
}

/** Run a plugin with extra arguments and stdin; resolves to its stdout. */
export function runPlugin(
  plugin: Plugin,
  pluginPaths: string,
  extraArgs: readonly string[],
  stdin: string,
): Promise<string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    HELM_PLUGIN_NAME: plugin.name,
    HELM_PLUGIN_DIR: plugin.dir,
    HELM_PLUGINS: pluginPaths,
  };
  const cmd = platformCommand(plugin);
  const argv = [...cmd.args.map((a) => expandEnv(a, env)), ...extraArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(expandEnv(cmd.command, env), argv, { env, stdio: ["pipe", "pipe", "inherit"] });
    const out: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.on("error", (err) =>
      reject(new PluginError(`failed to start plugin "${plugin.name}": ${err.message}`)),
    );
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new PluginError(`plugin "${plugin.name}" exited with error`));
    });
    child.stdin.on("error", () => {}); // a plugin that ignores its input closes the pipe early
    child.stdin.end(stdin);
  });
}
