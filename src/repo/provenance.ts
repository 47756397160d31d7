/**
 * Chart provenance (`CHART.tgz.prov`) as Helm writes and checks it: an OpenPGP clear-signed
 * document whose body is the chart's metadata as YAML, a `...` line, and `files:` mapping the
 * archive's file name to `sha256:HEX`. Keyrings are GnuPG keyring files (binary, as
 * `gpg --export` writes them, or armored). `openpgp` (pure JS) does the cryptography.
 * Errors are Helm's words (`sha256 sum does not match for …`, `signature block not found`).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { ChartMetadata } from "../chart/chart.ts";
import { fromYaml, toYaml } from "../chart/engine/funcs/serialize.ts";
import { isGoMap } from "../chart/engine/value.ts";
import { loadArchive } from "../chart/loader.ts";
import { jsonToGo, metadataJson } from "../chart/metadata-json.ts";
import { atomicWriteFile } from "./fs.ts";

type OpenPgp = typeof import("openpgp");
// Loaded on first use: signing and verifying are rare, and openpgp is large.
let openpgpModule: Promise<OpenPgp> | undefined;
function openpgp(): Promise<OpenPgp> {
  openpgpModule ??= import("openpgp");
  return openpgpModule;
}

/** What a successful verification found. */
export interface Verification {
  /** The signer's first user ID (`Name <email>`). */
  signedBy: string;
  /** The signing key's fingerprint, upper-case hex. */
  fingerprint: string;
  /** `sha256:HEX` of the archive. */
  fileHash: string;
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** The text Helm signs: metadata YAML, `...`, and the archive's checksum. */
export function provenanceBody(md: ChartMetadata, archiveName: string, archive: Uint8Array): string {
  const meta = toYaml(jsonToGo(metadataJson(md)));
  return `${meta}\n\n...\n${provenanceFiles(archiveName, archive)}\n`;
}

function ioMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "no such file or directory";
  if (e.code === "EACCES") return "permission denied";
  return e.message;
}

async function readKeyringBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new Error(`failed to load keyring: open ${path}: ${ioMessage(err)}`);
  }
}

function isArmored(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 64)).toString("latin1").includes("-----BEGIN PGP");
}

/** The public keys of a keyring (a secret keyring's keys count too, as in Helm). */
async function loadPublicKeys(path: string) {
  const pgp = await openpgp();
  const bytes = await readKeyringBytes(path);
  try {
    const keys = isArmored(bytes)
      ? await pgp.readKeys({ armoredKeys: Buffer.from(bytes).toString("utf8") })
      : await pgp.readKeys({ binaryKeys: bytes });
    return keys;
  } catch (err) {
    throw new Error(
      `failed to load keyring: openpgp: invalid data: ${(err as Error).message.split("\n")[0]}`,
    );
  }
}

async function loadPrivateKeys(path: string) {
  const pgp = await openpgp();
  const bytes = await readKeyringBytes(path);
  try {
    return isArmored(bytes)
      ? await pgp.readPrivateKeys({ armoredKeys: Buffer.from(bytes).toString("utf8") })
      : await pgp.readPrivateKeys({ binaryKeys: bytes });
  } catch (err) {
    throw new Error(
      `failed to load keyring: openpgp: invalid data: ${(err as Error).message.split("\n")[0]}`,
    );
  }
}

/**
 * Clear-sign `text` with the key of `keyring` whose user ID contains `keyName` (decrypted with
 * `passphrase` when it is protected); returns the armored document with LF line ends.
 */
export async function clearSign(
  text: string,
  keyringPath: string,
  keyName: string,
  passphrase?: string,
): Promise<string> {
  const pgp = await openpgp();
  const keys = await loadPrivateKeys(keyringPath);
  const key = keys.find((k) => k.getUserIDs().some((id) => id.includes(keyName)));
  if (!key) throw new Error("private key not found");
  let signingKey = key;
  if (!key.isDecrypted()) {
    if (passphrase === undefined)
      throw new Error(`private key is encrypted: a passphrase is needed for ${keyName}`);
    try {
      signingKey = await pgp.decryptKey({ privateKey: key, passphrase });
    } catch (err) {
      throw new Error(`openpgp: ${(err as Error).message}`);
    }
  }
  const signed = await pgp.sign({
    message: await pgp.createCleartextMessage({ text }),
    signingKeys: signingKey,
    config: { preferredHashAlgorithm: pgp.enums.hash.sha512 },
  });
  // openpgp armors with CRLF; Helm's files use LF (the signature covers canonical CRLF text either way).
  return signed.replaceAll("\r\n", "\n");
}

/** The `files:` part of a provenance body: the archive's name and checksum. */
export function provenanceFiles(archiveName: string, archive: Uint8Array): string {
  return toYaml(jsonToGo({ files: { [archiveName]: sha256(archive) } }));
}

/** Sign a packaged chart: write `ARCHIVE.prov` (see {@link clearSign}). */
export async function signChart(
  archivePath: string,
  keyringPath: string,
  keyName: string,
  passphrase?: string,
): Promise<string> {
  const archive = new Uint8Array(readFileSync(archivePath));
  const md = loadArchive(archive).metadata;
  const text = provenanceBody(md, basename(archivePath), archive);
  const provPath = `${archivePath}.prov`;
  atomicWriteFile(provPath, await clearSign(text, keyringPath, keyName, passphrase));
  return provPath;
}

/** Check a `.prov` text against the archive bytes it should describe. */
export async function verifyProvenance(
  archive: Uint8Array,
  archiveName: string,
  provText: string,
  keyringPath: string,
): Promise<Verification> {
  const pgp = await openpgp();
  const keys = await loadPublicKeys(keyringPath);
  if (
    !provText.includes("-----BEGIN PGP SIGNED MESSAGE-----") ||
    !provText.includes("-----BEGIN PGP SIGNATURE-----")
  )
    throw new Error("signature block not found");
  let message: Awaited<ReturnType<OpenPgp["readCleartextMessage"]>>;
  try {
    message = await pgp.readCleartextMessage({ cleartextMessage: provText });
  } catch {
    throw new Error("signature block not found");
  }
  const result = await pgp.verify({ message, verificationKeys: keys, expectSigned: false });
  const sig = result.signatures[0];
  if (!sig) throw new Error("signature block not found");
  const signer = keys.find((k) => k.getKeys(sig.keyID).length > 0);
  if (!signer) throw new Error("openpgp: signature made by unknown entity");
  try {
    await sig.verified;
  } catch {
    const algo = signer.getAlgorithmInfo().algorithm;
    throw new Error(
      `openpgp: invalid signature: ${algo.startsWith("rsa") ? "RSA" : algo.toUpperCase()} verification failure`,
    );
  }
  const body = message.getText();
  const cut = body.indexOf("\n...\n");
  if (cut < 0) throw new Error("message block must have at least two parts");
  let files: unknown;
  try {
    files = fromYaml(body.slice(cut + 5));
  } catch (err) {
    throw new Error(`failed to parse provenance file: ${(err as Error).message}`);
  }
  const table = isGoMap(files) && isGoMap(files.files) ? files.files : undefined;
  const want = table?.[archiveName];
  if (typeof want !== "string")
    throw new Error(`provenance does not contain a SHA for a file named "${archiveName}"`);
  const got = sha256(archive);
  if (want !== got) throw new Error(`sha256 sum does not match for ${archiveName}: "${want}" != "${got}"`);
  return {
    signedBy: signer.getUserIDs()[0] ?? "",
    fingerprint: signer.getFingerprint().toUpperCase(),
    fileHash: got,
  };
}

/** `helm verify PATH`: the archive beside its `.prov`, checked with `keyring`. */
export async function verifyChart(archivePath: string, keyringPath: string): Promise<Verification> {
  let isDir: boolean;
  try {
    isDir = statSync(archivePath).isDirectory();
  } catch (err) {
    throw new Error(`stat ${archivePath}: ${ioMessage(err)}`);
  }
  if (isDir) throw new Error("unpacked charts cannot be verified");
  const archive = new Uint8Array(readFileSync(archivePath));
  const provPath = `${archivePath}.prov`;
  await loadPublicKeys(keyringPath);
  if (!existsSync(provPath))
    throw new Error(
      `could not load provenance file ${provPath}: stat ${provPath}: no such file or directory`,
    );
  return verifyProvenance(archive, basename(archivePath), readFileSync(provPath, "utf8"), keyringPath);
}

/** Helm's report of a verification (`helm verify`, `pull --verify`). */
export function formatVerification(v: Verification): string {
  return `Signed by: ${v.signedBy}\nUsing Key With Fingerprint: ${v.fingerprint}\nChart Hash Verified: ${v.fileHash}\n`;
}
