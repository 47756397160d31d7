/**
 * A real nginx (Debian's package; `test/support/prepare-servers.sh` installs it) serving a temp directory on
 * free 127.0.0.1 ports, for chart repository tests: plain HTTP, basic auth (an htpasswd file made
 * with `openssl passwd -apr1`), TLS and mutual TLS (a throwaway CA, server and client certificates
 * made with the `openssl` CLI). Every site also answers `/hop/PORT/PATH` with a 302 to
 * `http://localhost:PORT/PATH` — another host name for the same machine — so tests can check what
 * follows a redirect to a different host. Access logs record the Authorization header.
 *
 *   const ng = await startNginx({ sites: [{ name: "plain" }, { name: "auth", auth: { user: "u", password: "p" } }] });
 *   ng.url("auth")  // http://127.0.0.1:PORT
 *   await ng.stop();
 *
 * nginx runs in the foreground as one process (`master_process off`), under a shell that kills it
 * when our stdin pipe closes, so it never outlives the test process, even one killed with SIGKILL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, waitForPort } from "../cluster/harness.ts";
import { makeCertificates, openssl } from "./certs.ts";

export interface SiteSpec {
  name: string;
  /** Serve HTTPS with the harness CA's server certificate. */
  tls?: boolean;
  /** Require a client certificate signed by the harness CA (implies tls). */
  mtls?: boolean;
  /** Require HTTP basic auth with these credentials. */
  auth?: { user: string; password: string };
}

export interface NginxOptions {
  sites: SiteSpec[];
  /** Directory served by every site (created if missing); defaults to a fresh temp dir. */
  root?: string;
}

export interface Nginx {
  /** The directory every site serves. */
  root: string;
  /** Files of the harness (certificates, config, logs). */
  dir: string;
  /** `http(s)://127.0.0.1:PORT` of a site. */
  url(site: string): string;
  port(site: string): number;
  /** PEM files: the CA that signed the server and client certificates, and the client pair. */
  ca: string;
  clientCert: string;
  clientKey: string;
  /** Lines of the access log so far (`site host status method uri auth=…`). */
  accessLog(): string[];
  stop(): Promise<void>;
}

const NGINX_PATHS = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"];

/** The nginx executable, or a clear error telling how to get one. */
export function nginxBinary(): string {
  const found = NGINX_PATHS.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      "nginx is not installed: run `bash test/support/prepare-servers.sh` (installs Debian's nginx-light)",
    );
  return found;
}

/** Start nginx with the given sites. */
export async function startNginx(opts: NginxOptions): Promise<Nginx> {
  const bin = nginxBinary();
  const dir = mkdtempSync(join(tmpdir(), "helmts-nginx-"));
  const root = opts.root ?? join(dir, "www");
  mkdirSync(root, { recursive: true });
  for (const t of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, t));
  if (opts.sites.some((s) => s.tls || s.mtls)) makeCertificates(dir);
  const ports = new Map<string, number>();
  const servers: string[] = [];
  for (const site of opts.sites) {
    const port = (await freePorts(1))[0]!;
    ports.set(site.name, port);
    const tls = site.tls || site.mtls;
    const lines = [
      `listen 127.0.0.1:${port}${tls ? " ssl" : ""};`,
      `root ${root};`,
      `access_log ${join(dir, "access.log")} helmts;`,
    ];
    lines.push(`set $site ${site.name};`);
    if (tls) {
      lines.push(
        `ssl_certificate ${join(dir, "server.crt")};`,
        `ssl_certificate_key ${join(dir, "server.key")};`,
      );
    }
    if (site.mtls) lines.push(`ssl_client_certificate ${join(dir, "ca.crt")};`, "ssl_verify_client on;");
    if (site.auth) {
      const hash = openssl(["passwd", "-apr1", site.auth.password], dir).trim();
      const file = join(dir, `${site.name}.htpasswd`);
      writeFileSync(file, `${site.auth.user}:${hash}\n`);
      lines.push('auth_basic "helm-ts test";', `auth_basic_user_file ${file};`);
    }
    lines.push("location ~ ^/hop/(\\d+)/(.*)$ { return 302 http://localhost:$1/$2; }");
    servers.push(`  server {\n    ${lines.join("\n    ")}\n  }`);
  }
  const conf = `daemon off;
master_process off;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 256; }
http {
  types { application/x-yaml yaml yml; application/gzip tgz; application/json json; text/plain txt prov; }
  default_type application/octet-stream;
  log_format helmts '$site $host $status $request_method $uri auth=$http_authorization';
  client_body_temp_path ${join(dir, "body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
  sendfile on;
${servers.join("\n")}
}
`;
  const confPath = join(dir, "nginx.conf");
  writeFileSync(confPath, conf);
  // The shell kills nginx as soon as our end of its stdin closes (stop(), exit, or our death).
  const child: ChildProcess = spawn(
    "sh",
    [
      "-c",
      `"$0" -c "$1" -p "$2" -e "$2/error.log" & p=$!; read _; kill -QUIT $p; wait $p`,
      bin,
      confPath,
      dir,
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  try {
    await Promise.race([
      Promise.all(
        [...ports.values()].map(async (p) => {
          if (!(await waitForPort(p, deadline))) throw new Error(`nginx did not listen on ${p}`);
        }),
      ),
      exited.then(() => {
        throw new Error(`nginx exited: ${stderr}${readIfExists(join(dir, "error.log"))}`);
      }),
    ]);
  } catch (err) {
    child.stdin?.end();
    await exited;
    throw err;
  }
  const scheme = (name: string) => {
    const s = opts.sites.find((x) => x.name === name)!;
    return s.tls || s.mtls ? "https" : "http";
  };
  return {
    root,
    dir,
    ca: join(dir, "ca.crt"),
    clientCert: join(dir, "client.crt"),
    clientKey: join(dir, "client.key"),
    port: (site) => ports.get(site)!,
    url: (site) => {
      if (!ports.has(site)) throw new Error(`no site ${site}`);
      return `${scheme(site)}://127.0.0.1:${ports.get(site)}`;
    },
    accessLog: () => readIfExists(join(dir, "access.log")).split("\n").filter(Boolean),
    stop: async () => {
      child.stdin?.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
