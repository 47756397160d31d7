/**
 * Reading chart archives (.tgz) as hostile input: gunzip with a size limit, a strict tar reader,
 * and refusal of absolute paths, `..`, links and device files. Returns files relative to the
 * archive's top-level directory, as Helm does.
 */
import { gunzipSync } from "node:zlib";
import type { ChartFile } from "./chart.ts";

/** Largest uncompressed archive Helm accepts (its MaxDecompressedChartSize default, 100 MiB). */
export const MAX_DECOMPRESSED_BYTES = 100 * 1024 * 1024;
/** Largest single file in an archive (Helm's MaxDecompressedFileSize default, 5 MiB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

function readString(buf: Buffer, start: number, len: number): string {
  const slice = buf.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? slice.length : nul).toString("utf8");
}

function readOctal(buf: Buffer, start: number, len: number): number {
  const s = readString(buf, start, len).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new Error("invalid tar header");
  return Number.parseInt(s, 8);
}

/** Parse PAX extended header records (`LEN key=value\n`). */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number(data.subarray(pos, space).toString());
    if (!Number.isFinite(len) || len <= 0) throw new Error("invalid PAX header");
    const rec = data.subarray(space + 1, pos + len - 1).toString("utf8");
    const eq = rec.indexOf("=");
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

/** Validate and normalise an entry path; throws a clear error for anything leaving the archive. */
function safePath(raw: string, archive: string): string {
  const p = raw.replace(/\\/g, "/");
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p))
    throw new Error(`chart archive ${archive}: absolute path "${raw}" is not allowed`);
  const parts = p.split("/").filter((s) => s !== "" && s !== ".");
  if (parts.includes("..")) throw new Error(`chart archive ${archive}: path "${raw}" leaves the chart`);
  return parts.join("/");
}

/** Read a gzipped tar chart archive into files relative to its top directory. */
export function readChartArchive(bytes: Uint8Array, archive: string): ChartFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
  } catch (err) {
    const msg = (err as Error).message;
    if (/buffer|length|larger/i.test(msg) && !/header/i.test(msg)) {
      throw new Error(
        `chart archive ${archive}: decompressed size exceeds the limit of ${MAX_DECOMPRESSED_BYTES} bytes`,
      );
    }
    throw new Error(`chart archive ${archive}: not a gzip file: ${msg}`);
  }
  const files: ChartFile[] = [];
  let pos = 0;
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  while (pos + 512 <= tar.length) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const magic = readString(header, 257, 6);
    const prefix = magic.startsWith("ustar") ? readString(header, 345, 155) : "";
    let name = readString(header, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    const dataStart = pos + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new Error(`chart archive ${archive}: truncated entry "${name}"`);
    const data = tar.subarray(dataStart, dataEnd);
    pos = dataStart + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = readString(data, 0, data.length);
      continue;
    }
    if (type === "x") {
      pax = paxRecords(data);
      continue;
    }
    if (type === "g") continue;
    const fullName = pax.path ?? longName ?? name;
    longName = undefined;
    pax = {};
    if (type === "5") continue;
    if (type === "1" || type === "2")
      throw new Error(`chart archive ${archive}: "${fullName}" is a link; links are not allowed`);
    if (type !== "0" && type !== "\0" && type !== "7") {
      throw new Error(`chart archive ${archive}: "${fullName}" is not a regular file`);
    }
    if (size > MAX_FILE_BYTES) {
      throw new Error(
        `chart archive ${archive}: file "${fullName}" is larger than the maximum file size ${MAX_FILE_BYTES}`,
      );
    }
    const rel = safePath(fullName, archive);
    // Helm drops the archive's top-level directory (the chart's name).
    const slash = rel.indexOf("/");
    if (slash < 0) continue;
    files.push({ name: rel.slice(slash + 1), data: new Uint8Array(data) });
  }
  if (files.length === 0) throw new Error(`chart archive ${archive}: no files in archive`);
  return files;
}
