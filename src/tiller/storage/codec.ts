/**
 * Helm's release body encoding: base64(gzip level 9(JSON)). Decoding accepts un-gzipped JSON too,
 * as Helm does, and refuses bodies that inflate past a limit (a hostile record cannot exhaust memory).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import type { Release } from "../release/release.ts";

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
/** Largest decoded release body we accept (Secrets are capped at 1 MiB compressed; JSON inflates ~10-20x). */
export const MAX_RELEASE_JSON_BYTES = 128 * 1024 * 1024;

/** Encode a release as Helm stores it. Labels are not part of the body. */
export function encodeRelease(rls: Release): string {
  const { labels: _labels, ...body } = rls;
  return gzipSync(Buffer.from(JSON.stringify(body)), { level: 9 }).toString("base64");
}

/** Decode a stored release body; `where` names the record in error messages. */
export function decodeRelease(data: string, where: string): Release {
  const raw = Buffer.from(data, "base64");
  let json: Buffer;
  try {
    const gzipped = GZIP_MAGIC.every((b, i) => raw[i] === b);
    json = gzipped ? gunzipSync(raw, { maxOutputLength: MAX_RELEASE_JSON_BYTES }) : raw;
  } catch (err) {
    throw new Error(`release record ${where}: cannot decompress body: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString("utf8"));
  } catch (err) {
    throw new Error(`release record ${where}: body is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`release record ${where}: body is not a JSON object`);
  }
  const rls = parsed as Release;
  if (
    typeof rls.name !== "string" ||
    typeof rls.version !== "number" ||
    typeof rls.info?.status !== "string"
  ) {
    throw new Error(`release record ${where}: body lacks name, version or info.status`);
  }
  return rls;
}
