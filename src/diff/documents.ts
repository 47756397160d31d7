/**
 * One side of a per-resource comparison: an object's identity (as helm-diff names it) and the text
 * that is compared. Live objects are normalised first, so fields the API server maintains (managed
 * fields, resource versions, status…) never show as changes.
 */
import { toYaml } from "../chart/engine/funcs/serialize.ts";
import { type JsonObject, jsonToGo } from "../chart/metadata-json.ts";

/** A Kubernetes object as plain data. */
export type KubeDocumentObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

/** An object to compare, with where it came from. */
export interface ResourceDocument {
  /** The API group, or the version for the core group (`apps`, `v1`): helm-diff's "api". */
  api: string;
  kind: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
  /** The chart template it was rendered from, shown as a `# Source:` line. */
  source?: string;
  object: KubeDocumentObject;
  /** The manifest text as stored (stored-manifest comparisons); else the object is printed. */
  raw?: string;
}

/** Old and new side of one object; a missing side is an addition or a removal. */
export interface DocumentPair {
  old?: ResourceDocument;
  new?: ResourceDocument;
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const SERVER_METADATA = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"];

/** A copy of a live (or dry-run) object without the fields the API server maintains. */
export function withoutServerFields(obj: KubeDocumentObject): KubeDocumentObject {
  const { status: _status, ...rest } = obj;
  const metadata = { ...(obj.metadata ?? {}) };
  for (const field of SERVER_METADATA) delete metadata[field];
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _, ...others } = annotations;
    if (Object.keys(others).length > 0) metadata.annotations = others;
    else delete metadata.annotations;
  }
  return { ...rest, metadata };
}

/** helm-diff's "api" of an apiVersion: the group, or the whole value for the core group. */
export function apiOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0 ? apiVersion : apiVersion.slice(0, slash);
}

/** A document for an object; `namespace` is used when the object names none (namespaced kinds). */
export function resourceDocument(
  object: KubeDocumentObject,
  namespace: string,
  extra: { source?: string; raw?: string } = {},
): ResourceDocument {
  return {
    api: apiOf(object.apiVersion ?? ""),
    kind: object.kind ?? "",
    namespace: object.metadata?.namespace ?? namespace,
    name: object.metadata?.name ?? "",
    object,
    ...extra,
  };
}

/** helm-diff's header key: `NAMESPACE, NAME, KIND (API)`. */
export function documentKey(d: Pick<ResourceDocument, "api" | "kind" | "namespace" | "name">): string {
  return `${d.namespace}, ${d.name}, ${d.kind} (${d.api})`;
}

/** An object as YAML the way Kubernetes tools print it (Go's YAML: keys sorted, lists unindented). */
export function objectYaml(obj: KubeDocumentObject): string {
  return `${toYaml(jsonToGo(obj as JsonObject))}\n`;
}

/** The compared text of a document: its `# Source:` line, then the stored text or the printed object. */
export function documentText(d: ResourceDocument, object: KubeDocumentObject = d.object): string {
  const source = d.source ? `# Source: ${d.source}\n` : "";
  const body = d.raw !== undefined && object === d.object ? d.raw : objectYaml(object);
  return source + body;
}
