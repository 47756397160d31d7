/**
 * Releases a real Helm 2 Tiller left behind: ConfigMaps (or Secrets) named `NAME.vVERSION` in
 * Tiller's namespace, labelled `OWNER=TILLER`, holding base64(gzip(protobuf hapi.release.Release)).
 * They are read and turned into Helm 3/4 releases, so `helm migrate` can show and convert them.
 */
import { gunzipSync } from "node:zlib";
import { parseValues } from "../../chart/engine/yaml.ts";
import { type google, hapi } from "../grpc/gen/protos.js";
import { statusFromCode } from "../grpc/hapi.ts";
import type { KubeClient, KubeObject } from "../kube/client.ts";
import { goToJson } from "../release/chart-record.ts";
import type { Hook, JsonValue, Release, StoredFile } from "../release/release.ts";
import { MAX_RELEASE_JSON_BYTES } from "./codec.ts";

type JsonObject = { [key: string]: JsonValue };

export interface Helm2Record {
  /** The storage object, e.g. `ConfigMap kube-system/web.v3`. */
  where: string;
  kind: "ConfigMap" | "Secret";
  objectName: string;
  release: Release;
}

function iso(t: google.protobuf.ITimestamp | null | undefined): string | undefined {
  if (!t || (!t.seconds && !t.nanos)) return undefined;
  return new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

const EVENT_NAMES: Record<number, string> = {
  [hapi.release.Hook.Event.PRE_INSTALL]: "pre-install",
  [hapi.release.Hook.Event.POST_INSTALL]: "post-install",
  [hapi.release.Hook.Event.PRE_DELETE]: "pre-delete",
  [hapi.release.Hook.Event.POST_DELETE]: "post-delete",
  [hapi.release.Hook.Event.PRE_UPGRADE]: "pre-upgrade",
  [hapi.release.Hook.Event.POST_UPGRADE]: "post-upgrade",
  [hapi.release.Hook.Event.PRE_ROLLBACK]: "pre-rollback",
  [hapi.release.Hook.Event.POST_ROLLBACK]: "post-rollback",
  [hapi.release.Hook.Event.RELEASE_TEST_SUCCESS]: "test",
  [hapi.release.Hook.Event.RELEASE_TEST_FAILURE]: "test",
};

const POLICY_NAMES: Record<number, string> = {
  [hapi.release.Hook.DeletePolicy.SUCCEEDED]: "hook-succeeded",
  [hapi.release.Hook.DeletePolicy.FAILED]: "hook-failed",
  [hapi.release.Hook.DeletePolicy.BEFORE_HOOK_CREATION]: "before-hook-creation",
};

function valuesJson(raw: string | null | undefined, where: string): JsonObject {
  try {
    return goToJson(parseValues(raw ?? "")) as JsonObject;
  } catch (err) {
    throw new Error(`${where}: values are not valid YAML: ${(err as Error).message}`);
  }
}

/** A Helm 2 release in Helm 3/4's model (what helm-2to3 would write). */
export function releaseFromHelm2(r: hapi.release.IRelease, where: string): Release {
  const md = r.chart?.metadata ?? {};
  const file = (name: string, data: Uint8Array | null | undefined): StoredFile => ({
    name,
    data: Buffer.from(data ?? new Uint8Array()).toString("base64"),
  });
  const metadata: JsonObject = {};
  for (const [k, v] of Object.entries({
    name: md.name,
    home: md.home,
    sources: md.sources,
    version: md.version,
    description: md.description,
    keywords: md.keywords,
    icon: md.icon,
    apiVersion: md.apiVersion || "v1",
    condition: md.condition,
    tags: md.tags,
    appVersion: md.appVersion,
    deprecated: md.deprecated,
    kubeVersion: md.kubeVersion,
  })) {
    if (v === undefined || v === null || v === "" || v === false || (Array.isArray(v) && v.length === 0))
      continue;
    metadata[k] = v as JsonValue;
  }
  if (md.maintainers?.length) {
    metadata.maintainers = md.maintainers.map((m) => ({
      name: m.name ?? "",
      email: m.email ?? "",
      url: m.url ?? "",
    }));
  }
  if (md.annotations && Object.keys(md.annotations).length > 0) metadata.annotations = { ...md.annotations };
  const hooks: Hook[] = (r.hooks ?? []).map((h) => ({
    name: h.name ?? "",
    kind: h.kind ?? "",
    path: h.path ?? "",
    manifest: h.manifest ?? "",
    events: [...new Set((h.events ?? []).map((e) => EVENT_NAMES[e]).filter((e): e is string => !!e))],
    last_run: iso(h.last_run)
      ? { started_at: iso(h.last_run), completed_at: iso(h.last_run), phase: "Succeeded" }
      : { phase: "" },
    ...(h.weight ? { weight: h.weight } : {}),
    ...(h.delete_policies?.length
      ? { delete_policies: h.delete_policies.map((p) => POLICY_NAMES[p] ?? "").filter(Boolean) }
      : {}),
  }));
  const status = statusFromCode(r.info?.status?.code);
  return {
    name: r.name ?? "",
    namespace: r.namespace ?? "",
    version: r.version ?? 0,
    info: {
      first_deployed: iso(r.info?.first_deployed),
      last_deployed: iso(r.info?.last_deployed),
      ...(iso(r.info?.deleted) ? { deleted: iso(r.info?.deleted) } : {}),
      description: r.info?.Description ?? "",
      status,
      notes: r.info?.status?.notes ?? "",
    },
    chart: {
      metadata,
      lock: null,
      templates: (r.chart?.templates ?? []).map((t) => file(t.name ?? "", t.data)),
      values: valuesJson(r.chart?.values?.raw, where),
      schema: null,
      files: (r.chart?.files ?? []).map((f) => file(f.type_url ?? "", f.value)),
    },
    config: valuesJson(r.config?.raw, where),
    manifest: r.manifest ?? "",
    ...(hooks.length > 0 ? { hooks } : {}),
  };
}

/** Decode one Helm 2 record body: base64(gzip(protobuf)). */
export function decodeHelm2Body(data: string, where: string): Release {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(Buffer.from(data, "base64"), { maxOutputLength: MAX_RELEASE_JSON_BYTES });
  } catch (err) {
    throw new Error(`${where}: cannot decompress release: ${(err as Error).message}`);
  }
  let r: hapi.release.Release;
  try {
    r = hapi.release.Release.decode(bytes);
  } catch (err) {
    throw new Error(`${where}: not a Helm 2 release: ${(err as Error).message}`);
  }
  return releaseFromHelm2(r, where);
}

/** Every Helm 2 release record in Tiller's namespace (ConfigMaps, then Secrets). */
export async function readHelm2Records(kube: KubeClient, tillerNamespace: string): Promise<Helm2Record[]> {
  const out: Helm2Record[] = [];
  for (const kind of ["ConfigMap", "Secret"] as const) {
    const objects: KubeObject[] = await kube.list("v1", kind, {
      namespace: tillerNamespace,
      labelSelector: "OWNER=TILLER",
    });
    for (const o of objects) {
      const where = `${kind} ${tillerNamespace}/${o.metadata.name}`;
      const data = ((o.data ?? {}) as Record<string, string>).release;
      if (data === undefined) throw new Error(`${where}: no data.release`);
      const body = kind === "Secret" ? Buffer.from(data, "base64").toString("utf8") : data;
      out.push({ where, kind, objectName: String(o.metadata.name), release: decodeHelm2Body(body, where) });
    }
  }
  return out.sort((a, b) =>
    a.release.name < b.release.name
      ? -1
      : a.release.name > b.release.name
        ? 1
        : a.release.version - b.release.version,
  );
}
