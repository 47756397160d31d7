/**
 * One HTTP exchange with a registry: any method, an optional body, TLS options (CA bundle, client
 * certificate, skipping verification), a cap on the response body, and redirects followed with the
 * Authorization header dropped when a redirect leads to another host (as Go's client does).
 */
import http from "node:http";
import https from "node:https";
import { describeNetError, readPem } from "../http.ts";

export interface TlsOptions {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface Exchange {
  method: "GET" | "HEAD" | "PUT" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Refuse a response body larger than this; the message names `what`. */
  maxBytes: number;
  what: string;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Uint8Array;
  /** The URL that answered (after redirects). */
  url: URL;
}

const MAX_REDIRECTS = 10;

function hostKey(url: URL): string {
  return `${url.hostname.toLowerCase()}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

function once(ex: Exchange, tls: TlsOptions, timeoutMs: number): Promise<Reply> {
  const isHttps = ex.url.protocol === "https:";
  const tlsOpts = isHttps
    ? {
        ca: readPem(tls.caFile, "CA"),
        cert: readPem(tls.certFile, "certificate"),
        key: readPem(tls.keyFile, "key"),
        rejectUnauthorized: !tls.insecureSkipTlsVerify,
      }
    : {};
  const headers = { ...ex.headers };
  if (ex.body) headers["Content-Length"] = String(ex.body.length);
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(new Error(describeNetError(ex.url, err, ex.method)));
    const req = (isHttps ? https : http).request(
      ex.url,
      { method: ex.method, headers, agent: false, timeout: timeoutMs, ...tlsOpts },
      (res) => {
        const status = res.statusCode ?? 0;
        const declared = Number(res.headers["content-length"] ?? "NaN");
        const limit = status >= 200 && status < 300 ? ex.maxBytes : 64 * 1024;
        if (ex.method !== "HEAD" && Number.isFinite(declared) && declared > limit && status < 300) {
          res.destroy();
          reject(new Error(`${ex.what}: ${declared} bytes is more than the limit of ${limit} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on("data", (chunk: Buffer) => {
          total += chunk.length;
          if (total > limit) {
            res.destroy();
            if (status < 300) reject(new Error(`${ex.what}: more than the limit of ${limit} bytes`));
            else
              resolve({
                status,
                headers: res.headers,
                body: new Uint8Array(Buffer.concat(chunks)),
                url: ex.url,
              });
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", fail);
        res.on("end", () =>
          resolve({
            status,
            headers: res.headers,
            body: new Uint8Array(Buffer.concat(chunks, total)),
            url: ex.url,
          }),
        );
      },
    );
    req.on("timeout", () => {
      req.destroy();
      reject(new Error(`${ex.method} "${ex.url.href}": context deadline exceeded`));
    });
    req.on("error", fail);
    req.end(ex.body ? Buffer.from(ex.body) : undefined);
  });
}

/** Send `ex`, following redirects of GET/HEAD; credentials never follow to another host. */
export async function send(ex: Exchange, tls: TlsOptions, timeoutMs = 120_000): Promise<Reply> {
  const origin = hostKey(ex.url);
  let current = ex;
  for (let hop = 0; ; hop++) {
    const reply = await once(current, tls, timeoutMs);
    const location = reply.headers.location;
    const redirect = [301, 302, 303, 307, 308].includes(reply.status) && location;
    if (!redirect || (current.method !== "GET" && current.method !== "HEAD")) return reply;
    if (hop >= MAX_REDIRECTS)
      throw new Error(`${current.method} "${current.url.href}": stopped after 10 redirects`);
    const next = new URL(location, current.url);
    if (next.protocol !== "http:" && next.protocol !== "https:")
      throw new Error(
        `${current.method} "${next.href}": unsupported protocol scheme "${next.protocol.replace(/:$/, "")}"`,
      );
    const headers = { ...current.headers };
    if (hostKey(next) !== origin) delete headers.Authorization;
    current = { ...current, url: next, headers };
  }
}
