/**
 * A port-forward to a pod through the API server: the `pods/portforward` subresource upgraded to
 * a WebSocket with the kubelet's `v4.channel.k8s.io` protocol (the API server passes it through to
 * the pod's kubelet). Every binary message starts with its channel byte: 0 carries the port's
 * data, 1 its error text; the kubelet opens each channel with the port number (uint16,
 * little-endian), which is not payload. The forward is offered as a loopback TCP listener on an
 * ephemeral port; each local connection gets a WebSocket of its own.
 */
import { createServer, type Socket } from "node:net";
import WebSocket from "ws";
import type { KubeConnection } from "./connection.ts";

const PROTOCOL = "v4.channel.k8s.io";
const DATA_CHANNEL = 0;
const ERROR_CHANNEL = 1;
/** Bytes of the port number that open each channel. */
const PORT_PREFIX = 2;

/** The pod and port to reach. */
export interface ForwardTarget {
  namespace: string;
  pod: string;
  port: number;
}

/** A running forward: connect to 127.0.0.1:localPort to reach the pod's port. */
export interface PortForward {
  localPort: number;
  /** What last went wrong on a forwarded connection (the kubelet's error channel, a refused tunnel). */
  lastError(): string | undefined;
  /** Stop listening and close every forwarded connection. */
  close(): void;
}

/** One WebSocket tunnel; data that arrives before a local socket is attached waits in `queued`. */
class Tunnel {
  private socket: Socket | undefined;
  private queued: Buffer[] = [];
  private readonly prefixLeft = [PORT_PREFIX, PORT_PREFIX];
  private errorText = "";

  constructor(
    readonly ws: WebSocket,
    private readonly onError: (message: string) => void,
  ) {
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => this.receive(toBuffer(data)));
    ws.on("close", () => {
      if (this.errorText) this.onError(this.errorText);
      this.socket?.end();
    });
    ws.on("error", (err) => {
      this.onError(err.message);
      this.socket?.destroy();
    });
  }

  private receive(frame: Buffer): void {
    const channel = frame[0];
    if (channel !== DATA_CHANNEL && channel !== ERROR_CHANNEL) return;
    let payload = frame.subarray(1);
    const skip = Math.min(this.prefixLeft[channel], payload.length);
    this.prefixLeft[channel] -= skip;
    payload = payload.subarray(skip);
    if (payload.length === 0) return;
    if (channel === ERROR_CHANNEL) this.errorText += payload.toString("utf8");
    else if (this.socket) this.socket.write(payload);
    else this.queued.push(payload);
  }

  /** Pipe this tunnel and a local connection into each other until either side closes. */
  attach(socket: Socket): void {
    if (socket.destroyed) {
      // The local side gave up while this tunnel was opening.
      this.ws.close();
      return;
    }
    this.socket = socket;
    for (const chunk of this.queued) socket.write(chunk);
    this.queued = [];
    if (this.ws.readyState !== WebSocket.OPEN) {
      socket.end();
      return;
    }
    socket.on("data", (chunk: Buffer) => this.ws.send(Buffer.concat([Buffer.of(DATA_CHANNEL), chunk])));
    socket.on("end", () => this.ws.close());
    socket.on("error", () => this.ws.terminate());
    socket.on("close", () => this.ws.close());
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The message of a refused upgrade: the API server's Status message when it sent one. */
function refusal(status: number, body: string): string {
  try {
    const s = JSON.parse(body) as { kind?: string; message?: string };
    if (s.kind === "Status" && s.message) return s.message;
  } catch {
    // not a Status object
  }
  const first = body.trim().split("\n")[0]?.slice(0, 200) ?? "";
  return `the API server answered HTTP ${status}${first ? `: ${first}` : ""}`;
}

/** Open one port-forward WebSocket; rejects with the server's reason, or after `timeoutMs`. */
async function openTunnel(
  conn: KubeConnection,
  target: ForwardTarget,
  timeoutMs: number,
  onError: (message: string) => void,
): Promise<Tunnel> {
  const url = new URL(
    `${conn.server}/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/portforward`,
  );
  url.searchParams.set("ports", String(target.port));
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  const base = await conn.requestOptions();
  const ws = new WebSocket(url, [PROTOCOL], {
    ...base,
    headers: {
      ...((base.headers as Record<string, string>) ?? {}),
      ...conn.headers,
      "User-Agent": "helm-ts",
    },
  });
  const where = `pod ${target.namespace}/${target.pod} port ${target.port}`;
  return new Promise<Tunnel>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on("error", () => {});
      ws.terminate();
      reject(new Error(`cannot forward to ${where}: ${message}`));
    };
    const timer = setTimeout(
      () => fail(`no answer through the API server within ${timeoutMs / 1000} s`),
      timeoutMs,
    );
    ws.once("open", () => {
      clearTimeout(timer);
      ws.removeAllListeners();
      resolve(new Tunnel(ws, onError));
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        if (body.length < 64 * 1024) body += d;
      });
      res.on("end", () => fail(refusal(res.statusCode ?? 0, body)));
      res.on("error", (err) => fail(err.message));
    });
    ws.once("error", (err) => fail(err.message));
  });
}

/**
 * Forward a loopback port to `target`. The first tunnel is opened before this resolves, so a
 * refused or unreachable forward is reported here (not as a broken connection later); it serves
 * the first local connection.
 */
export async function forwardPort(
  conn: KubeConnection,
  target: ForwardTarget,
  timeoutMs: number,
): Promise<PortForward> {
  let lastError: string | undefined;
  const onError = (message: string) => {
    lastError = message;
  };
  let spare: Tunnel | undefined = await openTunnel(conn, target, timeoutMs, onError);
  const tunnels = new Set<Tunnel>([spare]);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const ready = spare ? Promise.resolve(spare) : openTunnel(conn, target, timeoutMs, onError);
    spare = undefined;
    ready.then(
      (tunnel) => {
        tunnels.add(tunnel);
        tunnel.ws.on("close", () => tunnels.delete(tunnel));
        tunnel.attach(socket);
      },
      (err: Error) => {
        onError(err.message);
        socket.destroy();
      },
    );
  });
  const localPort = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : 0);
    });
  });
  return {
    localPort,
    lastError: () => lastError,
    close() {
      server.close();
      for (const t of tunnels) t.ws.terminate();
      for (const s of sockets) s.destroy();
    },
  };
}
