/** A small tar writer for tests: ustar headers (PAX for long names), any type flag, optional gzip. */
import { gzipSync } from "node:zlib";

export interface TarEntrySpec {
  name: string;
  /** Type flag: "0" file (default), "5" dir, "2" symlink, "1" hard link, "3"/"4" devices, "6" FIFO… */
  type?: string;
  data?: string | Uint8Array;
  linkname?: string;
  /** Use a PAX header for the name even when it fits. */
  pax?: boolean;
  /** Use a GNU long-name header (`L`) for the name. */
  gnuLongName?: boolean;
}

const enc = new TextEncoder();

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\0`;
}

function header(name: string, type: string, size: number, linkname = ""): Uint8Array {
  const h = new Uint8Array(512);
  const put = (off: number, s: string | Uint8Array, max: number) => {
    const b = typeof s === "string" ? enc.encode(s) : s;
    h.set(b.subarray(0, max), off);
  };
  put(0, name, 100);
  put(100, octal(0o644, 8), 8);
  put(108, octal(0, 8), 8);
  put(116, octal(0, 8), 8);
  put(124, octal(size, 12), 12);
  put(136, octal(0, 12), 12);
  put(148, "        ", 8);
  put(156, type, 1);
  put(157, linkname, 100);
  put(257, "ustar\0", 6);
  put(263, "00", 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `, 8);
  return h;
}

function padded(data: Uint8Array): Uint8Array[] {
  const pad = (512 - (data.length % 512)) % 512;
  return [data, new Uint8Array(pad)];
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

/** Build a tar stream. */
export function makeTar(entries: TarEntrySpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.data === "string" ? enc.encode(e.data) : (e.data ?? new Uint8Array());
    const type = e.type ?? "0";
    let name = e.name;
    if (e.pax || enc.encode(name).length > 100) {
      const rec = enc.encode(paxRecord("path", name));
      parts.push(header("PaxHeader", "x", rec.length), ...padded(rec));
      name = name.slice(0, 99);
    } else if (e.gnuLongName) {
      const n = enc.encode(`${name}\0`);
      parts.push(header("././@LongLink", "L", n.length), ...padded(n));
      name = name.slice(0, 99);
    }
    const size = type === "0" || type === "7" ? data.length : 0;
    parts.push(header(name, type, size, e.linkname));
    if (size > 0) parts.push(...padded(data));
  }
  parts.push(new Uint8Array(1024));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Build a gzipped tar. */
export function makeTgz(entries: TarEntrySpec[]): Uint8Array {
  return new Uint8Array(gzipSync(makeTar(entries)));
}

/** A minimal valid chart archive named `name`, with optional extra entries. */
export function chartTgz(name: string, extra: TarEntrySpec[] = []): Uint8Array {
  return makeTgz([
    { name: `${name}/Chart.yaml`, data: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n` },
    { name: `${name}/values.yaml`, data: "a: 1\n" },
    { name: `${name}/templates/t.yaml`, data: "x: {{ .Values.a }}\n" },
    ...extra,
  ]);
}
