/** `helm env`: print the client's environment as Helm does (`KEY="value"`), or one variable. */
import type { Command } from "@commander-js/extra-typings";
import { defineCommand, settingsOf } from "../cli/program.ts";
import { envVars } from "../cli/settings.ts";

/** Register `helm env`. */
export function registerEnv(root: Command): void {
  const cmd = defineCommand(root, {
    use: "env",
    short: "helm client environment information",
    long: "Env prints out all the environment information in use by Helm.",
    args: { max: 1 },
  });
  cmd.action((args) => {
    const vars = envVars(settingsOf(cmd), process.execPath);
    if (args.length === 1) {
      const found = vars.find(([k]) => k === args[0]);
      process.stdout.write(`${found?.[1] ?? ""}\n`);
      return;
    }
    process.stdout.write(vars.map(([k, v]) => `${k}=${JSON.stringify(v)}\n`).join(""));
  });
}
