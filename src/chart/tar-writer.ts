/**
 * Writing chart archives the way `helm package` writes them: a tar stream laid out as Go's
 * archive/tar lays out regular files (USTAR headers, a `prefix` split for long ASCII names, a PAX
 * `path` record when a name cannot be USTAR, a PAX `mtime` record for a time USTAR cannot hold, no
 * directory entries, two zero blocks at the end), compressed into a gzip member with Helm's header
 * (no time, OS 255, its extra field and the comment `Helm`).
 *
 * The tar bytes are the same as Helm's for the same entries; the deflate stream is zlib's, so the
 * compressed bytes differ from Go's while decompressing to the same tar.
 */
import { deflateRawSync } from "node:zlib";

/** One regular file of the archive. */
export interface TarFile {
  /** Path inside the archive, `/`-separated. */
  name: string;
  data: Uint8Array;
  /** Unix seconds. */
  modTime: number;
  /** Permission bits; Helm always writes 0644. */
  mode?: number;
}

const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;
const encoder = new TextEncoder();

function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

/** Go's toASCII: drop every non-ASCII character (used for best-effort names). */
function toAscii(s: string): string {
  return s.replace(/[^\x00-\x7f]/gu, "");
}

/** Split a long ASCII name into USTAR's prefix and name fields, or null when it cannot be split. */
export function splitUstarPath(name: string): [string, string] | null {
  let length = name.length;
  if (length <= NAME_SIZE || !isAscii(name)) return null;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === "/") length--;
  const i = name.slice(0, length).lastIndexOf("/");
  const suffixLen = name.length - i - 1;
  if (i <= 0 || suffixLen > NAME_SIZE || suffixLen === 0 || i > PREFIX_SIZE) return null;
  return [name.slice(0, i), name.slice(i + 1)];
}

/** A string field: copied (cut to the field), NUL-terminated when shorter. */
function putString(block: Uint8Array, offset: number, size: number, s: string): void {
  const bytes = encoder.encode(s);
  block.set(bytes.subarray(0, size), offset);
}

/** An octal field: zero-padded digits then NUL; 0 when the value does not fit (as Go falls back). */
function putOctal(block: Uint8Array, offset: number, size: number, value: number): void {
  const fits = value >= 0 && value < 8 ** (size - 1);
  putString(block, offset, size, `${(fits ? value : 0).toString(8).padStart(size - 1, "0")}\0`);
}

function setChecksum(block: Uint8Array): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  putOctal(block, 148, 7, sum);
  block[155] = 0x20;
}

function setUstarMagic(block: Uint8Array): void {
  putString(block, 257, 6, "ustar\0");
  putString(block, 263, 2, "00");
}

/** PAX records (`len key=value\n`, the length counting itself), keys sorted. */
function paxRecords(records: Map<string, string>): Uint8Array {
  let out = "";
  for (const key of [...records.keys()].sort()) {
    const body = ` ${key}=${records.get(key)}\n`;
    const bodyLen = encoder.encode(body).length;
    let size = bodyLen + String(bodyLen).length;
    // Adding the length's own digits can add a digit.
    if (String(size).length + bodyLen !== size) size = String(size).length + bodyLen;
    out += `${size}${body}`;
  }
  return encoder.encode(out);
}

function paddedData(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

function fileHeader(name: string, prefix: string, f: TarFile, ascii: boolean): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const fieldName = ascii ? name : toAscii(name);
  putString(block, 0, NAME_SIZE, fieldName);
  putOctal(block, 100, 8, f.mode ?? 0o644);
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  putOctal(block, 124, 12, f.data.length);
  putOctal(block, 136, 12, f.modTime);
  block[156] = 0x30; // '0': a regular file
  putOctal(block, 329, 8, 0);
  putOctal(block, 337, 8, 0);
  putString(block, 345, PREFIX_SIZE, prefix);
  setUstarMagic(block);
  setChecksum(block);
  return block;
}

/** The blocks of one entry: a PAX header first when USTAR cannot describe it. */
function entryBlocks(f: TarFile): Uint8Array[] {
  const pax = new Map<string, string>();
  let name = f.name;
  let prefix = "";
  const nameFits = name.length <= NAME_SIZE && isAscii(name);
  if (!nameFits) {
    const split = splitUstarPath(name);
    if (split) [prefix, name] = split;
    else pax.set("path", f.name);
  }
  if (f.modTime < 0 || f.modTime >= 8 ** 11) pax.set("mtime", String(f.modTime));
  if (pax.size > 0 && prefix !== "") {
    // A name that needs PAX for another reason is kept whole in the record, not split.
    pax.set("path", f.name);
    name = f.name;
    prefix = "";
  }
  const blocks: Uint8Array[] = [];
  if (pax.size > 0) {
    const records = paxRecords(pax);
    const slash = f.name.lastIndexOf("/");
    const dir = slash >= 0 ? f.name.slice(0, slash) : "";
    const base = f.name.slice(slash + 1);
    let paxName = toAscii(dir === "" ? `PaxHeaders.0/${base}` : `${dir}/PaxHeaders.0/${base}`);
    paxName = paxName.slice(0, NAME_SIZE).replace(/\/+$/, "");
    const header = new Uint8Array(BLOCK);
    putString(header, 0, NAME_SIZE, paxName);
    putOctal(header, 100, 8, 0);
    putOctal(header, 108, 8, 0);
    putOctal(header, 116, 8, 0);
    putOctal(header, 124, 12, records.length);
    putOctal(header, 136, 12, 0);
    header[156] = 0x78; // 'x': PAX extended header
    setUstarMagic(header);
    setChecksum(header);
    blocks.push(header, paddedData(records));
  }
  blocks.push(fileHeader(name, prefix, f, pax.size === 0), paddedData(f.data));
  return blocks;
}

/** The tar stream of `files`, in the order given. */
export function writeTar(files: TarFile[]): Uint8Array {
  const blocks = files.flatMap(entryBlocks);
  blocks.push(new Uint8Array(BLOCK * 2));
  const total = blocks.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const b of blocks) {
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The extra field Helm puts in every chart archive's gzip header. */
const HELM_GZIP_EXTRA = encoder.encode("+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=");

/** Gzip `data` with Helm's header: FEXTRA + FCOMMENT flags, zero time, XFL 0, OS 255. */
export function gzipForHelm(data: Uint8Array): Uint8Array {
  const header = new Uint8Array(10 + 2 + HELM_GZIP_EXTRA.length + 5);
  header.set([0x1f, 0x8b, 8, 0x04 | 0x10, 0, 0, 0, 0, 0, 0xff]);
  header[10] = HELM_GZIP_EXTRA.length & 0xff;
  header[11] = HELM_GZIP_EXTRA.length >>> 8;
  header.set(HELM_GZIP_EXTRA, 12);
  header.set(encoder.encode("Helm\0"), 12 + HELM_GZIP_EXTRA.length);
  const body = deflateRawSync(data, { level: 6 });
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc32(data), true);
  view.setUint32(4, data.length >>> 0, true);
  const out = new Uint8Array(header.length + body.length + trailer.length);
  out.set(header, 0);
  out.set(body, header.length);
  out.set(trailer, header.length + body.length);
  return out;
}
