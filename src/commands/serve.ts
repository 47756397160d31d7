/** `helm serve` (Helm 2): serve a directory of packaged charts as a chart repository. */
import { join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { defineCommand, settingsOf } from "../cli/program.ts";

const LONG = `
This command starts a local chart repository server that serves charts from a local directory.

The new server will provide HTTP access to a repository. By default, it will
scan all of the charts in '$HELM_DATA_HOME/repository/local' and serve those over
the local IPv4 TCP port (default '127.0.0.1:8879').

This command is intended to be used for educational and testing purposes only.
It is best to rely on a dedicated web server or a cloud-hosted solution like
Google Cloud Storage for production use.

helm-ts: the index is regenerated whenever the directory's chart archives change
(Helm 2 indexed them only at start).
`;

/** Register `helm serve`. */
export function registerServe(root: Command): void {
  const cmd = defineCommand(root, {
    use: "serve",
    short: "start a local http web server",
    long: LONG,
    args: { none: true },
  })
    .option("--address <string>", 'address to listen on (default "127.0.0.1:8879")')
    .option("--repo-path <string>", "local directory path from which to serve charts")
    .option("--url <string>", "external URL of chart repository");
  cmd.action(async (_args, opts) => {
    const settings = settingsOf(cmd);
    const { serveRepository } = await import("../repo/serve.ts");
    const server = await serveRepository({
      repoPath: opts.repoPath || join(settings.dataHome, "repository", "local"),
      address: opts.address ?? "127.0.0.1:8879",
      url: opts.url,
      log: (text) => process.stdout.write(text),
    });
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        server.close().then(done);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  });
}
