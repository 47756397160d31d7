/**
 * A client of the OCI distribution API for one registry host: the `WWW-Authenticate` flow (Basic
 * credentials, or a Bearer token fetched from the challenge's realm for the request's scope and
 * cached per scope), manifests and blobs fetched with their digests and sizes checked and their
 * sizes capped, tags listed page by page, blobs uploaded (POST then PUT) and manifests put.
 * Credentials come from the flags or from the registry config file (`helm registry login`).
 * Errors read as ORAS's: `GET "URL": response status code 404: name unknown: …`.
 */
import { createHash } from "node:crypto";
import { type RegistryCredential, readCredential } from "./credentials.ts";
import { type Reply, send, type TlsOptions } from "./transport.ts";

export interface RegistryOptions extends TlsOptions {
  /** Talk HTTP instead of HTTPS. */
  plainHttp?: boolean;
  /** Credentials from flags; used instead of the stored ones when both are given. */
  username?: string;
  password?: string;
  /** Use exactly these credentials (`registry login`); empty ones mean none. */
  staticCredential?: RegistryCredential;
  /** The Docker-format credentials file (`$HELM_REGISTRY_CONFIG`). */
  registryConfig: string;
  userAgent?: string;
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
/** ORAS's cap on a manifest (4 MiB): larger ones are refused before they are read. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MANIFEST_ACCEPT = [
  OCI_MANIFEST_MEDIA_TYPE,
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parse one `WWW-Authenticate` challenge (`Bearer realm="…",service="…",scope="…"`). */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, "$1") : (p[3] ?? "");
  }
  return { scheme: m[1]!.toLowerCase(), params };
}

/** `sha256:HEX` of some bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Go's %v of a JSON value (`map[name:charts/x]`), as ORAS prints an error's detail. */
function goFormat(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goFormat).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goFormat(o[k])}`)
      .join(" ")}]`;
  }
  return String(v);
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Request Entity Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** ORAS's wording of an unexpected status, with the registry's error codes when it sent some. */
export function statusError(method: string, url: URL, reply: Reply): Error {
  let detail = STATUS_TEXT[reply.status] ?? "";
  try {
    const parsed = JSON.parse(Buffer.from(reply.body).toString("utf8")) as {
      errors?: { code?: string; message?: string; detail?: unknown }[];
    };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      detail = parsed.errors
        .map((e) => {
          const code = String(e.code ?? "")
            .toLowerCase()
            .replaceAll("_", " ");
          const text = e.message ? `${code}: ${e.message}` : code;
          return e.detail !== undefined && e.detail !== null ? `${text}: ${goFormat(e.detail)}` : text;
        })
        .join("; ");
    }
  } catch {
    // Not the distribution API's error body: the status text says enough.
  }
  return new Error(`${method} "${url.href}": response status code ${reply.status}: ${detail}`.trimEnd());
}

/** One registry host, with its credentials and cached tokens. */
export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private basicChallenged = false;

  constructor(
    readonly host: string,
    private readonly opts: RegistryOptions,
  ) {}

  /** `http(s)://host`. */
  get baseUrl(): string {
    return `${this.opts.plainHttp ? "http" : "https"}://${this.host}`;
  }

  private credential(): RegistryCredential | undefined {
    const fixed = this.opts.staticCredential;
    if (fixed) return fixed.username || fixed.password ? fixed : undefined;
    if (this.opts.username && this.opts.password)
      return { username: this.opts.username, password: this.opts.password };
    return readCredential(this.opts.registryConfig, this.host);
  }

  private basicHeader(cred: RegistryCredential): string {
    return `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString("base64")}`;
  }

  private async fetchToken(challenge: Challenge, scope: string): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new Error(`${this.host}: the registry's Bearer challenge names no realm`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    const scopes = new Set([scope, ...(challenge.params.scope ?? "").split(" ")].filter(Boolean));
    for (const s of scopes) url.searchParams.append("scope", s);
    const cred = this.credential();
    const headers: Record<string, string> = { "User-Agent": this.userAgent() };
    if (cred) headers.Authorization = this.basicHeader(cred);
    const reply = await send(
      { method: "GET", url, headers, maxBytes: 1024 * 1024, what: `the token from ${realm}` },
      this.opts,
    );
    if (reply.status !== 200) throw statusError("GET", url, reply);
    let body: { token?: string; access_token?: string };
    try {
      body = JSON.parse(Buffer.from(reply.body).toString("utf8"));
    } catch {
      throw new Error(`GET "${url.href}": the token response is not JSON`);
    }
    const token = body.token || body.access_token;
    if (!token) throw new Error(`GET "${url.href}": empty token returned`);
    return `Bearer ${token}`;
  }

  private userAgent(): string {
    return this.opts.userAgent ?? "Helm/4.1.4";
  }

  /**
   * Send a request under `scope` (`repository:NAME:pull[,push]`, or "" for the API root), answering
   * the registry's 401 challenge once. Returns the reply whatever its status.
   */
  async request(
    method: "GET" | "HEAD" | "PUT" | "POST",
    pathOrUrl: string,
    scope: string,
    extra: { headers?: Record<string, string>; body?: Uint8Array; maxBytes?: number; what?: string } = {},
  ): Promise<Reply> {
    const url = new URL(pathOrUrl, this.baseUrl);
    const build = (auth: string | undefined) => ({
      method,
      url,
      headers: {
        "User-Agent": this.userAgent(),
        ...extra.headers,
        ...(auth ? { Authorization: auth } : {}),
      },
      body: extra.body,
      maxBytes: extra.maxBytes ?? 1024 * 1024,
      what: extra.what ?? `${method} "${url.href}"`,
    });
    const cached = this.tokens.get(scope) ?? (this.basicChallenged ? this.basicAuth() : undefined);
    const reply = await send(build(cached), this.opts);
    if (reply.status !== 401) return reply;
    const challenge = parseChallenge(reply.headers["www-authenticate"] as string | undefined);
    if (!challenge) return reply;
    let auth: string | undefined;
    if (challenge.scheme === "basic") {
      this.basicChallenged = true;
      auth = this.basicAuth();
      if (!auth) throw new Error(`${method} "${url.href}": basic credential not found`);
    } else if (challenge.scheme === "bearer") {
      auth = await this.fetchToken(challenge, scope);
      this.tokens.set(scope, auth);
    } else {
      return reply;
    }
    if (auth === cached) return reply;
    return send(build(auth), this.opts);
  }

  private basicAuth(): string | undefined {
    const cred = this.credential();
    return cred ? this.basicHeader(cred) : undefined;
  }

  /** `GET /v2/`: reachability and credentials (what `registry login` checks). */
  async ping(): Promise<void> {
    const reply = await this.request("GET", "/v2/", "");
    if (reply.status !== 200) throw statusError("GET", new URL("/v2/", this.baseUrl), reply);
  }

  /** Every tag of a repository, following `Link` pagination. */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list`;
    for (let page = 0; path && page < 1000; page++) {
      const url = new URL(path, this.baseUrl);
      const reply = await this.request("GET", url.href, `repository:${repository}:pull`, {
        maxBytes: 16 * 1024 * 1024,
      });
      if (reply.status !== 200) throw statusError("GET", url, reply);
      let body: { tags?: unknown };
      try {
        body = JSON.parse(Buffer.from(reply.body).toString("utf8"));
      } catch {
        throw new Error(`GET "${url.href}": the tag list is not JSON`);
      }
      if (Array.isArray(body.tags)) for (const t of body.tags) if (typeof t === "string") tags.push(t);
      const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(reply.headers.link ?? ""));
      path = link ? link[1] : undefined;
    }
    return tags;
  }

  /**
   * Fetch a manifest by tag or digest. Its digest is computed from the bytes and must equal the
   * requested digest (or, for a tag, the registry's Docker-Content-Digest when it sends one).
   */
  async fetchManifest(
    repository: string,
    reference: string,
    refText: string,
  ): Promise<{ manifest: Manifest; digest: string; mediaType: string; bytes: Uint8Array }> {
    const url = new URL(`/v2/${repository}/manifests/${reference}`, this.baseUrl);
    const reply = await this.request("GET", url.href, `repository:${repository}:pull`, {
      headers: { Accept: MANIFEST_ACCEPT },
      maxBytes: MAX_MANIFEST_BYTES,
      what: `manifest ${refText}`,
    });
    if (reply.status === 404)
      throw new Error(`failed to perform "FetchReference" on source: ${refText}: not found`);
    if (reply.status !== 200) throw statusError("GET", url, reply);
    const digest = sha256Digest(reply.body);
    const expected = reference.startsWith("sha256:")
      ? reference
      : (reply.headers["docker-content-digest"] as string | undefined);
    if (expected && expected !== digest)
      throw new Error(
        `digest mismatch for manifest ${refText}: expected ${expected}, the registry sent ${digest}`,
      );
    const mediaType = String(reply.headers["content-type"] ?? "")
      .split(";")[0]!
      .trim();
    let manifest: Manifest;
    try {
      manifest = JSON.parse(Buffer.from(reply.body).toString("utf8")) as Manifest;
    } catch (err) {
      throw new Error(`manifest ${refText} is not valid JSON: ${(err as Error).message}`);
    }
    if (
      manifest === null ||
      typeof manifest !== "object" ||
      !isDescriptor(manifest.config) ||
      !Array.isArray(manifest.layers) ||
      !manifest.layers.every(isDescriptor)
    )
      throw new Error(`manifest ${refText} is not an OCI image manifest`);
    return { manifest, digest, mediaType: manifest.mediaType ?? mediaType, bytes: reply.body };
  }

  /** Fetch a blob; its size and digest must match the descriptor. */
  async fetchBlob(repository: string, desc: Descriptor): Promise<Uint8Array> {
    const url = new URL(`/v2/${repository}/blobs/${desc.digest}`, this.baseUrl);
    const reply = await this.request("GET", url.href, `repository:${repository}:pull`, {
      maxBytes: desc.size,
      what: `blob ${desc.digest} (${desc.mediaType})`,
    });
    if (reply.status !== 200) throw statusError("GET", reply.url, reply);
    if (reply.body.length !== desc.size)
      throw new Error(
        `blob ${desc.digest}: ${reply.body.length} bytes received, the manifest says ${desc.size}`,
      );
    const digest = sha256Digest(reply.body);
    if (digest !== desc.digest)
      throw new Error(
        `digest mismatch for blob ${desc.digest} (${desc.mediaType}): the registry sent ${digest}`,
      );
    return reply.body;
  }

  /** True when the registry already holds a blob (HEAD). */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const url = new URL(`/v2/${repository}/blobs/${digest}`, this.baseUrl);
    const reply = await this.request("HEAD", url.href, `repository:${repository}:pull,push`);
    if (reply.status === 200) return true;
    if (reply.status === 404) return false;
    throw new Error(`failed to perform "Exists" on destination: ${statusError("HEAD", url, reply).message}`);
  }

  /** Upload a blob in one piece (POST for an upload URL, then PUT with the digest). */
  async pushBlob(repository: string, bytes: Uint8Array, digest: string): Promise<void> {
    const scope = `repository:${repository}:pull,push`;
    const start = new URL(`/v2/${repository}/blobs/uploads/`, this.baseUrl);
    const opened = await this.request("POST", start.href, scope, { headers: { "Content-Length": "0" } });
    if (opened.status !== 202 || !opened.headers.location) throw statusError("POST", start, opened);
    const put = new URL(String(opened.headers.location), start);
    if (put.host !== start.host)
      throw new Error(`POST "${start.href}": the upload location ${put.href} is on another host`);
    put.searchParams.set("digest", digest);
    const done = await this.request("PUT", put.href, scope, {
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
    });
    if (done.status !== 201) throw statusError("PUT", put, done);
  }

  /** Put a manifest under a tag (or digest). */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<void> {
    const url = new URL(`/v2/${repository}/manifests/${reference}`, this.baseUrl);
    const reply = await this.request("PUT", url.href, `repository:${repository}:pull,push`, {
      headers: { "Content-Type": mediaType },
      body: bytes,
    });
    if (reply.status !== 201) throw statusError("PUT", url, reply);
  }
}

function isDescriptor(d: unknown): d is Descriptor {
  if (d === null || typeof d !== "object") return false;
  const x = d as Descriptor;
  return (
    typeof x.mediaType === "string" &&
    typeof x.digest === "string" &&
    /^sha256:[a-f0-9]{64}$/.test(x.digest) &&
    Number.isSafeInteger(x.size) &&
    x.size >= 0
  );
}
