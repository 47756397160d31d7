/**
 * The template function `lookup` against a live cluster. Rendering is synchronous and the API is
 * not, so a render runs in passes: each pass answers lookups from what earlier passes fetched and
 * notes the ones it could not answer; those are fetched, and the chart is rendered again until a
 * pass needs nothing new (bounded: lookups whose arguments depend on other lookups settle in a
 * few passes).
 */
import { type GoMap, type GoValue, newGoMap } from "../../chart/engine/value.ts";
import type { KubeClient } from "./client.ts";
import { UnknownKindError } from "./discovery.ts";
import { KubeApiError } from "./rest.ts";

export type LookupFn = (apiVersion: string, kind: string, namespace: string, name: string) => GoValue;

const MAX_PASSES = 5;

/** JSON from the API server in the template value model: integral numbers are int64, as in Helm. */
function toGo(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map(toGo);
  const m = newGoMap();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = toGo(x);
  return m;
}

/** Where Helm's lookup warnings go (`level=ERROR msg=… key=value`). */
export type LookupLog = (msg: string, attrs: [string, string][]) => void;

/**
 * One object (name given) or the list of them, as `lookup` returns it; empty map when absent.
 * A kind the server does not serve is an error, as in Helm.
 */
async function fetchLookup(
  kube: KubeClient,
  log: LookupLog,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<GoMap | Error> {
  try {
    if (name) {
      const obj = await kube.get({ apiVersion, kind, name, namespace: namespace || undefined });
      return obj ? (toGo(obj) as GoMap) : newGoMap();
    }
    const items = await kube.list(apiVersion, kind, { namespace });
    return toGo({ apiVersion, kind: `${kind}List`, metadata: {}, items }) as GoMap;
  } catch (err) {
    if (err instanceof UnknownKindError) {
      const reason = "the server could not find the requested resource";
      log("unable to retrieve resource list", [
        ["GroupVersion", apiVersion],
        ["error", reason],
      ]);
      log("unable to get apiresource", [
        ["groupVersionKind", `${apiVersion}, Kind=${kind}`],
        ["error", reason],
      ]);
      return new Error(`unable to get apiresource from unstructured: ${apiVersion}, Kind=${kind}: ${reason}`);
    }
    if (err instanceof KubeApiError && err.notFound) return newGoMap();
    throw err;
  }
}

/** Render with `lookup` answered from the cluster. */
export async function renderWithLookups<T>(
  kube: KubeClient,
  render: (lookup: LookupFn) => T,
  log: LookupLog = () => {},
): Promise<T> {
  const known = new Map<string, GoMap | Error>();
  for (let pass = 1; ; pass++) {
    const missing = new Map<string, [string, string, string, string]>();
    const lookup: LookupFn = (apiVersion, kind, namespace, name) => {
      const key = JSON.stringify([apiVersion, kind, namespace, name]);
      const hit = known.get(key);
      if (hit instanceof Error) throw hit;
      if (hit) return hit;
      missing.set(key, [apiVersion, kind, namespace, name]);
      return newGoMap();
    };
    let result: T;
    try {
      result = render(lookup);
    } catch (err) {
      // The failure may come from a lookup not answered yet; fetch and try again.
      if (missing.size === 0 || pass === MAX_PASSES) throw err;
      await fetchAll(kube, log, missing, known);
      continue;
    }
    if (missing.size === 0 || pass === MAX_PASSES) return result;
    await fetchAll(kube, log, missing, known);
  }
}

async function fetchAll(
  kube: KubeClient,
  log: LookupLog,
  missing: Map<string, [string, string, string, string]>,
  known: Map<string, GoMap | Error>,
): Promise<void> {
  await Promise.all(
    [...missing].map(async ([key, args]) => {
      known.set(key, await fetchLookup(kube, log, ...args));
    }),
  );
}
