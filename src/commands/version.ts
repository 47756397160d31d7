/** `helm version`: print build information (`--short`, `--template`). */
import type { Command } from "@commander-js/extra-typings";
import { buildInfo } from "../cli/build-info.ts";
import { defineCommand, settingsOf } from "../cli/program.ts";
import { usesRemoteTiller } from "../cli/settings.ts";

const LONG = `Show the version for Helm.

This will print a representation the version of Helm.
The output will look something like this:

version.BuildInfo{Version:"v4.1.4+helmts.0.1.0", GitCommit:"fe51cd1e31e6a202cba7dead9552a6d418ded79a", GitTreeState:"clean", GoVersion:"bun1.4.5", KubeClientVersion:"v1.34", HelmTsVersion:"0.1.0"}

- Version is the Helm release whose behaviour this build matches, with helm-ts's own version as build metadata.
- GitCommit is the SHA for the commit that this version was built from.
- GitTreeState is "clean" if there are no local code changes when this binary was
  built, and "dirty" if the binary was built from locally modified code.
- GoVersion is the runtime this binary was built with (helm-ts is written in TypeScript).

When using the --template flag the following properties are available to use in
the template:

- .Version contains the semantic version of Helm
- .GitCommit is the git commit
- .GitTreeState is the state of the git tree when Helm was built
- .GoVersion contains the runtime version
- .KubeClientVersion contains the Kubernetes API version targeted
- .HelmTsVersion contains the helm-ts version

For example, --template='Version: {{.Version}}' outputs 'Version: v4.1.4+helmts.0.1.0'.`;

/** Register `helm version`. */
export function registerVersion(root: Command): void {
  const cmd = defineCommand(root, {
    use: "version",
    short: "print the helm version information",
    long: LONG,
    args: { none: true },
  })
    .option("--short", "print the version number")
    .option("--template <string>", "template for version string format");
  cmd.action(async (_args, opts) => {
    const info = buildInfo();
    if (opts.template !== undefined) {
      const { renderStructTemplate } = await import("../cli/struct-template.ts");
      process.stdout.write(renderStructTemplate(opts.template, "version.BuildInfo", { ...info }));
      return;
    }
    if (opts.short) {
      const commit = info.GitCommit ? `.g${info.GitCommit.slice(0, 7)}` : "";
      process.stdout.write(`${info.Version}${commit}\n`);
      return;
    }
    const fields = Object.entries(info)
      .map(([k, v]) => `${k}:${JSON.stringify(v)}`)
      .join(", ");
    process.stdout.write(`version.BuildInfo{${fields}}\n`);
    // With a remote Tiller, Helm 2 printed the server's version too.
    const settings = settingsOf(cmd);
    if (usesRemoteTiller(settings)) {
      const { remoteServerVersion } = await import("../cli/release-service.ts");
      const v = await remoteServerVersion(settings);
      process.stdout.write(
        `Server: &version.Version{SemVer:${JSON.stringify(v.sem_ver)}, GitCommit:${JSON.stringify(v.git_commit)}, GitTreeState:${JSON.stringify(v.git_tree_state)}}\n`,
      );
    }
  });
}
