/** `helm migrate [RELEASE...]`: show and convert releases stored by a Helm 2 Tiller. */
import type { Command } from "@commander-js/extra-typings";
import { UserError } from "../cli/errors.ts";
import { defineCommand, settingsOf } from "../cli/program.ts";
import { kubeFlags } from "../cli/release-service.ts";

export function registerMigrate(root: Command): void {
  const cmd = defineCommand(root, {
    use: "migrate [RELEASE...]",
    short: "convert releases stored by a Helm 2 Tiller into Helm 3/4 releases",
    long: `Reads the release records a Helm 2 Tiller kept in its namespace (ConfigMaps or Secrets labelled
OWNER=TILLER, protobuf bodies) and writes each revision as a Helm 3/4 release record in the
release's own namespace, where helm (and real Helm 3/4) list, upgrade and roll them back.
With --dry-run, only lists what would be converted.`,
  })
    .option("--dry-run", "list the Helm 2 releases and revisions, convert nothing")
    .option("--delete-v2-releases", "delete each Helm 2 record once converted");
  cmd.action(async (names, opts) => {
    const settings = settingsOf(cmd);
    const driver =
      settings.driver === "configmap" || settings.driver === "configmaps" ? "configmap" : "secret";
    if (!["secret", "secrets", "configmap", "configmaps"].includes(settings.driver)) {
      throw new UserError(`helm migrate writes to the secret or configmap driver, not "${settings.driver}"`);
    }
    const { KubeClient } = await import("../tiller/kube/client.ts");
    const { migrateHelm2 } = await import("../tiller/migrate.ts");
    const kube = await KubeClient.create(kubeFlags(settings), settings.tillerNamespace);
    const results = await migrateHelm2(kube, {
      tillerNamespace: settings.tillerNamespace,
      names: names as string[],
      dryRun: opts.dryRun === true,
      deleteV2: opts.deleteV2Releases === true,
      driver,
    });
    if (results.length === 0) {
      process.stdout.write(`no Helm 2 releases found in namespace ${settings.tillerNamespace}\n`);
      return;
    }
    for (const { record, outcome } of results) {
      const r = record.release;
      process.stdout.write(
        `${r.name}\trevision ${r.version}\tnamespace ${r.namespace}\t${r.info.status}\t${String(r.chart.metadata.name)}-${String(r.chart.metadata.version)}\t${outcome}\n`,
      );
    }
  });
}
