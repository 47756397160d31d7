/**
 * JSON for our extension calls that keeps the template engine's value types: Go ints (bigint)
 * are tagged so `--set replicas=3` reaches the server as an int64, not a float64, and renders the
 * same remotely as locally.
 */
import { type GoValue, newGoMap } from "../../chart/engine/value.ts";

const INT = "$int64";

/** Serialise options or results (values inside keep their Go types). */
export function toWireJson(v: unknown): string {
  return JSON.stringify(v, (_key, x: unknown) => {
    if (typeof x === "bigint") return { [INT]: x.toString() };
    if (x instanceof Uint8Array) return Buffer.from(x).toString("base64");
    return x;
  });
}

/** Values as the engine's GoMap (objects become null-prototype maps, tagged ints bigints). */
export function goValueFromWire(v: unknown): GoValue {
  if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
  if (Array.isArray(v)) return v.map(goValueFromWire);
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === INT && typeof o[INT] === "string" && /^-?\d+$/.test(o[INT])) {
      return BigInt(o[INT]);
    }
    const m = newGoMap();
    for (const k of keys) m[k] = goValueFromWire(o[k]);
    return m;
  }
  throw new Error(`unexpected value of type ${typeof v} in a request`);
}

/** Parse a wire JSON document; errors name the field. */
export function fromWireJson(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text || "{}");
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${what} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
