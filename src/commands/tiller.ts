/** `helm tiller`: the release server half of the binary (`helm tiller serve`). */
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, defineGroup } from "../cli/program.ts";

/** Register `helm tiller` and `helm tiller serve`. */
export function registerTiller(root: Command): void {
  const group = defineGroup(root, {
    use: "tiller",
    short: "run the Tiller release server (gRPC)",
    long: `Tiller is the release server: it renders charts and manages releases on behalf of clients
that connect over gRPC (helm --host). The same binary started as 'tiller' behaves as 'helm tiller'.`,
  });
  // Helm 2's tiller binary took its flags directly: `tiller --listen …` means `tiller serve --listen …`.
  defineCommand(group, {
    use: "serve",
    short: "start the Tiller gRPC server",
    args: { none: true },
    isDefault: true,
  })
    .option("--listen <string>", 'address:port to listen on (default ":44134")')
    .option("--probe-listen <string>", 'address:port for health probes (default ":44135")')
    .action(() => {
      throw new UserError("tiller serve is not implemented yet");
    });
}
