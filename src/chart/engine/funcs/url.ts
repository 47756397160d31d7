/**
 * Sprig's urlParse and urlJoin on the rules of Go's net/url (not the WHATWG URL of browsers):
 * opaque URLs (`mailto:x@y`), relative references, the host kept as written, IPv6 hosts with
 * ports, percent-decoding of path and fragment, and Go's escaping when a URL is put together.
 */
import { type GoMap, type GoValue, isGoMap, newGoMap } from "../value.ts";

interface GoUrl {
  scheme: string;
  opaque: string;
  user: { name: string; password?: string } | null;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function parseError(raw: string, why: string): Error {
  return new Error(`parse ${JSON.stringify(raw)}: ${why}`);
}

/** Percent-decoding as Go's unescape (a `%` must start two hex digits). */
function percentDecode(s: string, raw: string): string {
  const bad = /%(?![0-9a-fA-F]{2})/.exec(s);
  if (bad) throw parseError(raw, `invalid URL escape ${JSON.stringify(s.slice(bad.index, bad.index + 3))}`);
  if (!s.includes("%")) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "%") {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else for (const b of Buffer.from(s[i]!, "utf8")) bytes.push(b);
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Go's getScheme: a letter, then letters, digits, `+`, `-`, `.`, up to a colon. */
function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") {
      if (i === 0) throw parseError(raw, "missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

/** Go's url.Parse. */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf("#");
  const fragment = hash < 0 ? "" : percentDecode(raw.slice(hash + 1), raw);
  let rest = hash < 0 ? raw : raw.slice(0, hash);
  const u: GoUrl = { scheme: "", opaque: "", user: null, host: "", path: "", rawQuery: "", fragment };
  if (rest === "") return u;
  const [scheme, afterScheme] = splitScheme(rest);
  rest = afterScheme;
  u.scheme = scheme.toLowerCase();
  const q = rest.indexOf("?");
  if (q >= 0) {
    u.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith("/")) {
    if (u.scheme !== "") {
      u.opaque = rest;
      return u;
    }
    const colon = rest.indexOf(":");
    const slash = rest.indexOf("/");
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      throw parseError(raw, "first path segment in URL cannot contain colon");
    }
  }
  if (rest.startsWith("//") && (u.scheme !== "" || !rest.startsWith("///"))) {
    const end = rest.indexOf("/", 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? "" : rest.slice(end);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      const info = authority.slice(0, at);
      const colon = info.indexOf(":");
      u.user =
        colon < 0
          ? { name: percentDecode(info, raw) }
          : {
              name: percentDecode(info.slice(0, colon), raw),
              password: percentDecode(info.slice(colon + 1), raw),
            };
    }
    u.host = percentDecode(authority.slice(at + 1), raw);
  }
  u.path = percentDecode(rest, raw);
  return u;
}

/** Go's url.URL.Hostname: the host without its port or IPv6 brackets. */
function hostname(host: string): string {
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    return close < 0 ? host.slice(1) : host.slice(1, close);
  }
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

type EscapeMode = "path" | "fragment" | "userinfo";

/** Go's shouldEscape for the parts urlJoin writes. */
function keep(c: string, mode: EscapeMode): boolean {
  if (/[A-Za-z0-9\-_.~]/.test(c)) return true;
  if ("$&+,;=".includes(c)) return true;
  switch (mode) {
    case "path":
      return c === "/" || c === ":" || c === "@";
    case "fragment":
      return "/:@?!()*".includes(c);
    case "userinfo":
      return false;
  }
}

function percentEncode(s: string, mode: EscapeMode): string {
  let out = "";
  for (const ch of s) {
    if (ch.length === 1 && keep(ch, mode)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Go's url.URL.String. */
export function formatGoUrl(u: GoUrl): string {
  let out = u.scheme === "" ? "" : `${u.scheme}:`;
  if (u.opaque !== "") out += u.opaque;
  else {
    if (u.scheme !== "" || u.host !== "" || u.user !== null) {
      if (u.host !== "" || u.path !== "" || u.user !== null) out += "//";
      if (u.user !== null) {
        out += percentEncode(u.user.name, "userinfo");
        if (u.user.password !== undefined) out += `:${percentEncode(u.user.password, "userinfo")}`;
        out += "@";
      }
      out += u.host;
    }
    const path = percentEncode(u.path, "path");
    if (path !== "" && !path.startsWith("/") && u.host !== "") out += "/";
    if (out === "") {
      // A first segment with a colon would read as a scheme.
      const seg = path.split("/")[0]!;
      if (seg.includes(":")) out += "./";
    }
    out += path;
  }
  if (u.rawQuery !== "") out += `?${u.rawQuery}`;
  if (u.fragment !== "") out += `#${percentEncode(u.fragment, "fragment")}`;
  return out;
}

/** Sprig's urlParse: the parts of a URL as a dict. */
export function urlParse(raw: string): GoMap {
  let u: GoUrl;
  try {
    u = parseGoUrl(raw);
  } catch (err) {
    throw new Error(`unable to parse url: ${(err as Error).message}`);
  }
  const m = newGoMap();
  m.fragment = u.fragment;
  m.host = u.host;
  m.hostname = hostname(u.host);
  m.opaque = u.opaque;
  m.path = u.path;
  m.query = u.rawQuery;
  m.scheme = u.scheme;
  m.userinfo =
    u.user === null
      ? ""
      : `${percentEncode(u.user.name, "userinfo")}${u.user.password === undefined ? "" : `:${percentEncode(u.user.password, "userinfo")}`}`;
  return m;
}

/** Sprig's urlJoin: a URL put together from a dict of its parts (as urlParse gives them). */
export function urlJoin(parts: GoValue): string {
  const d = isGoMap(parts) ? parts : newGoMap();
  const get = (key: string): string => {
    const v = d[key];
    if (v === undefined) return "";
    if (typeof v !== "string") {
      throw new Error(`unable to parse ${key} key, must be of type string, but ${goKind(v)} found`);
    }
    return v;
  };
  const userinfo = get("userinfo");
  let user: GoUrl["user"] = null;
  if (userinfo !== "") user = parseGoUrl(`proto://${userinfo}@host`).user;
  return formatGoUrl({
    scheme: get("scheme"),
    host: get("host"),
    path: get("path"),
    rawQuery: get("query"),
    opaque: get("opaque"),
    fragment: get("fragment"),
    user,
  });
}

function goKind(v: GoValue): string {
  if (v === null) return "invalid";
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "slice";
  return isGoMap(v) ? "map" : "struct";
}
