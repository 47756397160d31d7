/** `helm init` / `helm reset`: install or remove Tiller in a cluster (Helm 2's commands). */
import { readFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import { buildInfo } from "../cli/build-info.ts";
import { UserError } from "../cli/errors.ts";
import { defineCommand, intFlag, settingsOf } from "../cli/program.ts";
import { kubeFlags } from "../cli/release-service.ts";

/** The container image `helm init` deploys unless `--tiller-image` says otherwise. */
export const DEFAULT_TILLER_IMAGE = `ghcr.io/helm-ts/helm-ts:${buildInfo().Version.replace(/^v4\.1\.4\+helmts\./, "v")}`;

function read(path: string | undefined, flag: string): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new UserError(`cannot read ${flag} ${path}: ${(err as Error).message}`);
  }
}

export function registerInit(root: Command): void {
  const init = defineCommand(root, {
    use: "init",
    short: "install Tiller (the release server) into the cluster",
    long: `This command installs Tiller (the release server) into the Kubernetes cluster in the
kubeconfig: a ServiceAccount, a least-privilege ClusterRole (review tokens, impersonate callers —
every operation runs with the caller's own rights) and its binding, a Deployment with probes and
resource limits, and a Service. Use --dry-run -o yaml to see the manifests instead.`,
    args: { none: true },
  })
    .option("--service-account <string>", "name of the service account for Tiller", "tiller")
    .option("--replicas <int>", "number of Tiller replicas", intFlag("--replicas"), 1)
    .option("-i, --tiller-image <string>", "override Tiller image", DEFAULT_TILLER_IMAGE)
    .option(
      "--history-max <int>",
      "limit the maximum number of revisions saved per release",
      intFlag("--history-max"),
      10,
    )
    .option("--tiller-tls", "serve with TLS")
    .option("--tiller-tls-cert <string>", "path to the TLS certificate file to install with Tiller")
    .option("--tiller-tls-key <string>", "path to the TLS key file to install with Tiller")
    .option("--tiller-tls-verify", "verify client certificates (mTLS); needs --tls-ca-cert")
    .option("--tls-ca-cert <string>", "path to the CA that signs client certificates")
    .option("--insecure", "run Tiller without TLS and without required authentication (not recommended)")
    .option("--upgrade", "upgrade Tiller if it is already installed")
    .option("--dry-run", "do not install, print the manifests")
    .option("-o, --output <format>", "with --dry-run: yaml or json", "yaml");
  init.action(async (_args, opts) => {
    const settings = settingsOf(init);
    const tls = opts.tillerTls || opts.tillerTlsVerify;
    if (!tls && !opts.insecure) {
      throw new UserError(
        "helm init needs --tiller-tls (with --tiller-tls-cert and --tiller-tls-key), or --insecure",
      );
    }
    if (tls && (!opts.tillerTlsCert || !opts.tillerTlsKey)) {
      throw new UserError("--tiller-tls needs --tiller-tls-cert and --tiller-tls-key");
    }
    if (opts.tillerTlsVerify && !opts.tlsCaCert)
      throw new UserError("--tiller-tls-verify needs --tls-ca-cert");
    const { tillerManifests } = await import("../tiller/install/manifests.ts");
    const manifests = tillerManifests({
      namespace: settings.tillerNamespace,
      serviceAccount: opts.serviceAccount,
      replicas: opts.replicas,
      image: opts.tillerImage,
      historyMax: opts.historyMax,
      tls: tls
        ? {
            cert: read(opts.tillerTlsCert, "--tiller-tls-cert")!,
            key: read(opts.tillerTlsKey, "--tiller-tls-key")!,
            ca: opts.tillerTlsVerify ? read(opts.tlsCaCert, "--tls-ca-cert") : undefined,
          }
        : undefined,
      insecure: opts.insecure === true,
    });
    if (opts.dryRun) {
      if (opts.output === "json") process.stdout.write(`${JSON.stringify(manifests, null, 2)}\n`);
      else if (opts.output === "yaml") {
        const { stringify } = await import("yaml");
        process.stdout.write(manifests.map((m) => `---\n${stringify(m)}`).join(""));
      } else throw new UserError(`unknown output format "${opts.output}": use yaml or json`);
      return;
    }
    const { KubeClient } = await import("../tiller/kube/client.ts");
    const kube = await KubeClient.create(kubeFlags(settings), settings.tillerNamespace);
    const deployment = manifests.find((m) => m.kind === "Deployment")!;
    if (!opts.upgrade && (await kube.get({ ...deployment, name: deployment.metadata.name }))) {
      process.stdout.write(
        "Warning: Tiller is already installed in the cluster.\n(Use --upgrade to upgrade Tiller to the current version.)\n",
      );
      return;
    }
    for (const m of manifests) await kube.apply(m, { fieldManager: "helm", force: true });
    process.stdout.write(
      `Tiller (the Helm server-side component) has been ${opts.upgrade ? "upgraded" : "installed"} into your Kubernetes Cluster (namespace ${settings.tillerNamespace}).\n`,
    );
  });

  const reset = defineCommand(root, {
    use: "reset",
    short: "uninstall Tiller from the cluster",
    long: "This command removes the objects `helm init` created (release records are kept).",
    args: { none: true },
  })
    .option("--service-account <string>", "name of the service account for Tiller", "tiller")
    .option("-f, --force", "accepted for Helm 2 compatibility (releases are never deleted by reset)");
  reset.action(async (_args, opts) => {
    const settings = settingsOf(reset);
    const { tillerManifests } = await import("../tiller/install/manifests.ts");
    const manifests = tillerManifests({
      namespace: settings.tillerNamespace,
      serviceAccount: opts.serviceAccount,
      replicas: 1,
      image: "",
      historyMax: 0,
      tls: { cert: "", key: "" },
      insecure: false,
    });
    const { KubeClient } = await import("../tiller/kube/client.ts");
    const kube = await KubeClient.create(kubeFlags(settings), settings.tillerNamespace);
    for (const m of [...manifests].reverse()) {
      await kube.delete({
        apiVersion: m.apiVersion,
        kind: m.kind,
        name: m.metadata.name,
        namespace: m.metadata.namespace,
      });
    }
    process.stdout.write(
      "Tiller (the Helm server-side component) has been uninstalled from your Kubernetes Cluster.\n",
    );
  });
}
