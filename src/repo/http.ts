/**
 * Fetching from chart repositories over HTTP(S): Helm's getter options (basic auth, client
 * certificates, a CA bundle, skipping verification, a timeout), redirects followed with the
 * credentials dropped when they lead to another host (unless `passCredentials`), gzip transfer
 * decoding, and a size cap on every body. Every failure is one line naming the URL.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { createGunzip } from "node:zlib";

/** How to reach one repository. */
export interface HttpOptions {
  username?: string;
  password?: string;
  /** Send credentials to every host, not only the repository's own (Helm's `--pass-credentials`). */
  passCredentials?: boolean;
  /** The host credentials belong to (`host:port` of the repository URL); defaults to the first URL's. */
  credentialsHost?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  timeoutMs?: number;
  /** Refuse bodies larger than this many bytes (after decompression). */
  maxBytes?: number;
  userAgent?: string;
}

/** A fetch failed; the message is one line and names the URL. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Fetches a URL whose scheme is not HTTP(S) (a getter plugin's), with the caller's TLS and credentials. */
export type SchemeGetter = (url: string, opts: HttpOptions) => Promise<Uint8Array>;

const schemeGetters = new Map<string, SchemeGetter>();

/** Serve `scheme://` URLs with `getter` (the command layer registers getter plugins here). */
export function registerSchemeGetter(scheme: string, getter: SchemeGetter): void {
  if (!schemeGetters.has(scheme)) schemeGetters.set(scheme, getter);
}

/** True when `url`'s scheme is served by a registered getter. */
export function hasSchemeGetter(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return m !== null && schemeGetters.has(m[1]!);
}

const MAX_REDIRECTS = 10;
/** Default cap on a downloaded body. */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** The bytes of a PEM file named by a TLS flag, or a one-line error naming it. */
export function readPem(path: string | undefined, what: string): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HttpError(
      `can't read ${what} file ${path}: ${code === "ENOENT" ? "no such file or directory" : (err as Error).message}`,
    );
  }
}

/** Go's net/http wording for a connection failure of a request (a GET unless told) of `url`. */
export function describeNetError(url: URL, err: NodeJS.ErrnoException, method = "GET"): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const hostPort = `${url.hostname}:${port}`;
  const code = err.code ?? "";
  const prefix = `${method[0]}${method.slice(1).toLowerCase()} "${url.href}"`;
  switch (code) {
    case "ECONNREFUSED":
      return `${prefix}: dial tcp ${hostPort}: connect: connection refused`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return `${prefix}: dial tcp: lookup ${url.hostname}: no such host`;
    case "ECONNRESET":
      return `${prefix}: read tcp ${hostPort}: connection reset by peer`;
    case "ETIMEDOUT":
      return `${prefix}: dial tcp ${hostPort}: i/o timeout`;
    case "EHOSTUNREACH":
      return `${prefix}: dial tcp ${hostPort}: connect: no route to host`;
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_GET_ISSUER_CERT":
      return `${prefix}: tls: failed to verify certificate: x509: certificate signed by unknown authority`;
    case "CERT_HAS_EXPIRED":
      return `${prefix}: tls: failed to verify certificate: x509: certificate has expired or is not yet valid`;
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `${prefix}: tls: failed to verify certificate: x509: certificate is valid for another name, not ${url.hostname}`;
  }
  // A TLS handshake answered in plain HTTP (Node reports a record-layer error).
  if (
    code === "EPROTO" ||
    code === "ERR_SSL_WRONG_VERSION_NUMBER" ||
    /wrong version number|packet length too long/.test(err.message ?? "")
  )
    return `${prefix}: http: server gave HTTP response to HTTPS client`;
  const msg = (err.message || code).split("\n")[0]!;
  return `${prefix}: ${msg}`;
}

function hostKey(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname.toLowerCase()}:${port}`;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body?: Uint8Array;
}

function requestOnce(url: URL, opts: HttpOptions, withAuth: boolean, deadline: number): Promise<Response> {
  const isHttps = url.protocol === "https:";
  const headers: Record<string, string> = {
    "User-Agent": opts.userAgent ?? "Helm/4",
    "Accept-Encoding": "gzip",
  };
  if (withAuth && (opts.username || opts.password)) {
    headers.Authorization = `Basic ${Buffer.from(`${opts.username ?? ""}:${opts.password ?? ""}`).toString("base64")}`;
  }
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const tls = isHttps
    ? {
        ca: readPem(opts.caFile, "CA"),
        cert: readPem(opts.certFile, "certificate"),
        key: readPem(opts.keyFile, "key"),
        rejectUnauthorized: !opts.insecureSkipTlsVerify,
      }
    : {};
  return new Promise((resolve, reject) => {
    const remaining = Math.max(1, deadline - Date.now());
    const lib = isHttps ? https : http;
    const req = lib.request(
      url,
      { method: "GET", headers, agent: false, timeout: remaining, ...tls },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          resolve({ status, headers: res.headers });
          return;
        }
        const declared = Number(res.headers["content-length"] ?? "NaN");
        if (Number.isFinite(declared) && declared > max && res.headers["content-encoding"] !== "gzip") {
          res.destroy();
          reject(new HttpError(`${url.href} is larger than the maximum size ${max}`));
          return;
        }
        const gzipped = res.headers["content-encoding"] === "gzip";
        const stream = gzipped ? res.pipe(createGunzip()) : res;
        const body = new BodyBuffer(gzipped || !Number.isFinite(declared) ? undefined : declared);
        stream.on("data", (chunk: Buffer) => {
          if (body.length + chunk.length > max) {
            res.destroy();
            stream.destroy();
            reject(new HttpError(`${url.href} is larger than the maximum size ${max}`));
            return;
          }
          body.append(chunk);
        });
        stream.on("error", (err: NodeJS.ErrnoException) => reject(new HttpError(describeNetError(url, err))));
        res.on("error", (err: NodeJS.ErrnoException) => reject(new HttpError(describeNetError(url, err))));
        stream.on("end", () => resolve({ status, headers: res.headers, body: body.bytes() }));
      },
    );
    req.on("timeout", () => {
      req.destroy();
      reject(
        new HttpError(
          `Get "${url.href}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        ),
      );
    });
    req.on("error", (err: NodeJS.ErrnoException) => reject(new HttpError(describeNetError(url, err))));
    req.end();
  });
}

/**
 * A response body gathered into one buffer: when the server declares the length, chunks are copied
 * straight into a buffer of that size, so a big index is held once rather than as chunks plus
 * their concatenation.
 */
class BodyBuffer {
  private chunks: Buffer[] = [];
  private whole: Buffer | undefined;
  length = 0;

  constructor(declared: number | undefined) {
    if (declared !== undefined) this.whole = Buffer.allocUnsafe(declared);
  }

  append(chunk: Buffer): void {
    if (this.whole && this.length + chunk.length <= this.whole.length) chunk.copy(this.whole, this.length);
    else {
      // More than declared: keep what was copied and go on in chunks.
      if (this.whole) this.chunks.push(this.whole.subarray(0, this.length));
      this.whole = undefined;
      this.chunks.push(chunk);
    }
    this.length += chunk.length;
  }

  bytes(): Uint8Array {
    if (this.whole) return this.whole.subarray(0, this.length);
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
  }
}

/**
 * GET `rawUrl` and return the body. Redirects are followed (at most 10); credentials go only to
 * the repository's host unless `passCredentials`. Non-2xx answers fail with Helm's
 * `failed to fetch URL : 404 Not Found`.
 */
export async function httpGet(rawUrl: string, opts: HttpOptions = {}): Promise<Uint8Array> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new HttpError(`invalid URL ${JSON.stringify(rawUrl)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const getter = schemeGetters.get(url.protocol.replace(/:$/, ""));
    if (getter) return getter(rawUrl, opts);
    throw new HttpError(`could not find protocol handler for: ${url.protocol.replace(/:$/, "")}`);
  }
  const original = url.href;
  const credentialsHost = opts.credentialsHost ?? hostKey(url);
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (let hop = 0; ; hop++) {
    const withAuth = opts.passCredentials === true || hostKey(url) === credentialsHost;
    const res = await requestOnce(url, opts, withAuth, deadline);
    if ([301, 302, 303, 307, 308].includes(res.status) && res.headers.location) {
      if (hop >= MAX_REDIRECTS) throw new HttpError(`Get "${url.href}": stopped after 10 redirects`);
      const next = new URL(res.headers.location, url);
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        throw new HttpError(
          `Get "${next.href}": unsupported protocol scheme "${next.protocol.replace(/:$/, "")}"`,
        );
      }
      url = next;
      continue;
    }
    if (res.status < 200 || res.status >= 300) {
      const text = STATUS_TEXT[res.status] ?? http.STATUS_CODES[res.status] ?? "";
      throw new HttpError(`failed to fetch ${original} : ${res.status} ${text}`.trimEnd(), res.status);
    }
    return res.body ?? new Uint8Array();
  }
}

/** `host:port` of a URL, the key credentials are scoped to. */
export function credentialsHostOf(rawUrl: string): string | undefined {
  try {
    return hostKey(new URL(rawUrl));
  } catch {
    return undefined;
  }
}
