/**
 * forwardPort against a stand-in API server (plain HTTP + WebSocket on loopback): the request it
 * makes, the channel framing both ways (port prefixes stripped even when split across frames),
 * the error channel, refusals and timeouts.
 */
import { afterEach, expect, test } from "bun:test";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { KubeConnection } from "../../../src/tiller/kube/connection.ts";
import { forwardPort, type PortForward } from "../../../src/tiller/kube/port-forward.ts";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

type Handler = (ws: WebSocket, req: IncomingMessage) => void;

/** A server that upgrades every request (or answers `refuse`) and runs `onSocket` on each tunnel. */
async function apiServer(
  onSocket: Handler,
  refuse?: { status: number; body: string },
): Promise<KubeConnection> {
  const server: Server = createServer();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => "v4.channel.k8s.io" });
  server.on("upgrade", (req, socket, head) => {
    if (refuse) {
      socket.end(`HTTP/1.1 ${refuse.status} No\r\nContent-Type: application/json\r\n\r\n${refuse.body}`);
      return;
    }
    if (req.url?.includes("hang")) return;
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, req));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => {
    for (const ws of wss.clients) ws.terminate();
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as { port: number }).port;
  return {
    server: `http://127.0.0.1:${port}`,
    contextName: "test",
    defaultNamespace: "default",
    headers: { Authorization: "Bearer t0k" },
    qps: 0,
    burst: 100,
    requestOptions: async () => ({}),
  };
}

/** Send `data` through a local connection; resolves with everything that comes back until close. */
function exchange(forward: PortForward, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(forward.localPort, "127.0.0.1", () => s.write(data));
    let got = "";
    s.on("data", (d) => {
      got += d.toString();
    });
    s.on("close", () => resolve(got));
    s.on("error", reject);
  });
}

test("requests pods/portforward with the port and credentials; strips port prefixes; carries data both ways", async () => {
  let seen: IncomingMessage | undefined;
  const conn = await apiServer((ws, req) => {
    seen = req;
    // The port prefix arrives split over two frames on the data channel, whole on the error channel.
    ws.send(Buffer.of(0, 0x36));
    ws.send(Buffer.of(0, 0xaf, ...Buffer.from("hello ")));
    ws.send(Buffer.of(1, 0x36, 0xaf));
    ws.on("message", (m: Buffer) => {
      expect(m[0]).toBe(0);
      ws.send(Buffer.concat([Buffer.of(0), Buffer.from(m.subarray(1).toString().toUpperCase())]));
      ws.close();
    });
  });
  const forward = await forwardPort(conn, { namespace: "kube-system", pod: "tiller-1", port: 44134 }, 5000);
  closers.push(() => forward.close());
  expect(await exchange(forward, "world")).toBe("hello WORLD");
  expect(seen?.url).toBe("/api/v1/namespaces/kube-system/pods/tiller-1/portforward?ports=44134");
  expect(seen?.headers.authorization).toBe("Bearer t0k");
  expect(seen?.headers["sec-websocket-protocol"]).toBe("v4.channel.k8s.io");
  expect(forward.lastError()).toBeUndefined();
});

test("each local connection gets its own tunnel; the error channel's text is kept", async () => {
  let tunnels = 0;
  const conn = await apiServer((ws) => {
    tunnels++;
    ws.send(Buffer.of(0, 1, 0));
    ws.send(Buffer.of(1, 1, 0, ...Buffer.from(`refused #${tunnels}`)));
    ws.close();
  });
  const forward = await forwardPort(conn, { namespace: "ns", pod: "p", port: 1 }, 5000);
  closers.push(() => forward.close());
  expect(await exchange(forward, "x")).toBe("");
  expect(await exchange(forward, "y")).toBe("");
  expect(tunnels).toBe(2);
  expect(forward.lastError()).toBe("refused #2");
});

test("a refused upgrade reports the API server's Status message", async () => {
  const status = {
    kind: "Status",
    message: 'pods "p" is forbidden: User "alice" cannot get resource "pods/portforward"',
  };
  const conn = await apiServer(() => {}, { status: 403, body: JSON.stringify(status) });
  await expect(forwardPort(conn, { namespace: "ns", pod: "p", port: 44134 }, 5000)).rejects.toThrow(
    `cannot forward to pod ns/p port 44134: ${status.message}`,
  );
});

test("no answer within the timeout is an error naming the limit", async () => {
  const conn = await apiServer(() => {});
  const t0 = Date.now();
  await expect(forwardPort(conn, { namespace: "ns", pod: "hang", port: 44134 }, 300)).rejects.toThrow(
    "cannot forward to pod ns/hang port 44134: no answer through the API server within 0.3 s",
  );
  expect(Date.now() - t0).toBeLessThan(3000);
});
