/**
 * The URL and e-mail checks Helm's Chart.yaml rules use (Go's url.ParseRequestURI and the
 * govalidator package's IsURL / IsEmail), as predicates written from their documented behaviour.
 */

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// Characters Go's URL parser accepts in a host name, besides percent escapes.
const HOST_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=[\]:<>"]*$/;

/** Go's `url.ParseRequestURI(s)` succeeds and yields a scheme (govalidator.IsRequestURL). */
export function isRequestUrl(s: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(s)) return false;
  const scheme = SCHEME.exec(s);
  if (!scheme) return false;
  let rest = s.slice(scheme[0].length);
  const q = rest.indexOf("?");
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith("//")) return true;
  let authority = rest.slice(2);
  const slash = authority.indexOf("/");
  if (slash >= 0) authority = authority.slice(0, slash);
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  if (/%(?![0-9A-Fa-f]{2})/.test(host)) return false;
  if (!HOST_CHARS.test(host.replace(/%[0-9A-Fa-f]{2}/g, ""))) return false;
  if (host.startsWith("[")) return /^\[[^\]]*\](:\d*)?$/.test(host);
  const colon = host.lastIndexOf(":");
  return colon < 0 || /^\d*$/.test(host.slice(colon + 1));
}

const IPV4 =
  "(?:[1-9]\\d?|1\\d\\d|2[01]\\d|22[0-3]|24\\d|25[0-5])(?:\\.(?:1?\\d{1,2}|2[0-4]\\d|25[0-5])){2}\\.(?:[0-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5])";
const LABEL = "[A-Za-z0-9\\u00a1-\\uffff](?:[A-Za-z0-9\\u00a1-\\uffff_-]*[A-Za-z0-9\\u00a1-\\uffff])?";
const HOST = `(?:${IPV4}|\\[[0-9A-Fa-f:.]+\\]|${LABEL}(?:[-.]${LABEL})*)`;
const URL_PATTERN = new RegExp(
  `^(?:(?:ftp|tcp|udp|wss?|https?)://)?(?:\\S+(?::\\S*)?@)?${HOST}\\.?(?::\\d{1,5})?(?:[/?#]\\S*)?$`,
  "u",
);

/** govalidator.IsURL: a URL with or without a scheme, with a plausible host. */
export function isUrl(s: string): boolean {
  if (s === "" || [...s].length >= 2083 || s.length <= 3 || s.startsWith(".")) return false;
  return URL_PATTERN.test(s);
}

const LOCAL =
  "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\u00a0-\\uffff]+(?:\\.[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\u00a0-\\uffff]+)*";
const DOMAIN_LABEL = "[A-Za-z0-9\\u00a0-\\uffff](?:[A-Za-z0-9\\u00a0-\\uffff-]*[A-Za-z0-9\\u00a0-\\uffff])?";
const TLD = "[A-Za-z\\u00a0-\\uffff](?:[A-Za-z0-9\\u00a0-\\uffff._~-]*[A-Za-z\\u00a0-\\uffff])?";
const EMAIL = new RegExp(`^${LOCAL}@(?:${DOMAIN_LABEL}\\.)+${TLD}\\.?$`, "u");

/** govalidator.IsEmail: `local@domain.tld`. */
export function isEmail(s: string): boolean {
  return EMAIL.test(s);
}
