/**
 * Secret values never reach the diff output unless asked for (`--show-secrets`): each key's value
 * is replaced by a marker and its size, as helm-diff prints them — `REDACTED` when both sides hold
 * the same bytes, `--------` / `++++++++` for the old / new value of a key that changes.
 */
import type { KubeDocumentObject } from "./documents.ts";

/** The bytes under each key: `data` (base64) merged with `stringData` (text), as the API server does. */
function secretValues(obj: KubeDocumentObject): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  const data = obj.data;
  if (data && typeof data === "object") {
    for (const [k, v] of Object.entries(data as Record<string, unknown>))
      values.set(k, Buffer.from(typeof v === "string" ? v : "", "base64"));
  }
  const stringData = obj.stringData;
  if (stringData && typeof stringData === "object") {
    for (const [k, v] of Object.entries(stringData as Record<string, unknown>))
      values.set(k, Buffer.from(typeof v === "string" ? v : String(v ?? ""), "utf8"));
  }
  return values;
}

function masked(
  obj: KubeDocumentObject,
  other: KubeDocumentObject | undefined,
  changedMarker: string,
): KubeDocumentObject {
  const mine = secretValues(obj);
  const theirs = other ? secretValues(other) : undefined;
  const { data: _data, stringData: _stringData, ...rest } = obj;
  if (mine.size === 0) return rest;
  const data: Record<string, string> = {};
  for (const [k, v] of mine) {
    const same = theirs?.get(k)?.equals(v) === true;
    data[k] = `${same ? "REDACTED" : changedMarker} # (${v.length} bytes)`;
  }
  return { ...rest, data };
}

/** Both sides of a Secret with their values masked. */
export function maskSecretPair(
  oldObj: KubeDocumentObject | undefined,
  newObj: KubeDocumentObject | undefined,
): { old?: KubeDocumentObject; new?: KubeDocumentObject } {
  return {
    old: oldObj && masked(oldObj, newObj, "--------"),
    new: newObj && masked(newObj, oldObj, "++++++++"),
  };
}
