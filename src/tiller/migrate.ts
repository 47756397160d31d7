/**
 * `helm migrate`: convert the releases a Helm 2 Tiller stored into Helm 3/4 release records in each
 * release's namespace (the format real Helm 3/4 reads), optionally deleting the Helm 2 records.
 * Revisions already converted are left as they are.
 */
import type { KubeClient } from "./kube/client.ts";
import { ReleaseExistsError, releaseKey } from "./storage/driver.ts";
import { type Helm2Record, readHelm2Records } from "./storage/helm2.ts";

export interface MigrateOptions {
  tillerNamespace: string;
  /** Only these releases (all when empty). */
  names: string[];
  dryRun: boolean;
  deleteV2: boolean;
  driver: "secret" | "configmap";
}

export interface MigrateResult {
  record: Helm2Record;
  outcome: "converted" | "already converted" | "would convert";
}

export async function migrateHelm2(kube: KubeClient, opts: MigrateOptions): Promise<MigrateResult[]> {
  const records = (await readHelm2Records(kube, opts.tillerNamespace)).filter(
    (r) => opts.names.length === 0 || opts.names.includes(r.release.name),
  );
  const results: MigrateResult[] = [];
  for (const record of records) {
    if (opts.dryRun) {
      results.push({ record, outcome: "would convert" });
      continue;
    }
    const rls = record.release;
    const ns = rls.namespace || "default";
    const { secretsDriver } = await import("./storage/secrets.ts");
    const { configMapsDriver } = await import("./storage/configmaps.ts");
    const driver = (opts.driver === "configmap" ? configMapsDriver : secretsDriver)(kube.inNamespace(ns), ns);
    let outcome: MigrateResult["outcome"] = "converted";
    try {
      await driver.create(releaseKey(rls.name, rls.version), { ...rls, namespace: ns });
    } catch (err) {
      if (!(err instanceof ReleaseExistsError)) throw err;
      outcome = "already converted";
    }
    if (opts.deleteV2) {
      await kube.delete({
        apiVersion: "v1",
        kind: record.kind,
        name: record.objectName,
        namespace: opts.tillerNamespace,
      });
    }
    results.push({ record, outcome });
  }
  return results;
}
