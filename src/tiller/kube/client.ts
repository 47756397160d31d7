/**
 * Kubernetes operations release actions need: server-side apply, get, list, delete, server version
 * and API versions. Any kind is addressed through discovery; errors name the object.
 */
import { connect, type KubeFlags } from "./connection.ts";
import { Discovery, type RestMapping } from "./discovery.ts";
import { KubeApiError, RestClient } from "./rest.ts";

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Identifies one object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ApplyOptions {
  fieldManager: string;
  /** Take fields owned by other managers (`--force-conflicts`). */
  force?: boolean;
  dryRun?: boolean;
}

export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

/** `Kind/namespace/name` or `Kind/name`, for messages. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace
    ? `${ref.kind} "${ref.name}" in namespace "${ref.namespace}"`
    : `${ref.kind} "${ref.name}"`;
}

export class KubeClient {
  readonly discovery: Discovery;

  private constructor(
    readonly rest: RestClient,
    /** Namespace used for namespaced objects that do not name one. */
    readonly namespace: string,
    discovery?: Discovery,
  ) {
    this.discovery = discovery ?? new Discovery(rest);
  }

  /** The same connection and discovery cache with another default namespace. */
  inNamespace(namespace: string): KubeClient {
    return namespace === this.namespace ? this : new KubeClient(this.rest, namespace, this.discovery);
  }

  /** Connect using kubeconfig + flags; `namespace` overrides the context's namespace. */
  static async create(flags: KubeFlags, namespace?: string): Promise<KubeClient> {
    const conn = await connect(flags);
    return new KubeClient(new RestClient(conn), namespace || conn.defaultNamespace);
  }

  /** The URL path of an object (or of its collection when `name` is empty). */
  async path(ref: { apiVersion: string; kind: string; namespace?: string; name?: string }): Promise<{
    path: string;
    mapping: RestMapping;
  }> {
    const mapping = await this.discovery.mapping(ref.apiVersion, ref.kind);
    const base = mapping.group ? `/apis/${mapping.group}/${mapping.version}` : `/api/${mapping.version}`;
    const ns = mapping.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace || this.namespace)}` : "";
    const name = ref.name ? `/${encodeURIComponent(ref.name)}` : "";
    return { path: `${base}${ns}/${mapping.resource}${name}`, mapping };
  }

  /** Server-side apply (`application/apply-patch+yaml`); returns the object as the server stored it. */
  async apply(obj: KubeObject, opts: ApplyOptions): Promise<KubeObject> {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`${obj.kind}: metadata.name is required`);
    const { path, mapping } = await this.path({ ...obj, name, namespace: obj.metadata.namespace });
    const body = mapping.namespaced
      ? { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata.namespace || this.namespace } }
      : obj;
    try {
      return await this.rest.request<KubeObject>({
        method: "PATCH",
        path,
        query: {
          fieldManager: opts.fieldManager,
          force: opts.force ? true : undefined,
          dryRun: opts.dryRun ? "All" : undefined,
        },
        body,
        contentType: "application/apply-patch+yaml",
      });
    } catch (err) {
      throw withObject(err, { ...obj, name, namespace: body.metadata.namespace });
    }
  }

  /**
   * Replace the whole object over its live version (PUT), or create it when absent: Helm's
   * `--force-replace`. Fields the chart no longer sets are dropped instead of kept.
   */
  async replace(obj: KubeObject, opts: ApplyOptions): Promise<KubeObject> {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`${obj.kind}: metadata.name is required`);
    const { path, mapping } = await this.path({ ...obj, name, namespace: obj.metadata.namespace });
    const namespace = mapping.namespaced ? obj.metadata.namespace || this.namespace : undefined;
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name, namespace };
    const live = await this.get(ref);
    const metadata: KubeObject["metadata"] = { ...obj.metadata, ...(namespace ? { namespace } : {}) };
    if (live) metadata.resourceVersion = live.metadata.resourceVersion;
    const query = { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? "All" : undefined };
    try {
      return await this.rest.request<KubeObject>(
        live
          ? { method: "PUT", path, query, body: { ...obj, metadata } }
          : {
              method: "POST",
              path: (await this.path({ ...ref, name: "" })).path,
              query,
              body: { ...obj, metadata },
            },
      );
    } catch (err) {
      throw withObject(err, ref);
    }
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const { path } = await this.path(ref);
    try {
      return await this.rest.request<KubeObject>({ method: "GET", path });
    } catch (err) {
      if (err instanceof KubeApiError && err.notFound) return undefined;
      throw withObject(err, ref);
    }
  }

  /** Objects of a kind in a namespace ("" = all namespaces), optionally filtered by label selector. */
  async list(
    apiVersion: string,
    kind: string,
    opts: { namespace?: string; labelSelector?: string } = {},
  ): Promise<KubeObject[]> {
    const mapping = await this.discovery.mapping(apiVersion, kind);
    const base = mapping.group ? `/apis/${mapping.group}/${mapping.version}` : `/api/${mapping.version}`;
    const ns =
      mapping.namespaced && opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : "";
    const items: KubeObject[] = [];
    let cont: string | undefined;
    do {
      const page = await this.rest.request<{ items?: KubeObject[]; metadata?: { continue?: string } }>({
        method: "GET",
        path: `${base}${ns}/${mapping.resource}`,
        query: { labelSelector: opts.labelSelector, limit: 500, continue: cont },
      });
      for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind });
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return items;
  }

  /** Delete an object; resolves false when it was already gone. */
  async delete(ref: ObjectRef, propagationPolicy: PropagationPolicy = "Background"): Promise<boolean> {
    return (await this.deleteObject(ref, propagationPolicy)) !== "absent";
  }

  /**
   * Delete an object and say what became of it: `gone` at once, `terminating` (finalizers still
   * to run), or `absent` (it did not exist).
   */
  async deleteObject(
    ref: ObjectRef,
    propagationPolicy: PropagationPolicy = "Background",
  ): Promise<"gone" | "terminating" | "absent"> {
    const { path } = await this.path(ref);
    try {
      const after = await this.rest.request<{
        metadata?: { deletionTimestamp?: string; finalizers?: string[] };
      }>({
        method: "DELETE",
        path,
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy },
      });
      const m = after?.metadata;
      return m?.deletionTimestamp && m.finalizers?.length ? "terminating" : "gone";
    } catch (err) {
      if (err instanceof KubeApiError && err.notFound) return "absent";
      throw withObject(err, ref);
    }
  }

  /** The server's `/version` (gitVersion, major, minor). */
  async serverVersion(): Promise<{ gitVersion: string; major: string; minor: string }> {
    return this.rest.request({ method: "GET", path: "/version" });
  }
}

/** Prefix an API error with the object it concerns, unless the server already named it. */
function withObject(err: unknown, ref: ObjectRef): unknown {
  if (!(err instanceof KubeApiError) || err.code === 0) return err;
  if (err.message.includes(`"${ref.name}"`)) return err;
  return new KubeApiError(`${describeRef(ref)}: ${err.message}`, err.code, err.reason, err.details);
}
