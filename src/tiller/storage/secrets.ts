/** The `secret` driver (Helm's default): records are Secrets of type `helm.sh/release.v1`. */
import type { KubeClient, KubeObject } from "../kube/client.ts";
import { KubeRecordDriver } from "./kube-records.ts";

/** Secrets base64 their data once more: `data.release` is base64 of the base64(gzip(JSON)) text. */
export function secretsDriver(kube: KubeClient, namespace: string): KubeRecordDriver {
  return new KubeRecordDriver(kube, namespace, {
    driverName: "Secret",
    kind: "Secret",
    body: (encoded) => ({
      type: "helm.sh/release.v1",
      data: { release: Buffer.from(encoded).toString("base64") },
    }),
    encoded: (obj: KubeObject) => {
      const data = (obj.data ?? {}) as Record<string, string>;
      return data.release === undefined ? undefined : Buffer.from(data.release, "base64").toString("utf8");
    },
  });
}
