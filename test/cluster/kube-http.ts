/**
 * A tiny Kubernetes REST client for the test control plane: bearer token, the API server's own CA
 * (or no verification while the CA file does not exist yet), JSON bodies, and list+watch.
 * Test code only; product code has its own client in src/tiller/kube.
 */
import http from "node:http";
import https from "node:https";

export interface KubeEndpoint {
  /** `https://127.0.0.1:PORT` */
  server: string;
  token: string;
  /** PEM of the serving CA; absent = do not verify (only before the API server wrote its cert). */
  ca?: string;
}

export interface KubeResponse {
  status: number;
  body: string;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
  /** Override the endpoint's token ("" = anonymous). */
  token?: string;
}

/** Any JSON object from the API. */
export type Json = Record<string, unknown>;

/** One HTTP(S) request against the API server (or an etcd/controller-manager health URL). */
export function kubeRequest(
  ep: KubeEndpoint,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<KubeResponse> {
  const url = new URL(path, ep.server);
  const payload =
    opts.body === undefined
      ? undefined
      : typeof opts.body === "string"
        ? opts.body
        : JSON.stringify(opts.body);
  const token = opts.token ?? ep.token;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    headers["Content-Type"] = opts.contentType ?? "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  }
  const mod = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        agent: false,
        ...(url.protocol === "https:" ? (ep.ca ? { ca: ep.ca } : { rejectUnauthorized: false }) : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Like kubeRequest, but parse JSON and throw on a non-2xx status (the message names the request). */
export async function kubeJson<T = Json>(
  ep: KubeEndpoint,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<T> {
  const res = await kubeRequest(ep, method, path, opts);
  if (res.status < 200 || res.status > 299) {
    throw new KubeHttpError(method, path, res.status, res.body);
  }
  return JSON.parse(res.body) as T;
}

export class KubeHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path}: HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: Json;
}

/**
 * List then watch a collection (`/api/v1/pods`), forever, until `signal` aborts. `onEvent` sees
 * every listed item as ADDED, then the watch events. Reconnects after stream ends or errors and
 * relists when the resourceVersion expired (410).
 */
export async function listWatch(
  ep: KubeEndpoint,
  collectionPath: string,
  onEvent: (ev: WatchEvent) => void | Promise<void>,
  signal: AbortSignal,
  onError: (err: unknown) => void = () => {},
): Promise<void> {
  let rv = "";
  while (!signal.aborted) {
    try {
      if (!rv) {
        const list = await kubeJson<{ metadata: { resourceVersion: string }; items: Json[] }>(
          ep,
          "GET",
          collectionPath,
        );
        rv = list.metadata.resourceVersion;
        for (const item of list.items) await onEvent({ type: "ADDED", object: item });
      }
      const sep = collectionPath.includes("?") ? "&" : "?";
      const watchPath = `${collectionPath}${sep}watch=1&allowWatchBookmarks=true&timeoutSeconds=240&resourceVersion=${rv}`;
      rv = await streamWatch(ep, watchPath, rv, onEvent, signal);
    } catch (err) {
      if (signal.aborted) return;
      onError(err);
      rv = "";
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** One watch connection; returns the last resourceVersion seen ("" when a relist is needed). */
function streamWatch(
  ep: KubeEndpoint,
  path: string,
  startRv: string,
  onEvent: (ev: WatchEvent) => void | Promise<void>,
  signal: AbortSignal,
): Promise<string> {
  const url = new URL(path, ep.server);
  return new Promise((resolve, reject) => {
    let rv = startRv;
    let buf = "";
    let chain: Promise<void> = Promise.resolve();
    const req = https.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: "GET",
        headers: { Authorization: `Bearer ${ep.token}`, Accept: "application/json" },
        agent: false,
        ...(ep.ca ? { ca: ep.ca } : { rejectUnauthorized: false }),
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          // 410 Gone: relist.
          if (res.statusCode === 410) resolve("");
          else reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          return;
        }
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buf += chunk;
          let nl = buf.indexOf("\n");
          while (nl >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            nl = buf.indexOf("\n");
            if (!line) continue;
            const ev = JSON.parse(line) as WatchEvent;
            if (ev.type === "ERROR") {
              // Usually 410 "too old resource version": relist.
              rv = "";
              req.destroy();
              continue;
            }
            const meta = ev.object.metadata as { resourceVersion?: string } | undefined;
            if (meta?.resourceVersion) rv = meta.resourceVersion;
            if (ev.type !== "BOOKMARK") chain = chain.then(() => onEvent(ev));
          }
        });
        const finish = () => chain.then(() => resolve(rv), reject);
        res.on("end", finish);
        res.on("close", finish);
        res.on("error", () => finish());
      },
    );
    const abort = () => req.destroy();
    signal.addEventListener("abort", abort, { once: true });
    req.on("error", (err) => {
      signal.removeEventListener("abort", abort);
      if (signal.aborted || rv === "") chain.then(() => resolve(rv), reject);
      else reject(err);
    });
    req.on("close", () => signal.removeEventListener("abort", abort));
    req.end();
  });
}
