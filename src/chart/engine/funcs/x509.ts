/**
 * X.509 certificates as Go's crypto/x509 writes them for Sprig's templates (CN-only subject,
 * key usages, server+client auth, basic constraints, SANs, key ids), laid out in DER here and signed
 * by node:crypto with RSA, ECDSA or Ed25519 keys — no pure-JS crypto library to load.
 */
import { createHash, type KeyObject, sign } from "node:crypto";

// ---------- DER ----------

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

export const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));

/** A non-negative INTEGER from its big-endian magnitude. */
export function integer(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return tlv(0x02, m[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const groups: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));

/** Go marshals a name as PrintableString when it can, else UTF8String. */
function directoryString(s: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)
    ? tlv(0x13, Buffer.from(s))
    : tlv(0x0c, Buffer.from(s, "utf8"));
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280, as Go does). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const year = d.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

/** One TLV read from DER: its tag, content and total size. */
interface Tlv {
  tag: number;
  content: Buffer;
  raw: Buffer;
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at]!;
  let len = der[at + 1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("bad DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i]!;
    head += n;
  }
  if (at + head + len > der.length) throw new Error("truncated DER");
  return { tag, content: der.subarray(at + head, at + head + len), raw: der.subarray(at, at + head + len) };
}

function children(content: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < content.length; ) {
    const t = readTlv(content, at);
    out.push(t);
    at += t.raw.length;
  }
  return out;
}

// ---------- certificates ----------

const OID_KEY_USAGE = "2.5.29.15";
const OID_SUBJECT_KEY_ID = "2.5.29.14";

export interface CertTemplate {
  cn: string;
  days: number;
  isCA: boolean;
  ips: string[];
  dns: string[];
  serial: Buffer;
  notBefore: Date;
}

/** What signs a certificate: a CA certificate's subject and key id, or none for self-signed. */
export interface CertIssuer {
  subject: Buffer;
  keyId?: Buffer;
  key: KeyObject;
}

function algorithmOf(key: KeyObject): { id: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { id: seq(oid("1.2.840.113549.1.1.11"), tlv(0x05, Buffer.alloc(0))), hash: "sha256" };
    case "ec":
      return { id: seq(oid("1.2.840.10045.4.3.2")), hash: "sha256" };
    case "ed25519":
      return { id: seq(oid("1.3.101.112")), hash: null };
    default:
      throw new Error(`x509: unsupported public key type: ${key.asymmetricKeyType}`);
  }
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** An IP address as the 4 or 16 bytes Go puts in a certificate. */
function ipBytes(ip: string): Buffer {
  if (ip.includes(":")) {
    const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
    const words = (s: string | undefined) => (s ? s.split(":") : []);
    let h = words(head);
    let t = words(tail);
    const v4 = (ws: string[]) => {
      const last = ws[ws.length - 1];
      if (last?.includes(".")) {
        const b = last.split(".").map(Number);
        ws.splice(ws.length - 1, 1, ((b[0]! << 8) | b[1]!).toString(16), ((b[2]! << 8) | b[3]!).toString(16));
      }
      return ws;
    };
    if (tail === undefined) h = v4(h);
    else t = v4(t);
    const all =
      tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill("0"), ...t];
    return Buffer.from(all.flatMap((w) => [Number.parseInt(w, 16) >> 8, Number.parseInt(w, 16) & 0xff]));
  }
  return Buffer.from(ip.split(".").map(Number));
}

/** A signed certificate in PEM for the public key, with Go's layout of Sprig's template. */
export function createCertificate(
  t: CertTemplate,
  publicKey: KeyObject,
  signer: KeyObject,
  issuer?: CertIssuer,
): string {
  const spki = publicKey.export({ type: "spki", format: "der" });
  const alg = algorithmOf(signer);
  const subject = seq(tlv(0x31, seq(oid("2.5.4.3"), directoryString(t.cn))));
  const notAfter = new Date(t.notBefore.getTime() + t.days * 24 * 3600 * 1000);
  // keyUsage bits: digitalSignature (0), keyEncipherment (2), keyCertSign (5).
  const usage = t.isCA ? bitString(Buffer.from([0xa4]), 2) : bitString(Buffer.from([0xa0]), 5);
  const extensions = [
    extension(OID_KEY_USAGE, true, usage),
    extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
    extension("2.5.29.19", true, t.isCA ? seq(bool(true)) : seq()),
  ];
  if (t.isCA) {
    // Go derives a CA's key id from the SHA-1 of its public key bits.
    const bits = children(readTlv(spki, 0).content)[1]!.content.subarray(1);
    extensions.push(extension(OID_SUBJECT_KEY_ID, false, octets(createHash("sha1").update(bits).digest())));
  }
  if (issuer?.keyId !== undefined)
    extensions.push(extension("2.5.29.35", false, seq(tlv(0x80, issuer.keyId))));
  const names = [
    ...t.dns.map((d) => tlv(0x82, Buffer.from(d))),
    ...t.ips.map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  if (names.length > 0) extensions.push(extension("2.5.29.17", false, seq(...names)));
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(t.serial),
    alg.id,
    issuer?.subject ?? subject,
    seq(time(t.notBefore), time(notAfter)),
    subject,
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign(alg.hash, tbs, signer);
  const der = seq(tbs, alg.id, bitString(signature));
  const body = der.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith("\n") ? "" : "\n"}-----END CERTIFICATE-----\n`;
}

/** The subject and subject key id of a certificate (DER), for certificates it signs. */
export function issuerFields(der: Buffer): { subject: Buffer; keyId?: Buffer } {
  const tbs = children(readTlv(der, 0).content)[0]!;
  const fields = children(tbs.content);
  const at = fields[0]!.tag === 0xa0 ? 1 : 0;
  const subject = fields[at + 4]!.raw;
  let keyId: Buffer | undefined;
  const exts = fields.find((f) => f.tag === 0xa3);
  if (exts !== undefined) {
    for (const ext of children(children(exts.content)[0]!.content)) {
      const parts = children(ext.content);
      if (parts[0]!.raw.equals(oid(OID_SUBJECT_KEY_ID)))
        keyId = readTlv(parts[parts.length - 1]!.content, 0).content;
    }
  }
  return { subject, keyId };
}
