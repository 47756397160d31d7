/**
 * How a client reaches a Tiller known only by its namespace, as Helm 2's client did: find a ready
 * Tiller pod (labels `app=helm,name=tiller`, the ones `helm init` sets) and port-forward a
 * loopback port to its gRPC port through the API server.
 */
import { connect, type KubeFlags } from "../kube/connection.ts";
import { forwardPort, type PortForward } from "../kube/port-forward.ts";
import { RestClient } from "../kube/rest.ts";

/** Tiller's gRPC port inside its pod. */
export const TILLER_PORT = 44134;
const TILLER_SELECTOR = "app=helm,name=tiller";

interface PodList {
  items: {
    metadata: { name: string };
    status?: { phase?: string; conditions?: { type: string; status: string }[] };
  }[];
}

/** The name of the first Running and Ready Tiller pod in `namespace` (Helm 2's choice and errors). */
export async function findTillerPod(rest: RestClient, namespace: string): Promise<string> {
  const list = await rest.request<PodList>({
    method: "GET",
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
    query: { labelSelector: TILLER_SELECTOR },
  });
  if (list.items.length === 0) throw new Error("could not find tiller");
  const ready = list.items.find(
    (p) =>
      p.status?.phase === "Running" &&
      (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
  );
  if (!ready) throw new Error("could not find a ready tiller pod");
  return ready.metadata.name;
}

/** A forward to a Tiller pod, and the pod it reaches. */
export interface TillerTunnel extends PortForward {
  pod: string;
}

/** A loopback forward to the Tiller pod in `namespace`; `timeoutMs` bounds each tunnel's opening. */
export async function tunnelToTiller(
  flags: KubeFlags,
  namespace: string,
  timeoutMs: number,
): Promise<TillerTunnel> {
  const conn = await connect(flags);
  const rest = new RestClient(conn);
  try {
    const pod = await findTillerPod(rest, namespace);
    const forward = await forwardPort(conn, { namespace, pod, port: TILLER_PORT }, timeoutMs);
    return { ...forward, pod };
  } finally {
    rest.close();
  }
}
