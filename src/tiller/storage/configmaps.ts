/** The `configmap` driver: records are ConfigMaps whose `data.release` is the encoded body. */
import type { KubeClient, KubeObject } from "../kube/client.ts";
import { KubeRecordDriver } from "./kube-records.ts";

export function configMapsDriver(kube: KubeClient, namespace: string): KubeRecordDriver {
  return new KubeRecordDriver(kube, namespace, {
    driverName: "ConfigMap",
    kind: "ConfigMap",
    body: (encoded) => ({ data: { release: encoded } }),
    encoded: (obj: KubeObject) => ((obj.data ?? {}) as Record<string, string>).release,
  });
}
