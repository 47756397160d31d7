/**
 * `helm serve` (Helm 2's local chart repository server): serves the chart archives (and their
 * `.prov` files) of one directory over HTTP with an `index.yaml` made by `repo index` — written
 * into the directory at start, as Helm 2 did, and regenerated whenever the set of archives changes
 * (Helm 2 indexed only at start). `/`, `/charts/` and `/charts/index.html` list the charts in
 * HTML; `/charts/FILE` and `/FILE` serve a file. Only regular files inside the directory are
 * served: no listings of subdirectories, no `..`, no symlinks out of it.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import http from "node:http";
import { join, resolve, sep } from "node:path";
import { atomicWriteFile } from "./fs.ts";
import type { IndexFile } from "./index-file.ts";
import { formatIndex, indexDirectory } from "./repo-index.ts";

export interface ServeOptions {
  repoPath: string;
  /** `host:port` to listen on. */
  address: string;
  /** The repository's external URL (chart URLs in the index); default `http://ADDRESS`. */
  url?: string;
  log(text: string): void;
}

export interface RepoServer {
  close(): Promise<void>;
}

/** A fingerprint of the archives under the directory: their paths, sizes and modification times. */
function archivesStamp(root: string): string {
  const parts: string[] = [];
  const add = (dir: string, prefix: string) => {
    for (const n of readdirSync(dir).sort()) {
      const st = statSync(join(dir, n), { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isFile() && n.endsWith(".tgz")) parts.push(`${prefix}${n}:${st.size}:${st.mtimeMs}`);
      else if (st.isDirectory() && prefix === "") add(join(dir, n), `${n}/`);
    }
  };
  add(root, "");
  return parts.join("\n");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlIndex(index: IndexFile): string {
  const items = [...index.entries.keys()].sort().map((name) => {
    const versions = index.entries
      .get(name)!
      .map(
        (cv) =>
          `    <li><a href="${escapeHtml(cv.urls[0] ?? "")}">${escapeHtml(cv.name)}-${escapeHtml(cv.version)}</a></li>`,
      )
      .join("\n");
    return `  <li>${escapeHtml(name)}<ul>\n${versions}\n  </ul>\n  </li>`;
  });
  return `<html>\n<head>\n\t<title>Helm Repository</title>\n</head>\n<h1>Helm Charts Repository</h1>\n<ul>\n${items.join("\n")}\n</ul>\n<body>\n<p>Last Generated: ${escapeHtml(index.generated)}</p>\n</body>\n</html>\n`;
}

/** Index the directory now and on every later change; the index is also written as DIR/index.yaml. */
class LiveIndex {
  private stamp = "";
  private index!: IndexFile;
  constructor(
    private readonly root: string,
    private readonly url: string,
  ) {
    this.refresh();
  }
  current(): IndexFile {
    this.refresh();
    return this.index;
  }
  private refresh(): void {
    const stamp = archivesStamp(this.root);
    if (stamp === this.stamp) return;
    this.index = indexDirectory(this.root, this.url);
    atomicWriteFile(join(this.root, "index.yaml"), formatIndex(this.index, false), 0o644);
    this.stamp = stamp;
  }
}

/** The regular file under `root` a request path names, or null. */
function fileFor(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  rel = rel.replace(/^\/charts\//, "/").replace(/^\/+/, "");
  if (rel === "" || rel.includes("\0") || rel.split("/").includes("..")) return null;
  try {
    const real = realpathSync(resolve(root, rel));
    if (!real.startsWith(root + sep) || !statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

const TYPES: [RegExp, string][] = [
  [/\.ya?ml$/, "application/x-yaml"],
  [/\.tgz$/, "application/gzip"],
  [/\.json$/, "application/json"],
  [/\.prov$/, "text/plain; charset=utf-8"],
];

/** Start serving; resolves once listening. */
export async function serveRepository(opts: ServeOptions): Promise<RepoServer> {
  const abs = resolve(opts.repoPath);
  if (!existsSync(abs)) throw new Error(`stat ${abs}: no such file or directory`);
  const root = realpathSync(abs);
  if (!statSync(root).isDirectory()) throw new Error(`${abs} is not a directory`);
  const colon = opts.address.lastIndexOf(":");
  const host = colon > 0 ? opts.address.slice(0, colon).replace(/^\[|\]$/g, "") : "";
  const port = Number(opts.address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`listen tcp: address ${opts.address}: missing port in address`);
  }
  opts.log("Regenerating index. This may take a moment.\n");
  const live = new LiveIndex(root, opts.url || `http://${opts.address}`);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    try {
      if (["/", "/charts/", "/charts/index.html", "/charts/index"].includes(path)) {
        const body = htmlIndex(live.current());
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(req.method === "HEAD" ? undefined : body);
        return;
      }
      if (path === "/index.yaml" || path === "/charts/index.yaml") live.current();
      const file = fileFor(root, path);
      if (file === null) {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("404 page not found\n");
        return;
      }
      const body = readFileSync(file);
      const type = TYPES.find(([re]) => re.test(file))?.[1] ?? "application/octet-stream";
      res.writeHead(200, { "Content-Type": type, "Content-Length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end(`${(err as Error).message}\n`);
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host || undefined, () => ok());
  });
  opts.log(`Now serving you on ${opts.address}\n`);
  return { close: () => new Promise((ok) => server.close(() => ok())) };
}
