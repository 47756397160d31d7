/**
 * HELM_DRIVER_SQL_CONNECTION_STRING as Helm's PostgreSQL client (lib/pq 1.10) reads it: a
 * `postgres://` / `postgresql://` URL or a libpq `key=value` list (values optionally single-quoted,
 * backslash escapes), over defaults (localhost:5432, the OS user, sslmode `require`) and the PG*
 * environment variables. Turned into node-postgres client options; connection failures are worded
 * as lib/pq words them, so errors read the same as real Helm's.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import { userInfo } from "node:os";
import type { ClientConfig } from "pg";

/** Keys lib/pq interprets itself; any other key is a server run-time parameter. */
const CLIENT_KEYS = new Set([
  "host",
  "port",
  "user",
  "password",
  "dbname",
  "sslmode",
  "sslcert",
  "sslkey",
  "sslrootcert",
  "sslinline",
  "sslsni",
  "connect_timeout",
  "application_name",
  "fallback_application_name",
  "binary_parameters",
  "disable_prepared_binary_result",
  "krbsrvname",
  "krbspn",
]);

/** The PG* variables lib/pq reads, and the key each sets. */
const ENVIRONMENT: Record<string, string> = {
  PGHOST: "host",
  PGPORT: "port",
  PGDATABASE: "dbname",
  PGUSER: "user",
  PGPASSWORD: "password",
  PGSSLMODE: "sslmode",
  PGSSLCERT: "sslcert",
  PGSSLKEY: "sslkey",
  PGSSLROOTCERT: "sslrootcert",
  PGCONNECT_TIMEOUT: "connect_timeout",
  PGAPPNAME: "application_name",
};

/** Parse a libpq `key=value` connection string; errors are lib/pq's. */
export function parseKeyValueDsn(dsn: string): Map<string, string> {
  const out = new Map<string, string>();
  const chars = [...dsn];
  let i = 0;
  const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);
  const skipSpaces = () => {
    while (isSpace(chars[i])) i++;
  };
  for (;;) {
    skipSpaces();
    if (i >= chars.length) return out;
    let key = "";
    while (i < chars.length && !isSpace(chars[i]) && chars[i] !== "=") key += chars[i++];
    skipSpaces();
    if (chars[i] !== "=")
      throw new Error(`missing "=" after ${JSON.stringify(key)} in connection info string"`);
    i++;
    skipSpaces();
    let value = "";
    if (i >= chars.length) {
      out.set(key, "");
      return out;
    }
    if (chars[i] === "'") {
      i++;
      for (;;) {
        if (i >= chars.length) throw new Error("unterminated quoted string literal in connection string");
        const c = chars[i++]!;
        if (c === "'") break;
        value += c === "\\" ? (chars[i++] ?? "") : c;
      }
    } else {
      while (i < chars.length && !isSpace(chars[i])) {
        let c = chars[i++]!;
        if (c === "\\") {
          if (i >= chars.length) throw new Error("missing character after backslash");
          c = chars[i++]!;
        }
        value += c;
      }
    }
    out.set(key, value);
  }
}

/** A `postgres://` URL as the `key=value` pairs lib/pq turns it into (empty values dropped). */
export function parsePostgresUrl(text: string): Map<string, string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`parse ${JSON.stringify(text)}: invalid URL`);
  }
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "postgres" && scheme !== "postgresql")
    throw new Error(`invalid connection protocol: ${scheme}`);
  const out = new Map<string, string>();
  const put = (k: string, v: string) => {
    if (v !== "") out.set(k, v);
  };
  put("user", decodeURIComponent(url.username));
  if (url.password !== "") put("password", decodeURIComponent(url.password));
  put("host", url.hostname.replace(/^\[(.*)\]$/, "$1"));
  put("port", url.port);
  put("dbname", decodeURIComponent(url.pathname.replace(/^\//, "")));
  for (const k of new Set(url.searchParams.keys())) put(k, url.searchParams.get(k) ?? "");
  return out;
}

/** The effective settings: defaults, then PG* environment variables, then the connection string. */
export function connectionSettings(
  connectionString: string,
  env: Record<string, string | undefined> = process.env,
): Map<string, string> {
  const settings = new Map<string, string>([
    ["host", "localhost"],
    ["port", "5432"],
  ]);
  for (const [name, key] of Object.entries(ENVIRONMENT)) {
    const v = env[name];
    if (v) settings.set(key, v);
  }
  const isUrl = connectionString.startsWith("postgres://") || connectionString.startsWith("postgresql://");
  const given = isUrl ? parsePostgresUrl(connectionString) : parseKeyValueDsn(connectionString);
  for (const [k, v] of given) settings.set(k, v);
  if (!settings.has("user")) settings.set("user", userInfo().username);
  return settings;
}

/** A bad sslmode or certificate file: lib/pq notices these only after reaching the server. */
export class TlsSetupError extends Error {}

/** node-postgres client options for the settings; bad values fail as lib/pq's. */
export function clientConfig(settings: Map<string, string>): ClientConfig {
  const get = (k: string) => settings.get(k);
  const extra = [...settings].filter(([k]) => !CLIENT_KEYS.has(k));
  const timeoutText = get("connect_timeout") ?? "0";
  if (!/^[+-]?\d+$/.test(timeoutText))
    throw new Error(
      `invalid value for parameter connect_timeout: strconv.ParseInt: parsing ${JSON.stringify(timeoutText)}: invalid syntax`,
    );
  const timeout = Number(timeoutText);
  return {
    host: get("host"),
    port: Number(get("port")),
    user: get("user"),
    password: get("password") ?? "",
    database: get("dbname"),
    ssl: sslOptions(settings),
    application_name: get("application_name") ?? get("fallback_application_name"),
    connectionTimeoutMillis: timeout > 0 ? timeout * 1000 : undefined,
    // Unknown keys travel to the server as run-time parameters, which it checks (as with lib/pq).
    options: extra.length
      ? extra.map(([k, v]) => `-c ${k}=${v.replace(/[\\ ]/g, (c) => `\\${c}`)}`).join(" ")
      : undefined,
  };
}

function sslOptions(settings: Map<string, string>): ClientConfig["ssl"] {
  const mode = settings.get("sslmode") ?? "";
  if (mode === "disable") return false;
  if (!["", "require", "verify-ca", "verify-full"].includes(mode))
    throw new TlsSetupError(
      `pq: unsupported sslmode ${JSON.stringify(mode)}; only "require" (default), "verify-full", "verify-ca", and "disable" supported`,
    );
  const files = {
    ca: pemFile(settings, "sslrootcert"),
    cert: pemFile(settings, "sslcert"),
    key: pemFile(settings, "sslkey"),
  };
  if (mode === "verify-full") return { ...files, rejectUnauthorized: true };
  // verify-ca checks the chain, not the name; lib/pq's `require` checks nothing unless given a root CA.
  const verify = mode === "verify-ca" || files.ca !== undefined;
  return { ...files, rejectUnauthorized: verify, checkServerIdentity: () => undefined };
}

/** A certificate file named by the settings, read now; errors worded as Go's `open` errors. */
function pemFile(settings: Map<string, string>, key: string): Buffer | undefined {
  const path = settings.get(key);
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === "ENOENT"
        ? "no such file or directory"
        : code === "EACCES"
          ? "permission denied"
          : (err as Error).message;
    throw new TlsSetupError(`open ${path}: ${why}`);
  }
}

/**
 * Open and close a connection to the server, for errors lib/pq reports before its TLS checks (an
 * unsupported sslmode is only noticed once the server answers).
 */
export function dialServer(settings: Map<string, string>): Promise<void> {
  const host = settings.get("host") ?? "localhost";
  const port = Number(settings.get("port"));
  return new Promise((resolve, reject) => {
    const sock = host.startsWith("/") ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect({ host, port });
    sock.once("connect", () => {
      sock.destroy();
      resolve();
    });
    sock.once("error", (err) => {
      sock.destroy();
      reject(err);
    });
  });
}

/** A connection or query failure worded as Go's net package and lib/pq word it. */
export function describeSqlError(err: unknown, settings?: Map<string, string>): string {
  const e = err as { code?: string; severity?: string; message?: string; address?: string; port?: number };
  const message = e?.message ?? String(err);
  if (e?.severity) return `pq: ${message}`;
  if (message === "The server does not support SSL connections")
    return "pq: SSL is not enabled on the server";
  // node-postgres refuses to answer a password request without a password; lib/pq sends an empty
  // one, which the server refuses.
  if (/^SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a (non-empty )?string$/.test(message))
    return `pq: password authentication failed for user ${JSON.stringify(settings?.get("user") ?? "")}`;
  const host = settings?.get("host") ?? "";
  const port = settings?.get("port") ?? "";
  const network = host.startsWith("/") ? "unix" : "tcp";
  const target = network === "unix" ? `${host}/.s.PGSQL.${port}` : `${e.address ?? host}:${e.port ?? port}`;
  switch (e?.code) {
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
      // verify-full leaves the check to Go's TLS handshake, which says so; verify-ca checks itself.
      return `${settings?.get("sslmode") === "verify-full" ? "tls: failed to verify certificate: " : ""}x509: certificate signed by unknown authority`;
    case "ECONNREFUSED":
      return `dial ${network} ${target}: connect: connection refused`;
    case "ENOENT":
      return `dial ${network} ${target}: connect: no such file or directory`;
    case "ENOTFOUND":
    case "EAI_AGAIN": {
      const server = nameServer();
      return `dial tcp: lookup ${host}${server ? ` on ${server}` : ""}: no such host`;
    }
    case "ETIMEDOUT":
      return `dial tcp ${target}: i/o timeout`;
    default:
      return message;
  }
}

/** The first name server of /etc/resolv.conf, as Go's resolver names it in errors (`IP:53`). */
function nameServer(): string | undefined {
  try {
    const m = /^nameserver\s+(\S+)/m.exec(readFileSync("/etc/resolv.conf", "utf8"));
    if (!m) return undefined;
    return m[1]!.includes(":") ? `[${m[1]}]:53` : `${m[1]}:53`;
  } catch {
    return undefined;
  }
}
