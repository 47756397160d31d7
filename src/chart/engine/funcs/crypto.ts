/**
 * Sprig's crypto functions: private keys, CA / self-signed / CA-signed X.509 certificates
 * (node-forge builds them; node:crypto makes RSA keys quickly unless a seed asks for determinism),
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
  type KeyObject,
  scryptSync,
  sign,
} from "node:crypto";
import bcryptjs from "bcryptjs";
import forge from "node-forge";
import type { RandomSource } from "../random.ts";
import { GoStruct, type GoValue } from "../value.ts";
import { asString } from "./convert.ts";
import { goBase64Decode } from "./encoding.ts";
import { func, type TemplateFunc } from "./types.ts";

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

/**
 * An RSA key pair as the certificate functions use it: node:crypto signs (native, fast), node-forge
 * only lays out the certificate around the public key; `pem` is Go's PKCS#1 form.
 */
interface RsaKeys {
  pem: string;
  signer: KeyObject;
  publicKey: forge.pki.rsa.PublicKey;
}

function rsaKeysOfPem(pem: string): RsaKeys {
  const signer = createPrivateKey(pem);
  const publicPem = createPublicKey(signer).export({ type: "spki", format: "pem" }).toString();
  return {
    pem: signer.export({ type: "pkcs1", format: "pem" }).toString(),
    signer,
    publicKey: forge.pki.publicKeyFromPem(publicPem) as forge.pki.rsa.PublicKey,
  };
}

/** A deterministic RSA key from the seeded stream, in PKCS#1 PEM. */
function seededRsaPem(random: RandomSource, bits: number): string {
  const e = 0x10001n;
  const p = seededPrime(random, bits / 2);
  let q = seededPrime(random, bits / 2);
  while (q === p) q = seededPrime(random, bits / 2);
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const big = (v: bigint) => new forge.jsbn.BigInteger(v.toString(16), 16);
  const privateKey = forge.pki.rsa.setPrivateKey(
    big(n),
    big(e),
    big(d),
    big(p),
    big(q),
    big(d % (p - 1n)),
    big(d % (q - 1n)),
    big(modInverse(q, p)),
  );
  return forge.pki.privateKeyToPem(privateKey);
}

/** A new RSA key in PKCS#1 PEM: from the seeded stream when a seed is set, else native key generation. */
function rsaPem(random: RandomSource, seeded: boolean, bits: number): string {
  if (seeded) return seededRsaPem(random, bits);
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 0x10001 });
  return privateKey.export({ type: "pkcs1", format: "pem" }).toString();
}

function keyPairFromPem(pem: string): RsaKeys {
  try {
    const keys = rsaKeysOfPem(pem);
    if (keys.signer.asymmetricKeyType === "rsa") return keys;
  } catch {
    // reported below
  }
  throw new Error("error parsing private key: unsupported or invalid key");
}

/** Sign a certificate with SHA-256 and RSA natively (what forge's cert.sign does, without its pure-JS RSA). */
function signCertificate(cert: forge.pki.Certificate, signer: KeyObject): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  // getTBSCertificate is public in node-forge but missing from its type declarations.
  const pki = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  cert.tbsCertificate = pki.getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbs, signer).toString("binary");
}

function serial(random: RandomSource): string {
  const bytes = Buffer.from(random.bytes(16));
  bytes[0] = bytes[0]! & 0x7f; // positive
  return bytes.toString("hex");
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
  keys: RsaKeys,
  random: RandomSource,
  now: Date,
  issuer?: Issuer,
): Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial(random);
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + spec.days * 24 * 3600 * 1000);
  const subject = [{ name: "commonName", value: spec.cn }];
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  const extensions: object[] = [
    { name: "keyUsage", keyEncipherment: true, digitalSignature: true, keyCertSign: spec.isCA },
    { name: "extKeyUsage", serverAuth: true, clientAuth: true },
    { name: "basicConstraints", cA: spec.isCA, critical: true },
  ];
  const altNames = [
    ...spec.dns.map((value) => ({ type: 2, value })),
    ...spec.ips.map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: "subjectAltName", altNames });
  cert.setExtensions(extensions);
  signCertificate(cert, issuer ? issuer.key : keys.signer);
  return new Certificate(forge.pki.certificateToPem(cert), keys.pem);
}

function strings(v: GoValue, what: string): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${what} must be a list`);
  return v.map(asString);
}

interface Issuer {
  cert: forge.pki.Certificate;
  key: KeyObject;
}

function issuerOf(ca: GoValue): Issuer {
  if (!(ca instanceof Certificate))
    throw new Error("the CA must be a certificate made by genCA or buildCustomCert");
  try {
    return {
      cert: forge.pki.certificateFromPem(ca.Cert),
      key: createPrivateKey(ca.Key),
    };
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
  const newKey = () => rsaKeysOfPem(rsaPem(random, seeded, 2048));
  const certify = (certSpec: CertSpec, keys: RsaKeys, issuer?: Issuer) =>
    buildCert(certSpec, keys, random, now(), issuer);
  const spec = (cn: GoValue, d: GoValue, ips: GoValue, dns: GoValue, isCA = false): CertSpec => ({
    cn: cn as string,
    days: Number(d),
    isCA,
    ips: strings(ips, "ips"),
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
            return generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 })
              .privateKey.export({ type: "pkcs8", format: "pem" })
              .toString();
          default:
            return `Unknown type ${type}`;
        }
      }),
    ],
    ["genCA", func([S, I], (cn, d) => certify(spec(cn, d, null, null, true), newKey()))],
    [
      "genCAWithKey",
      func([S, I, S], (cn, d, key) => certify(spec(cn, d, null, null, true), keyPairFromPem(key as string))),
    ],
    ["genSelfSignedCert", func([S, L, L, I], (cn, ips, dns, d) => certify(spec(cn, d, ips, dns), newKey()))],
    [
      "genSelfSignedCertWithKey",
      func([S, L, L, I, S], (cn, ips, dns, d, key) =>
        certify(spec(cn, d, ips, dns), keyPairFromPem(key as string)),
      ),
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
        certify(spec(cn, d, ips, dns), keyPairFromPem(key as string), issuerOf(ca)),
      ),
    ],
    [
      "buildCustomCert",
      func([S, S], (cert, key) => {
        const c = Buffer.from(cert as string, "base64").toString("utf8");
        const k = Buffer.from(key as string, "base64").toString("utf8");
        try {
          forge.pki.certificateFromPem(c);
        } catch {
          throw new Error("unable to decode certificate");
        }
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
          throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${raw.length}`);
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
