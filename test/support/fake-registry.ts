/**
 * A small in-process OCI registry that misbehaves on purpose, for the hostile cases a real
 * registry never produces: wrong digests, missing or oversized content, redirects to another
 * host, and a Bearer token service (`WWW-Authenticate: Bearer realm=…`). It records every
 * request with its Authorization header.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type net from "node:net";

export interface FakeRequest {
  method: string;
  host: string;
  path: string;
  authorization: string;
}

export interface FakeRegistry {
  host: string;
  /** Requests seen by the registry and by the redirect target (another host name). */
  requests: FakeRequest[];
  /** Store a manifest under a tag; returns its digest. */
  putManifest(repo: string, tag: string, body: string | Uint8Array, contentType?: string): string;
  /** Store a blob; returns its digest. */
  putBlob(bytes: Uint8Array): string;
  /** Serve these bytes for a blob instead of its own (a digest mismatch). */
  tamperBlob(digest: string, bytes: Uint8Array): void;
  /** Answer GETs of this blob with a redirect to `localhost:OTHER/…` (another host). */
  redirectBlob(digest: string): void;
  stop(): Promise<void>;
}

export interface FakeOptions {
  /** Require a Bearer token, issued by `/token` to these Basic credentials. */
  bearer?: { user: string; password: string };
  /** Send this Docker-Content-Digest for every manifest (a lie). */
  lyingDigest?: string;
}

function sha(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

export async function startFakeRegistry(opts: FakeOptions = {}): Promise<FakeRegistry> {
  const manifests = new Map<string, { body: Uint8Array; type: string }>();
  const blobs = new Map<string, Uint8Array>();
  const tampered = new Map<string, Uint8Array>();
  const redirected = new Set<string>();
  const requests: FakeRequest[] = [];
  const TOKEN = "fake-token-123";
  let port = 0;
  let otherPort = 0;

  const record = (req: http.IncomingMessage) =>
    requests.push({
      method: req.method ?? "",
      host: req.headers.host ?? "",
      path: req.url ?? "",
      authorization: req.headers.authorization ?? "",
    });

  const other = http.createServer((req, res) => {
    record(req);
    const digest = /\/blobs\/(sha256:[a-f0-9]+)/.exec(req.url ?? "")?.[1] ?? "";
    const bytes = blobs.get(digest);
    res.writeHead(bytes ? 200 : 404).end(bytes ? Buffer.from(bytes) : undefined);
  });

  const server = http.createServer((req, res) => {
    record(req);
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    if (url.pathname === "/token") {
      const expected = `Basic ${Buffer.from(`${opts.bearer?.user}:${opts.bearer?.password}`).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }));
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token: TOKEN }));
      return;
    }
    if (opts.bearer && req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, {
        "WWW-Authenticate": `Bearer realm="http://127.0.0.1:${port}/token",service="fake"`,
        "Content-Type": "application/json",
      });
      res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
      return;
    }
    if (url.pathname === "/v2/") {
      res.writeHead(200).end("{}");
      return;
    }
    let m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const found = manifests.get(`${m[1]}:${m[2]}`) ?? manifests.get(`${m[1]}@${m[2]}`);
      if (!found) {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }));
        return;
      }
      res.writeHead(200, {
        "Content-Type": found.type,
        "Docker-Content-Digest": opts.lyingDigest ?? sha(found.body),
        "Content-Length": String(found.body.length),
      });
      res.end(req.method === "HEAD" ? undefined : Buffer.from(found.body));
      return;
    }
    m = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]+)$/.exec(url.pathname);
    if (m) {
      const digest = m[2]!;
      if (redirected.has(digest)) {
        res.writeHead(307, { Location: `http://localhost:${otherPort}${url.pathname}` }).end();
        return;
      }
      const bytes = tampered.get(digest) ?? blobs.get(digest);
      if (!bytes) {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "BLOB_UNKNOWN", message: "blob unknown to registry" }] }));
        return;
      }
      res.writeHead(200, { "Content-Length": String(bytes.length) }).end(Buffer.from(bytes));
      return;
    }
    res.writeHead(404).end();
  });
  port = await listen(server);
  otherPort = await listen(other);
  return {
    host: `127.0.0.1:${port}`,
    requests,
    putManifest(repo, tag, body, contentType = "application/vnd.oci.image.manifest.v1+json") {
      const bytes = typeof body === "string" ? new Uint8Array(Buffer.from(body)) : body;
      const digest = sha(bytes);
      manifests.set(`${repo}:${tag}`, { body: bytes, type: contentType });
      manifests.set(`${repo}@${digest}`, { body: bytes, type: contentType });
      return digest;
    },
    putBlob(bytes) {
      const digest = sha(bytes);
      blobs.set(digest, bytes);
      return digest;
    },
    tamperBlob(digest, bytes) {
      tampered.set(digest, bytes);
    },
    redirectBlob(digest) {
      redirected.add(digest);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        other.close();
        server.close(() => resolve());
        server.closeAllConnections();
        other.closeAllConnections();
      }),
  };
}
