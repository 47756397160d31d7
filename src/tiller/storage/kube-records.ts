/**
 * Release records stored as Kubernetes objects (Secrets or ConfigMaps), in Helm 3/4's exact format:
 * object name `sh.helm.release.v1.NAME.vN`, labels name/owner/status/version/createdAt|modifiedAt
 * plus the release's own labels, and `data.release` holding base64(gzip(JSON)).
 */
import type { KubeClient, KubeObject } from "../kube/client.ts";
import { KubeApiError } from "../kube/rest.ts";
import type { Release } from "../release/release.ts";
import { decodeRelease, encodeRelease } from "./codec.ts";
import {
  type Driver,
  type LabelQuery,
  newestOfEach,
  ReleaseExistsError,
  ReleaseNotFoundError,
  recordLabels,
  SYSTEM_LABELS,
} from "./driver.ts";

/** What differs between the Secret and ConfigMap forms. */
export interface RecordKind {
  driverName: string;
  kind: "Secret" | "ConfigMap";
  /** Fields besides metadata (type, data) for an encoded body. */
  body(encoded: string): Record<string, unknown>;
  /** The encoded body from a stored object, or undefined when absent. */
  encoded(obj: KubeObject): string | undefined;
}

function selector(labels: LabelQuery): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

function userLabels(obj: KubeObject): Record<string, string> {
  const labels = (obj.metadata.labels ?? {}) as Record<string, string>;
  const own = Object.entries(labels).filter(([k]) => !(SYSTEM_LABELS as readonly string[]).includes(k));
  return Object.fromEntries(own);
}

export class KubeRecordDriver implements Driver {
  readonly name: string;

  /** `namespace` empty means all namespaces (list and query only). */
  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
    private readonly form: RecordKind,
  ) {
    this.name = form.driverName;
  }

  private ref(key: string, namespace = this.namespace) {
    return { apiVersion: "v1", kind: this.form.kind, name: key, namespace };
  }

  private decode(obj: KubeObject): Release {
    const where = `${obj.metadata.namespace}/${obj.metadata.name}`;
    const encoded = this.form.encoded(obj);
    if (encoded === undefined) throw new Error(`release record ${where}: no data.release`);
    const rls = decodeRelease(encoded, where);
    const labels = userLabels(obj);
    if (Object.keys(labels).length > 0) rls.labels = labels;
    return rls;
  }

  private object(key: string, rls: Release, timeLabel: "createdAt" | "modifiedAt"): KubeObject {
    return {
      apiVersion: "v1",
      kind: this.form.kind,
      metadata: {
        name: key,
        namespace: rls.namespace,
        labels: recordLabels(rls, { [timeLabel]: String(Math.floor(Date.now() / 1000)) }),
      },
      ...this.form.body(encodeRelease(rls)),
    };
  }

  async get(key: string): Promise<Release> {
    const obj = await this.kube.get(this.ref(key));
    if (!obj) throw new ReleaseNotFoundError(key);
    return this.decode(obj);
  }

  async list(filter: (rls: Release) => boolean): Promise<Release[]> {
    const objs = await this.kube.list("v1", this.form.kind, {
      namespace: this.namespace,
      labelSelector: "owner=helm",
    });
    return objs.map((o) => this.decode(o)).filter(filter);
  }

  /**
   * The newest record of each release, decoding only those (chosen by the `name` and `version`
   * labels every Helm record carries): with thousands of releases, decoding every revision is
   * wasted work. Superseded records are not even fetched — Helm marks a record superseded only
   * once a newer revision exists, so one is never the newest — which leaves the API server a
   * fraction of the history to send.
   */
  async latest(): Promise<Release[]> {
    const objs = await this.kube.list("v1", this.form.kind, {
      namespace: this.namespace,
      labelSelector: "owner=helm,status!=superseded",
    });
    const labelsOf = (o: KubeObject) => (o.metadata.labels ?? {}) as Record<string, string>;
    const labelled = objs.filter((o) => labelsOf(o).name && /^\d+$/.test(labelsOf(o).version ?? ""));
    const chosen = new Set(labelled);
    const unlabelled = objs.filter((o) => !chosen.has(o)).map((o) => this.decode(o));
    const newest = newestOfEach(
      labelled,
      (o) => `${o.metadata.namespace}/${labelsOf(o).name}`,
      (o) => Number(labelsOf(o).version),
    ).map((o) => this.decode(o));
    if (unlabelled.length === 0) return newest;
    return newestOfEach(
      [...newest, ...unlabelled],
      (r) => `${r.namespace}/${r.name}`,
      (r) => r.version,
    );
  }

  async query(labels: LabelQuery): Promise<Release[]> {
    const objs = await this.kube.list("v1", this.form.kind, {
      namespace: this.namespace,
      labelSelector: selector(labels),
    });
    if (objs.length === 0) throw new ReleaseNotFoundError(selector(labels));
    return objs.map((o) => this.decode(o));
  }

  async create(key: string, rls: Release): Promise<void> {
    const obj = this.object(key, rls, "createdAt");
    const { path } = await this.kube.path({ ...obj, name: "", namespace: rls.namespace });
    try {
      await this.kube.rest.request({ method: "POST", path, body: obj });
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 409) throw new ReleaseExistsError(key);
      throw err;
    }
  }

  async update(key: string, rls: Release): Promise<void> {
    const obj = this.object(key, rls, "modifiedAt");
    const { path } = await this.kube.path({ ...obj, name: key, namespace: rls.namespace });
    try {
      await this.kube.rest.request({ method: "PUT", path, body: obj });
    } catch (err) {
      if (err instanceof KubeApiError && err.notFound) throw new ReleaseNotFoundError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<Release> {
    const rls = await this.get(key);
    if (!(await this.kube.delete(this.ref(key), "Background"))) throw new ReleaseNotFoundError(key);
    return rls;
  }
}
