/**
 * Plugin archives (`.tgz` / `.tar.gz`) come from outside and are hostile. Every entry is checked
 * before anything is written (Helm's rules and words: no `:`, no `..` component, no absolute
 * path; only directories and regular files — links and devices are refused), then written
 * under a fresh directory. Plugins carry binaries, so the size cap (512 MiB decompressed, for
 * the whole archive and any file) is far above the chart reader's.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipLimited, readTar, type TarEntry } from "../chart/archive.ts";
import { PluginError } from "./plugins.ts";

const MAX_PLUGIN_SIZE = 512 * 1024 * 1024;

/** The archive suffixes Helm recognises. */
export const ARCHIVE_SUFFIXES = [".tar.gz", ".tgz"];

export function isArchiveName(source: string): boolean {
  return ARCHIVE_SUFFIXES.some((s) => source.endsWith(s));
}

/** `NAME-1.2.3.tgz` → `NAME`: the directory an archive's plugin sits in (Helm's convention). */
export function pluginNameOfArchive(fileName: string): string {
  const suffix = ARCHIVE_SUFFIXES.find((s) => fileName.endsWith(s)) ?? "";
  const stem = fileName.slice(0, fileName.length - suffix.length);
  const m = /^(.*)-[0-9]+\..*$/.exec(stem);
  return m ? m[1]! : stem;
}

/** The entry's path under the extraction root, or Helm's error for a suspicious one. */
function safePath(name: string): string {
  if (name.includes(":")) throw new PluginError("path contains ':', which is illegal");
  const slashed = name.replaceAll("\\", "/");
  if (slashed.split("/").includes("..")) throw new PluginError("path contains '..', which is illegal");
  if (slashed.startsWith("/")) throw new PluginError("path is absolute, which is illegal");
  return slashed
    .split("/")
    .filter((p) => p !== "" && p !== ".")
    .join("/");
}

function readEntries(bytes: Uint8Array): TarEntry[] {
  // Shorter than a gzip header: Go's reader runs out of input first.
  if (bytes.length < 10) throw new PluginError("unexpected EOF");
  try {
    return readTar(gunzipLimited(bytes, MAX_PLUGIN_SIZE), MAX_PLUGIN_SIZE);
  } catch (err) {
    throw new PluginError(
      (err as Error).message.replace("decompressed chart", "decompressed plugin archive"),
    );
  }
}

/** Check every entry, then write the archive's files under `dest` (which must not exist yet). */
export function extractPluginArchive(bytes: Uint8Array, dest: string): void {
  const entries = readEntries(bytes).map((e) => {
    const path = safePath(e.name);
    if (e.type !== "0" && e.type !== "\0" && e.type !== "5") {
      // Go prints the type flag byte in binary.
      throw new PluginError(`unknown type: ${e.type.charCodeAt(0).toString(2)} in ${e.name}`);
    }
    return { ...e, path };
  });
  mkdirSync(dest, { recursive: true });
  for (const e of entries) {
    const target = join(dest, e.path);
    if (e.type === "5") {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, e.data);
    chmodSync(target, e.mode & 0o777);
  }
}

/** The text of `plugin.yaml` at the archive's top level or one directory down. */
export function pluginYamlInArchive(bytes: Uint8Array): string {
  for (const e of readEntries(bytes)) {
    const parts = e.name.replaceAll("\\", "/").split("/").filter(Boolean);
    if (parts.at(-1) === "plugin.yaml" && parts.length <= 2) return Buffer.from(e.data).toString("utf8");
  }
  throw new PluginError("plugin.yaml not found in tarball");
}
