/**
 * The fake kubelet's Node and its port-forward endpoint, so `pods/portforward` through the real API
 * server works for Pods that opt in. The Node (`FAKE_NODE_NAME`, InternalIP 127.0.0.1, kubelet port
 * = our HTTPS listener) carries a NoSchedule taint, so DaemonSets never place Pods on it; nothing
 * else binds Pods to it (there is no scheduler). A test binds a Pod by creating it with
 * `spec.nodeName: FAKE_NODE_NAME` and names the loopback address its port-forward reaches in the
 * annotation `FORWARD_TO_ANNOTATION` (`127.0.0.1:PORT`), whatever port the client asks for.
 * `FORWARD_HANG_ANNOTATION: "true"` makes the kubelet never answer (for client timeouts).
 *
 * Only the kubelet's WebSocket form is served (`GET /portForward/NS/POD?port=N`, subprotocol
 * `v4.channel.k8s.io`: channel 0 data, 1 errors, each opened with the port as uint16
 * little-endian). The API server does not verify kubelet certificates here (no
 * `--kubelet-certificate-authority`), so the API server's own serving certificate is reused.
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { connect } from "node:net";
import { WebSocketServer } from "ws";
import { type KubeEndpoint, kubeRequest } from "./kube-http.ts";

export const FAKE_NODE_NAME = "helm-ts-fake-node";
export const FORWARD_TO_ANNOTATION = "helm-ts.test/forward-to";
export const FORWARD_HANG_ANNOTATION = "helm-ts.test/forward-hang";
const PROTOCOL = "v4.channel.k8s.io";

interface PodMeta {
  metadata: { annotations?: Record<string, string> };
}

/** Serve port-forwards on a free port and register (or update) the Node that points at it. */
export async function startFakeNode(
  ep: KubeEndpoint,
  tls: { certFile: string; key: string },
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  const server = createHttpsServer(
    { cert: readFileSync(tls.certFile), key: readFileSync(tls.key) },
    (req, res) => {
      log(`kubelet: ${req.method} ${req.url}: not served`);
      res.writeHead(404).end("not served by the fake kubelet\n");
    },
  );
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
  });
  server.on("upgrade", (req, socket, head) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "https://kubelet");
      const m = /^\/portForward\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      const port = Number(url.searchParams.get("port") ?? url.searchParams.get("ports") ?? "0");
      const refuse = (code: number, why: string) => {
        log(`kubelet: ${url.pathname}: ${why}`);
        socket.end(`HTTP/1.1 ${code} Refused\r\nContent-Type: text/plain\r\n\r\n${why}\n`);
      };
      if (!m) return refuse(404, "only /portForward/NS/POD is served");
      const [namespace, pod] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
      const res = await kubeRequest(
        ep,
        "GET",
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`,
      );
      if (res.status !== 200) return refuse(404, `pod ${namespace}/${pod}: HTTP ${res.status}`);
      const annotations = (JSON.parse(res.body) as PodMeta).metadata.annotations ?? {};
      if (annotations[FORWARD_HANG_ANNOTATION] === "true") {
        log(`kubelet: ${namespace}/${pod}: hanging as asked`);
        return;
      }
      const target = annotations[FORWARD_TO_ANNOTATION];
      if (!target) return refuse(400, `pod ${namespace}/${pod} has no ${FORWARD_TO_ANNOTATION} annotation`);
      wss.handleUpgrade(req, socket, head, (ws) => {
        log(`kubelet: forwarding ${namespace}/${pod} port ${port} to ${target}`);
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16LE(port);
        ws.send(Buffer.concat([Buffer.of(0), prefix]));
        ws.send(Buffer.concat([Buffer.of(1), prefix]));
        const [host, targetPort] = [
          target.slice(0, target.lastIndexOf(":")),
          target.slice(target.lastIndexOf(":") + 1),
        ];
        const tcp = connect(Number(targetPort), host);
        tcp.on("data", (chunk: Buffer) => ws.send(Buffer.concat([Buffer.of(0), chunk])));
        tcp.on("error", (err) => {
          ws.send(
            Buffer.concat([
              Buffer.of(1),
              Buffer.from(`error forwarding port ${port} to pod ${pod}: ${err.message}`),
            ]),
          );
          ws.close();
        });
        tcp.on("close", () => ws.close());
        ws.on("message", (data: Buffer) => {
          if (data[0] === 0) tcp.write(data.subarray(1));
        });
        ws.on("close", () => tcp.end());
      });
    })().catch((err) => log(`kubelet: upgrade failed: ${String(err)}`));
  });
  const kubeletPort = await new Promise<number>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : 0);
    });
  });
  await registerNode(ep, kubeletPort);
  log(`fake-node: ${FAKE_NODE_NAME} serves port-forwards on 127.0.0.1:${kubeletPort}`);
  return () =>
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

async function registerNode(ep: KubeEndpoint, kubeletPort: number): Promise<void> {
  const created = await kubeRequest(ep, "POST", "/api/v1/nodes", {
    body: {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: FAKE_NODE_NAME },
      spec: { taints: [{ key: "helm-ts.test/fake-node", value: "true", effect: "NoSchedule" }] },
    },
  });
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`create node: HTTP ${created.status} ${created.body}`);
  const patched = await kubeRequest(ep, "PATCH", `/api/v1/nodes/${FAKE_NODE_NAME}/status`, {
    contentType: "application/merge-patch+json",
    body: {
      status: {
        addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
        daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      },
    },
  });
  if (patched.status !== 200) throw new Error(`node status: HTTP ${patched.status} ${patched.body}`);
}
