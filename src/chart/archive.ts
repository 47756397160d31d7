/**
 * Reading chart archives (`.tgz`), which come from outside and are treated as hostile. Nothing is
 * ever written to disk: entries become in-memory files named relative to the chart root (the
 * archive's first path component is dropped, as Helm does).
 *
 * Refused, each with a one-line error: input that is not gzip; a decompressed stream over 100 MiB
 * or an entry over 5 MiB (Helm's limits, same messages); `..` components; absolute paths; entries
 * outside a base directory; symbolic and hard links, devices and FIFOs (Helm would load these as
 * empty files; a chart never needs them); malformed tar headers and truncated data.
 * Directories, PAX and GNU long-name headers are understood; a repeated name keeps the last copy.
 */

import { gunzipSync } from "node:zlib";
import type { ChartFile } from "./chart.ts";
import { goClean } from "./engine/funcs/misc.ts";

/** Helm's limit on a chart's decompressed size (`MaxDecompressedChartSize`). */
export const MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024;
/** Helm's limit on one decompressed file (`MaxDecompressedFileSize`). */
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;

/** A chart archive that cannot be loaded. */
export class ArchiveError extends Error {
  override name = "ArchiveError";
}

export interface ArchiveLimits {
  /** Cap on the decompressed tar stream, in bytes. */
  maxChartSize?: number;
  /** Cap on any one entry, in bytes. */
  maxFileSize?: number;
}

const BLOCK = 512;
const decoder = new TextDecoder("utf-8");

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompress gzip data, refusing output past `max` bytes. */
export function gunzipLimited(bytes: Uint8Array, max: number): Uint8Array {
  if (!isGzip(bytes)) throw new ArchiveError("gzip: invalid header");
  try {
    return gunzipSync(bytes, { maxOutputLength: max + 1 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
      throw new ArchiveError(`decompressed chart is larger than the maximum size ${max}`);
    }
    if (e.code === "Z_BUF_ERROR") throw new ArchiveError("unexpected EOF");
    throw new ArchiveError(`gzip: ${e.message}`);
  }
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return decoder.decode(end < 0 ? b : b.subarray(0, end));
}

/** A numeric header field: octal text, or base-256 when the high bit of the first byte is set. */
function parseNumeric(b: Uint8Array): number {
  if (b.length > 0 && (b[0]! & 0x80) !== 0) {
    if ((b[0]! & 0x40) !== 0) throw new ArchiveError("archive/tar: invalid tar header");
    let v = 0n;
    for (let i = 0; i < b.length; i++) v = (v << 8n) | BigInt(i === 0 ? b[i]! & 0x7f : b[i]!);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ArchiveError("archive/tar: invalid tar header");
    return Number(v);
  }
  const s = cString(b).replace(/ +$/, "").replace(/^ +/, "");
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new ArchiveError("archive/tar: invalid tar header");
  return Number.parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  const stored = parseNumeric(h.subarray(148, 156));
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return stored === unsigned || stored === signed;
}

/** PAX extended header records (`len key=value\n`). */
function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = decoder.decode(data);
  let pos = 0;
  // Lengths count bytes; work on bytes to honour multi-byte values.
  const bytes = new TextEncoder().encode(text);
  while (pos < bytes.length) {
    let sp = pos;
    while (sp < bytes.length && bytes[sp] !== 0x20) sp++;
    const lenText = decoder.decode(bytes.subarray(pos, sp));
    if (!/^[1-9][0-9]*$/.test(lenText)) throw new ArchiveError("archive/tar: invalid tar header");
    const len = Number(lenText);
    if (pos + len > bytes.length || len <= sp - pos + 1)
      throw new ArchiveError("archive/tar: invalid tar header");
    const record = decoder.decode(bytes.subarray(sp + 1, pos + len));
    if (!record.endsWith("\n")) throw new ArchiveError("archive/tar: invalid tar header");
    const eq = record.indexOf("=");
    if (eq <= 0) throw new ArchiveError("archive/tar: invalid tar header");
    out.set(record.slice(0, eq), record.slice(eq + 1, -1));
    pos += len;
  }
  return out;
}

export interface TarEntry {
  /** The entry's path as stored in the archive. */
  name: string;
  /** Tar type flag (`0` file, `5` directory, `2` symlink…). */
  type: string;
  data: Uint8Array;
  /** Modification time in Unix seconds (header field, or a PAX `mtime` record rounded). */
  modTime: number;
  /** Permission bits from the header. */
  mode: number;
}

/** Parse a tar stream into entries (directories included); refuses entries over `maxFileSize`. */
export function readTar(tar: Uint8Array, maxFileSize = MAX_DECOMPRESSED_FILE_SIZE): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  let globalPax = new Map<string, string>();
  while (true) {
    if (pos + BLOCK > tar.length) {
      if (pos === tar.length && longName === undefined && pax.size === 0) break;
      throw new ArchiveError("unexpected EOF");
    }
    const h = tar.subarray(pos, pos + BLOCK);
    if (h.every((b) => b === 0)) break;
    if (!checksumOk(h)) throw new ArchiveError("archive/tar: invalid tar header");
    const type = String.fromCharCode(h[156]!);
    const magic = decoder.decode(h.subarray(257, 263));
    let name = cString(h.subarray(0, 100));
    const prefix = magic === "ustar\0" ? cString(h.subarray(345, 500)) : "";
    if (prefix !== "") name = `${prefix}/${name}`;
    let size = parseNumeric(h.subarray(124, 136));
    const paxSize = pax.get("size") ?? globalPax.get("size");
    if (paxSize !== undefined) {
      if (!/^[0-9]+$/.test(paxSize)) throw new ArchiveError("archive/tar: invalid tar header");
      size = Number(paxSize);
    }
    pos += BLOCK;
    // Links and special files carry no data, whatever the size field says.
    const hasData = !"1234568".includes(type) || type === "\0";
    const dataLen = hasData || type === "x" || type === "g" ? size : 0;
    if (pos + dataLen > tar.length) throw new ArchiveError("unexpected EOF");
    const data = tar.subarray(pos, pos + dataLen);
    pos += Math.ceil(dataLen / BLOCK) * BLOCK;
    switch (type) {
      case "x":
        pax = parsePax(data);
        continue;
      case "g":
        globalPax = parsePax(data);
        continue;
      case "L":
        longName = cString(data);
        continue;
      case "K":
        continue;
    }
    const paxPath = pax.get("path") ?? globalPax.get("path");
    if (paxPath !== undefined) name = paxPath;
    if (longName !== undefined) name = longName;
    longName = undefined;
    if (hasData && dataLen > maxFileSize) {
      throw new ArchiveError(
        `decompressed chart file ${JSON.stringify(name)} is larger than the maximum file size ${maxFileSize}`,
      );
    }
    const paxMtime = Number(pax.get("mtime") ?? globalPax.get("mtime"));
    const modTime = Number.isFinite(paxMtime) ? Math.round(paxMtime) : parseNumeric(h.subarray(136, 148));
    pax = new Map();
    const mode = parseNumeric(h.subarray(100, 108)) & 0o7777;
    entries.push({ name, type, data: new Uint8Array(data), modTime, mode });
  }
  return entries;
}

const KIND_NAMES: Record<string, string> = {
  "1": "a hard link",
  "2": "a symbolic link",
  "3": "a character device",
  "4": "a block device",
  "6": "a FIFO",
};

/**
 * The files of a chart archive, named relative to the chart root. `bytes` is the `.tgz` content.
 * Throws {@link ArchiveError} with a one-line reason.
 */
export function readChartArchive(bytes: Uint8Array, limits: ArchiveLimits = {}): ChartFile[] {
  const maxChart = limits.maxChartSize ?? MAX_DECOMPRESSED_CHART_SIZE;
  const maxFile = limits.maxFileSize ?? MAX_DECOMPRESSED_FILE_SIZE;
  const tar = gunzipLimited(bytes, maxChart);
  if (tar.length > maxChart)
    throw new ArchiveError(`decompressed chart is larger than the maximum size ${maxChart}`);
  const files = new Map<string, TarEntry>();
  for (const entry of readTar(tar, maxFile)) {
    const raw = entry.name.replaceAll("\\", "/");
    if (entry.type === "5") continue;
    if (raw.startsWith("/")) throw new ArchiveError("chart illegally contains absolute paths");
    if (raw.split("/").includes("..")) throw new ArchiveError("chart illegally references parent directory");
    const kind = KIND_NAMES[entry.type];
    if (kind !== undefined) {
      throw new ArchiveError(
        `chart archive entry ${JSON.stringify(entry.name)} is ${kind}, which charts may not contain`,
      );
    }
    if (!["0", "\0", "7"].includes(entry.type)) {
      throw new ArchiveError(
        `chart archive entry ${JSON.stringify(entry.name)} has unsupported type ${JSON.stringify(entry.type)}`,
      );
    }
    const slash = raw.indexOf("/");
    if (slash < 0) {
      throw new ArchiveError(
        `chart illegally contains content outside the base directory: ${JSON.stringify(raw)}`,
      );
    }
    const rest = raw.slice(slash + 1);
    if (rest.startsWith("/")) throw new ArchiveError("chart illegally contains absolute paths");
    const name = goClean(rest);
    if (name === "..") throw new ArchiveError("chart illegally references parent directory");
    if (name === ".") continue;
    files.delete(name);
    files.set(name, entry);
  }
  if (files.size === 0) throw new ArchiveError("no files in chart archive");
  return [...files].map(([name, e]) => ({ name, data: e.data, modTime: e.modTime }));
}
