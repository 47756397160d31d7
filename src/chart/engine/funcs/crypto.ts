/**
 * Sprig's crypto functions: private keys, CA / self-signed / CA-signed X.509 certificates
 * (laid out by x509.ts, keys and signatures from node:crypto; a seed makes RSA and DSA keys deterministic),
 * htpasswd and bcrypt (bcryptjs), encryptAES/decryptAES in Sprig's format, and derivePassword
 * (the Master Password v3 scheme Sprig implements).
 */
import {
  checkPrimeSync,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKeyInput,
  type KeyObject,
  scryptSync,
  X509Certificate,
} from "node:crypto";
import { isIP } from "node:net";
import bcryptjs from "bcryptjs";
import type { RandomSource } from "../random.ts";
import { GoStruct, type GoValue } from "../value.ts";
import { asString } from "./convert.ts";
import { goBase64Decode } from "./encoding.ts";
import { func, type TemplateFunc } from "./types.ts";
import { type CertIssuer, createCertificate, integer, issuerFields, seq } from "./x509.ts";

/** Sprig's `certificate` struct: `.Cert` and `.Key` in PEM. */
export class Certificate extends GoStruct {
  readonly goType = "sprig.certificate";
  constructor(
    readonly Cert: string,
    readonly Key: string,
  ) {
    super();
  }
}

/** A prime of `bits` bits found from the seeded stream (native primality test: fast and deterministic). */
function seededPrime(random: RandomSource, bits: number): bigint {
  const bytes = Buffer.from(random.bytes(bits / 8));
  bytes[0] = bytes[0]! | 0xc0; // top two bits set: the product has exactly 2×bits bits
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! | 1;
  let candidate = BigInt(`0x${bytes.toString("hex")}`);
  while (!checkPrimeSync(candidate, { checks: 32 }) || (candidate - 1n) % 0x10001n === 0n) candidate += 2n;
  return candidate;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

const bigBytes = (v: bigint) =>
  Buffer.from(v.toString(16).padStart(2 * Math.ceil(v.toString(16).length / 2), "0"), "hex");
const base64url = (v: bigint) => bigBytes(v).toString("base64url");

function pem(type: string, der: Buffer): string {
  const body = der.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${type}-----\n${body}${body.endsWith("\n") ? "" : "\n"}-----END ${type}-----\n`;
}

/** A deterministic RSA key from the seeded stream, in PKCS#1 PEM. */
function seededRsaPem(random: RandomSource, bits: number): string {
  const e = 0x10001n;
  const p = seededPrime(random, bits / 2);
  let q = seededPrime(random, bits / 2);
  while (q === p) q = seededPrime(random, bits / 2);
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = { kty: "RSA", n: p * q, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInverse(q, p) };
  const key = Object.fromEntries(
    Object.entries(jwk).map(([k, v]) => [k, typeof v === "bigint" ? base64url(v) : v]),
  ) as JsonWebKeyInput["key"];
  return createPrivateKey({ key, format: "jwk" }).export({ type: "pkcs1", format: "pem" }).toString();
}

/** A new RSA key in PKCS#1 PEM: from the seeded stream when a seed is set, else native key generation. */
function rsaPem(random: RandomSource, seeded: boolean, bits: number): string {
  if (seeded) return seededRsaPem(random, bits);
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 0x10001 });
  return privateKey.export({ type: "pkcs1", format: "pem" }).toString();
}

/** A random bigint of exactly `bits` bits (top bit set) from the random source. */
function randomBits(random: RandomSource, bits: number): bigint {
  const bytes = Buffer.from(random.bytes(bits / 8));
  bytes[0] = bytes[0]! | 0x80;
  return BigInt(`0x${bytes.toString("hex")}`);
}

/**
 * A DSA key with Go's L2048N256 parameters, in OpenSSL's `DSA PRIVATE KEY` form (what Go's Sprig
 * writes). Node's key generation has no DSA under every runtime, so the primes are searched here
 * with the native primality test.
 */
function dsaPem(random: RandomSource): string {
  let q = randomBits(random, 256) | 1n;
  while (!checkPrimeSync(q, { checks: 20 })) q += 2n;
  let p: bigint;
  for (;;) {
    const x = randomBits(random, 2048);
    p = x - (x % (2n * q)) + 1n;
    if (p >> 2047n === 1n && checkPrimeSync(p, { checks: 10 })) break;
  }
  let g = 1n;
  for (let h = 2n; g === 1n; h++) g = modPow(h, (p - 1n) / q, p);
  const x = (randomBits(random, 256) % (q - 1n)) + 1n;
  const y = modPow(g, x, p);
  const der = seq(...[0n, p, q, g, y, x].map((v) => integer(v === 0n ? Buffer.from([0]) : bigBytes(v))));
  return pem("DSA PRIVATE KEY", der);
}

/** Sprig's parsePrivateKeyPEM: the PEM block's type says how to read it; errors as Sprig words them. */
function parsePrivateKeyPem(text: string): KeyObject {
  const block = /-----BEGIN ([^-]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (block === null) throw new Error("no PEM data in input");
  const type = block[1]!;
  if (type !== "PRIVATE KEY" && !type.endsWith(" PRIVATE KEY"))
    throw new Error(`no private key data in PEM block of type ${type}`);
  const kind = type.slice(0, -" PRIVATE KEY".length);
  if (type !== "PRIVATE KEY" && kind !== "RSA" && kind !== "EC" && kind !== "DSA")
    throw new Error(`invalid private key type ${type}`);
  try {
    return createPrivateKey(block[0]);
  } catch (err) {
    const what = type === "PRIVATE KEY" ? "decoding PEM as PKCS#8" : `parsing ${kind} private key from PEM`;
    throw new Error(`${what}: ${(err as Error).message}`);
  }
}

/** A private key's PEM as Sprig writes it back: PKCS#1 for RSA, SEC 1 for ECDSA, PKCS#8 for Ed25519. */
function keyPem(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return key.export({ type: "pkcs1", format: "pem" }).toString();
    case "ec":
      return key.export({ type: "sec1", format: "pem" }).toString();
    default:
      return key.export({ type: "pkcs8", format: "pem" }).toString();
  }
}

function serial(random: RandomSource): Buffer {
  const bytes = Buffer.from(random.bytes(16));
  bytes[0] = bytes[0]! & 0x7f; // positive
  return bytes;
}

interface CertSpec {
  cn: string;
  days: number;
  isCA: boolean;
  ips: string[];
  dns: string[];
}

function buildCert(
  spec: CertSpec,
  key: KeyObject,
  random: RandomSource,
  now: Date,
  issuer?: CertIssuer,
): Certificate {
  const cert = createCertificate(
    { ...spec, serial: serial(random), notBefore: now },
    createPublicKey(key),
    issuer ? issuer.key : key,
    issuer,
  );
  return new Certificate(cert, keyPem(key));
}

function strings(v: GoValue, what: string): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${what} must be a list`);
  return v.map(asString);
}

/** Go's net.ParseIP: dotted IPv4 or IPv6 (no zone). */
function checkIps(ips: string[]): string[] {
  for (const ip of ips) if (isIP(ip) === 0 || ip.includes("%")) throw new Error(`error parsing ip: ${ip}`);
  return ips;
}

function issuerOf(ca: GoValue): CertIssuer {
  if (!(ca instanceof Certificate))
    throw new Error("the CA must be a certificate made by genCA or buildCustomCert");
  try {
    const der = Buffer.from(new X509Certificate(ca.Cert).raw);
    return { ...issuerFields(der), key: createPrivateKey(ca.Key) };
  } catch (err) {
    throw new Error(`error parsing CA: ${(err as Error).message}`);
  }
}

/** Sprig's AES key: the password padded (or cut) to 32 bytes. */
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, "utf8").copy(key, 0, 0, 32);
  return key;
}

export function cryptoFuncs(
  random: RandomSource,
  seeded: boolean,
  now: () => Date,
): [string, TemplateFunc][] {
  const ANY = "interface {}" as const;
  const S = "string" as const;
  const I = "int" as const;
  const L = "[]interface {}" as const;
  const newKey = () => createPrivateKey(rsaPem(random, seeded, 2048));
  const keyArg = (pem: GoValue) => {
    try {
      return parsePrivateKeyPem(pem as string);
    } catch (err) {
      throw new Error(`parsing private key: ${(err as Error).message}`);
    }
  };
  const certify = (certSpec: CertSpec, key: KeyObject, issuer?: CertIssuer) =>
    buildCert(certSpec, key, random, now(), issuer);
  const spec = (cn: GoValue, d: GoValue, ips: GoValue, dns: GoValue, isCA = false): CertSpec => ({
    cn: cn as string,
    days: Number(d),
    isCA,
    ips: checkIps(strings(ips, "ips")),
    dns: strings(dns, "dns"),
  });
  return [
    [
      "genPrivateKey",
      func([S], (type) => {
        switch (type) {
          case "rsa":
            return rsaPem(random, seeded, 4096);
          case "ecdsa":
            return generateKeyPairSync("ec", { namedCurve: "P-256" })
              .privateKey.export({ type: "sec1", format: "pem" })
              .toString();
          case "ed25519":
            return generateKeyPairSync("ed25519")
              .privateKey.export({ type: "pkcs8", format: "pem" })
              .toString();
          case "dsa":
            return dsaPem(random);
          default:
            return `Unknown type ${type}`;
        }
      }),
    ],
    ["genCA", func([S, I], (cn, d) => certify(spec(cn, d, null, null, true), newKey()))],
    ["genCAWithKey", func([S, I, S], (cn, d, key) => certify(spec(cn, d, null, null, true), keyArg(key)))],
    ["genSelfSignedCert", func([S, L, L, I], (cn, ips, dns, d) => certify(spec(cn, d, ips, dns), newKey()))],
    [
      "genSelfSignedCertWithKey",
      func([S, L, L, I, S], (cn, ips, dns, d, key) => certify(spec(cn, d, ips, dns), keyArg(key))),
    ],
    [
      "genSignedCert",
      func([S, L, L, I, ANY], (cn, ips, dns, d, ca) =>
        certify(spec(cn, d, ips, dns), newKey(), issuerOf(ca)),
      ),
    ],
    [
      "genSignedCertWithKey",
      func([S, L, L, I, ANY, S], (cn, ips, dns, d, ca, key) =>
        certify(spec(cn, d, ips, dns), keyArg(key), issuerOf(ca)),
      ),
    ],
    [
      "buildCustomCert",
      func([S, S], (cert, key) => {
        const decode = (b64: GoValue, what: string) => {
          try {
            return goBase64Decode(b64 as string).toString("utf8");
          } catch {
            throw new Error(`unable to decode base64 ${what}`);
          }
        };
        const c = decode(cert, "certificate");
        const k = decode(key, "private key");
        if (!/-----BEGIN [^-]+-----/.test(c)) throw new Error("unable to decode certificate");
        try {
          new X509Certificate(c);
        } catch (err) {
          throw new Error(`error parsing certificate: decodedCert.Bytes: ${(err as Error).message}`);
        }
        if (!/-----BEGIN [^-]+-----/.test(k)) throw new Error("unable to decode key");
        return new Certificate(c, k);
      }),
    ],
    [
      "htpasswd",
      func([S, S], (user, password) => {
        if ((user as string).includes(":")) return `invalid username: ${user as string}`;
        return `${user}:${bcryptHash(password as string)}`;
      }),
    ],
    ["derivePassword", func(["uint32", S, S, S, S], derivePassword)],
    ["randBytes", func([I], (n) => Buffer.from(random.bytes(Number(n))).toString("base64"))],
    ["bcrypt", func([S], (password) => bcryptHash(password as string))],
    [
      "encryptAES",
      func([S, S], (password, plain) => {
        const iv = Buffer.from(random.bytes(16));
        const data = Buffer.from(plain as string, "utf8");
        const pad = 16 - (data.length % 16);
        const padded = Buffer.concat([data, Buffer.alloc(pad, pad)]);
        const cipher = createCipheriv("aes-256-cbc", aesKey(password as string), iv).setAutoPadding(false);
        return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString("base64");
      }),
    ],
    [
      "decryptAES",
      func([S, S], (password, enc) => {
        const raw = goBase64Decode(enc as string);
        if (raw.length < 16) {
          // Go's decoder allocates 3 bytes per 4 characters: that is the slice's capacity.
          const capacity = Math.floor((enc as string).length / 4) * 3;
          throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${capacity}`);
        }
        if (raw.length % 16 !== 0) throw new Error("blocksize must be multipe of decoded message length");
        const decipher = createDecipheriv(
          "aes-256-cbc",
          aesKey(password as string),
          raw.subarray(0, 16),
        ).setAutoPadding(false);
        const out = Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]);
        return out.subarray(0, out.length - out[out.length - 1]!).toString("utf8");
      }),
    ],
  ];
}

/** Go's bcrypt writes the `$2a$` prefix; the hash is the same as bcryptjs's `$2b$` one. */
function bcryptHash(password: string): string {
  return bcryptjs.hashSync(password, bcryptjs.genSaltSync(10)).replace(/^\$2b\$/, "$2a$");
}

/** Master Password's site templates (by password type) and template character classes. */
const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  medium: ["CvcnoCvc", "CvcCvcno"],
  short: ["Cvcn"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  pin: ["nnnn"],
};

const PASSWORD_CHARS: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

const MASTER_PASSWORD_SCOPE = "com.lyndir.masterpassword";

function lengthPrefixed(s: string): Buffer {
  const bytes = Buffer.from(s, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/** Sprig's derivePassword: scrypt over the user's scope, HMAC over the site, then a template. */
function derivePassword(
  counter: GoValue,
  type: GoValue,
  password: GoValue,
  user: GoValue,
  site: GoValue,
): string {
  const templates = PASSWORD_TEMPLATES[type as string];
  if (templates === undefined) return `cannot find password template ${type as string}`;
  const scope = Buffer.from(MASTER_PASSWORD_SCOPE);
  const salt = Buffer.concat([scope, lengthPrefixed(user as string)]);
  const key = scryptSync(Buffer.from(password as string, "utf8"), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 64 * 1024 * 1024,
  });
  const count = Buffer.alloc(4);
  count.writeUInt32BE(Number(counter));
  const seed = createHmac("sha256", key)
    .update(Buffer.concat([scope, lengthPrefixed(site as string), count]))
    .digest();
  const template = templates[seed[0]! % templates.length]!;
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const chars = PASSWORD_CHARS[template[i]!]!;
    out += chars[seed[i + 1]! % chars.length];
  }
  return out;
}
