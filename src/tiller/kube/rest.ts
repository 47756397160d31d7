/**
 * A small REST transport for the API server on `node:http(s)` (works under Bun and Deno):
 * JSON in and out, client-side rate limiting, and errors that name the resource and reason.
 */
import http from "node:http";
import https from "node:https";
import type { KubeConnection } from "./connection.ts";

/** An error status from the API server (its `Status` object), or a transport failure. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    /** HTTP status code; 0 when the server was not reached. */
    readonly code: number,
    /** The Status reason, e.g. `NotFound`, `Forbidden`, `Conflict`, `AlreadyExists`, `Invalid`. */
    readonly reason: string,
    /** The Status object's details, when present. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "KubeApiError";
  }

  get notFound(): boolean {
    return this.code === 404;
  }
}

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Milliseconds before the request is abandoned. */
  timeoutMs?: number;
  /** Resolve to the body as text instead of parsed JSON (logs). */
  text?: boolean;
}

/** Token bucket: `burst` requests at once, refilled at `qps` per second (no limit when qps ≤ 0). */
class RateLimiter {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = Math.max(1, burst);
  }

  async take(): Promise<void> {
    if (this.qps <= 0) return;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(Math.max(1, this.burst), this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.qps) * 1000)));
    }
  }
}

/** Largest response body accepted (a hostile or broken server cannot exhaust memory). */
const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

export class RestClient {
  private readonly limiter: RateLimiter;
  /** Connections kept alive across requests: a TLS handshake per object would dominate an install. */
  private readonly agents = {
    https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
    http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  };

  constructor(readonly conn: KubeConnection) {
    this.limiter = new RateLimiter(conn.qps, conn.burst);
  }

  /** Close idle kept-alive connections (lets the process exit promptly). */
  close(): void {
    this.agents.https.destroy();
    this.agents.http.destroy();
  }

  /** Send one request; resolves to the body as text. */
  requestText(spec: RequestSpec): Promise<string> {
    return this.request<string>({ ...spec, text: true, accept: spec.accept ?? "*/*" });
  }

  /** Send one request; resolves to the parsed JSON body (or undefined for an empty body). */
  async request<T = unknown>(spec: RequestSpec): Promise<T> {
    await this.limiter.take();
    const url = new URL(this.conn.server + spec.path);
    for (const [k, v] of Object.entries(spec.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const base = await this.conn.requestOptions();
    const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const headers: Record<string, string | string[]> = {
      ...((base.headers as Record<string, string>) ?? {}),
      ...this.conn.headers,
      Accept: spec.accept ?? "application/json",
      "User-Agent": "helm-ts",
    };
    if (payload) {
      headers["Content-Type"] = spec.contentType ?? "application/json";
      headers["Content-Length"] = String(payload.length);
    }
    const plain = url.protocol === "http:";
    const transport = plain ? http : https;
    const agent = plain ? this.agents.http : this.agents.https;
    const what = `${spec.method} ${url.pathname}`;
    return new Promise<T>((resolve, reject) => {
      // Options rather than a URL object: converting a URL on every request is measurably slow in Bun.
      const req = transport.request(
        {
          ...base,
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
          port: url.port,
          path: url.pathname + url.search,
          agent,
          method: spec.method,
          headers,
          timeout: spec.timeoutMs ?? 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy(new Error(`response to ${what} exceeds ${MAX_RESPONSE_BYTES} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (spec.text && status >= 200 && status < 300) {
              resolve(text as T);
              return;
            }
            let body: unknown;
            try {
              body = text === "" ? undefined : JSON.parse(text);
            } catch {
              if (status >= 200 && status < 300) {
                reject(
                  new KubeApiError(
                    `${what}: the API server sent a body that is not JSON`,
                    status,
                    "BadResponse",
                  ),
                );
                return;
              }
              body = undefined;
            }
            if (status >= 200 && status < 300) resolve(body as T);
            else reject(statusError(status, body, text, what));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`timed out after ${spec.timeoutMs ?? 60_000} ms`)));
      req.on("error", (err: NodeJS.ErrnoException) => {
        reject(
          new KubeApiError(
            `Kubernetes cluster unreachable: ${what} to ${this.conn.server}: ${err.code ? `${err.code} ` : ""}${err.message}`,
            0,
            "Unreachable",
          ),
        );
      });
      if (payload) req.write(payload);
      req.end();
    });
  }
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  details?: unknown;
}

function statusError(code: number, body: unknown, text: string, what: string): KubeApiError {
  const s = (body ?? {}) as StatusBody;
  if (s.kind === "Status" && s.message) return new KubeApiError(s.message, code, s.reason ?? "", s.details);
  const snippet = text.trim().split("\n")[0]?.slice(0, 200) ?? "";
  return new KubeApiError(`${what}: the server responded ${code}${snippet ? `: ${snippet}` : ""}`, code, "");
}
