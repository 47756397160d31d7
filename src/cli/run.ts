/** Run one command line and turn failures into Helm's `Error: …` output and exit status. */
import { CommanderError } from "@commander-js/extra-typings";
import { completeCommandLine, registerCompletion } from "../commands/completion.ts";
import { registerCreate } from "../commands/create.ts";
import { registerDependency } from "../commands/dependency.ts";
import { registerDiff } from "../commands/diff.ts";
import { registerEnv } from "../commands/env.ts";
import { registerGet } from "../commands/get.ts";
import { registerHistory } from "../commands/history.ts";
import { registerInit } from "../commands/init.ts";
import { registerInstall } from "../commands/install.ts";
import { registerLint } from "../commands/lint.ts";
import { registerList } from "../commands/list.ts";
import { registerMigrate } from "../commands/migrate.ts";
import { registerPackage } from "../commands/package.ts";
import { registerPlugin } from "../commands/plugin.ts";
import { registerPull } from "../commands/pull.ts";
import { registerPush } from "../commands/push.ts";
import { registerRegistry } from "../commands/registry.ts";
import { registerRepo } from "../commands/repo.ts";
import { registerRollback } from "../commands/rollback.ts";
import { registerSearch } from "../commands/search.ts";
import { registerServe } from "../commands/serve.ts";
import { registerShow } from "../commands/show.ts";
import { registerStatus } from "../commands/status.ts";
import { registerTemplate } from "../commands/template.ts";
import { registerTest } from "../commands/test.ts";
import { registerTiller } from "../commands/tiller.ts";
import { registerUninstall } from "../commands/uninstall.ts";
import { registerUpgrade } from "../commands/upgrade.ts";
import { registerVerify } from "../commands/verify.ts";
import { registerVersion } from "../commands/version.ts";
import { DriverInitError } from "../tiller/storage/driver.ts";
import { ColorModeError } from "./color.ts";
import { runCommandEndHooks } from "./command-end.ts";
import { ExitStatus, UserError } from "./errors.ts";
import { logToStderr } from "./log.ts";
import { registerPlugins, runPluginCommand } from "./plugin-commands.ts";
import { commandPath, createRootCommand, helmUsageError } from "./program.ts";

/** Build the full command tree. */
export function buildCli() {
  const root = createRootCommand();
  registerCompletion(root);
  registerCreate(root);
  registerDependency(root);
  registerDiff(root);
  registerEnv(root);
  registerGet(root);
  registerHistory(root);
  registerInit(root);
  registerInstall(root);
  registerLint(root);
  registerList(root);
  registerMigrate(root);
  registerPackage(root);
  registerPlugin(root);
  registerPull(root);
  registerPush(root);
  registerRegistry(root);
  registerRepo(root);
  registerRollback(root);
  registerSearch(root);
  registerServe(root);
  registerShow(root);
  registerStatus(root);
  registerTemplate(root);
  registerTest(root);
  registerTiller(root);
  registerUninstall(root);
  registerUpgrade(root);
  registerVerify(root);
  registerVersion(root);
  return root;
}

/** The command tree with the installed plugins' commands added (after the built-ins, which win). */
function buildCliWithPlugins() {
  const root = buildCli();
  return { root, plugins: registerPlugins(root) };
}

/** Execute `args` (without the program name); resolves to the exit status. */
export async function run(args: string[]): Promise<number> {
  const { root, plugins } = buildCliWithPlugins();
  if (args[0] === "__complete") {
    await completeCommandLine(root, args.slice(1));
    return 0;
  }
  let current = root;
  // Remember the deepest command reached, so usage errors can name it as cobra does.
  root.hook("preSubcommand", (_cmd, sub) => {
    current = sub as typeof root;
  });
  try {
    const pluginStatus = await runPluginCommand(root, plugins, args);
    if (pluginStatus !== undefined) return pluginStatus;
    await root.parseAsync(args, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.help" ||
        err.code === "commander.version"
      ) {
        return 0;
      }
      return report(helmUsageError(err.code, err.message, commandPath(current), args));
    }
    return report(err);
  } finally {
    runCommandEndHooks();
  }
}

function report(err: unknown): number {
  if (err instanceof ExitStatus) return err.exitCode;
  if (err instanceof DriverInitError) {
    logToStderr("INFO", err.message);
    return 1;
  }
  if (err instanceof ColorModeError) {
    logToStderr("WARN", "command failed", [["error", err.message]]);
    return 1;
  }
  if (err instanceof UserError) {
    process.stderr.write(`Error: ${err.message}\n${err.detail ? `${err.detail}\n` : ""}`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`Error: ${message}\n`);
  if (process.env.HELM_DEBUG === "true" && err instanceof Error && err.stack)
    process.stderr.write(`${err.stack}\n`);
  return 1;
}
