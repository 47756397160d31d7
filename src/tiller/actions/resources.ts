/**
 * Manifests as cluster resources: parsing, Helm's ownership metadata (who may change an object),
 * and the release record's manifest and hooks.
 */

import { load as loadYaml } from "js-yaml";
import { parseYamlFast, parseYamlNodes, yNodeToGo } from "../../chart/engine/yaml.ts";
import {
  type HookManifest,
  type Manifest,
  printManifests,
  splitDocuments,
} from "../../chart/render/manifests.ts";
import { mapLimit } from "../kube/parallel.ts";
import { goToJson } from "../release/chart-record.ts";
import type { Hook } from "../release/release.ts";
import type { Resource, ResourceClient } from "./context.ts";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
export const RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
/** Objects annotated with this (value `keep`) survive uninstall and upgrades that drop them. */
export const RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy";

/** Helm's prefix for manifests that cannot become objects. */
const BUILD_ERROR = "unable to build kubernetes objects from release manifest";

/** Go's JSON kind name of a decoded value, for decode errors. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "object") return "object";
  return typeof v;
}

/** One document as JSON data, read as Helm reads it (YAML 1.1 scalars): fast reader, else the careful one. */
function readDocument(manifest: Manifest): unknown {
  const fast = parseYamlFast(manifest.content);
  if (fast !== undefined) return fast;
  try {
    const node = parseYamlNodes(manifest.content)[0];
    return node ? goToJson(yNodeToGo(node)) : null;
  } catch (err) {
    throw new Error(`${BUILD_ERROR}: error parsing ${manifest.name}: ${(err as Error).message}`);
  }
}

/** Parse manifests into objects as Helm does (YAML 1.1 scalars: `name: y` is a bool, and refused). */
export function toResources(manifests: readonly Manifest[]): Resource[] {
  return manifests.map((manifest) => {
    const data = readDocument(manifest);
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      throw new Error(
        `${BUILD_ERROR}: error validating "": error validating data: ${manifest.name} is not an object`,
      );
    }
    const object = data as Resource["object"];
    const meta = object.metadata as Record<string, unknown> | undefined;
    for (const field of ["name", "namespace", "generateName"]) {
      const v = meta && typeof meta === "object" ? meta[field] : undefined;
      if (v !== undefined && v !== null && typeof v !== "string") {
        throw new Error(
          `${BUILD_ERROR}: unable to decode "": json: cannot unmarshal ${jsonKind(v)} into Go struct field ObjectMeta.metadata.${field} of type string`,
        );
      }
    }
    if (!object.kind)
      throw new Error(`${BUILD_ERROR}: error validating "": error validating data: kind not set`);
    if (!object.apiVersion)
      throw new Error(`${BUILD_ERROR}: error validating "": error validating data: apiVersion not set`);
    object.metadata ??= {};
    if (!object.metadata.name)
      throw new Error(`${BUILD_ERROR}: ${manifest.name}: ${object.kind} has no metadata.name`);
    return { manifest, object };
  });
}

/** Copies of the objects carrying Helm's ownership label and annotations for this release. */
export function stampOwnership(resources: readonly Resource[], name: string, namespace: string): Resource[] {
  return resources.map((r) => {
    const meta = r.object.metadata;
    const labels = { ...((meta.labels as Record<string, string>) ?? {}), [MANAGED_BY_LABEL]: "Helm" };
    const annotations = {
      ...((meta.annotations as Record<string, string>) ?? {}),
      [RELEASE_NAME_ANNOTATION]: name,
      [RELEASE_NAMESPACE_ANNOTATION]: namespace,
    };
    return { ...r, object: { ...r.object, metadata: { ...meta, labels, annotations } } };
  });
}

/**
 * Refuse objects that exist without this release's ownership metadata, with Helm's message
 * ("… exists and cannot be imported into the current release: invalid ownership metadata; …").
 */
export async function checkOwnership(
  kube: ResourceClient,
  resources: readonly Resource[],
  name: string,
  namespace: string,
  verb: "install" | "upgrade",
): Promise<void> {
  const lives = await mapLimit(resources, (r) => kube.get(r.object));
  for (const [i, r] of resources.entries()) {
    const live = lives[i];
    if (!live) continue;
    const problems = ownershipProblems(live.metadata, name, namespace);
    if (problems.length === 0) continue;
    const ns =
      (r.object.metadata.namespace as string | undefined) ?? (live.metadata.namespace as string | undefined);
    const where = ns ? ` in namespace "${ns}"` : "";
    throw new Error(
      `Unable to continue with ${verb}: ${r.object.kind} "${r.object.metadata.name}"${where} exists and cannot be imported into the current release: invalid ownership metadata; ${problems.join("; ")}`,
    );
  }
}

function ownershipProblems(meta: Record<string, unknown>, name: string, namespace: string): string[] {
  const labels = (meta.labels ?? {}) as Record<string, string>;
  const annotations = (meta.annotations ?? {}) as Record<string, string>;
  const problems: string[] = [];
  const check = (kind: "label" | "annotation", map: Record<string, string>, key: string, want: string) => {
    if (!(key in map))
      problems.push(`${kind} validation error: missing key "${key}": must be set to "${want}"`);
    else if (map[key] !== want)
      problems.push(
        `${kind} validation error: key "${key}" must equal "${want}": current value is "${map[key]}"`,
      );
  };
  check("label", labels, MANAGED_BY_LABEL, "Helm");
  check("annotation", annotations, RELEASE_NAME_ANNOTATION, name);
  check("annotation", annotations, RELEASE_NAMESPACE_ANNOTATION, namespace);
  return problems;
}

/** The release record's manifest text: the sorted manifests as `helm template` prints them. */
export function joinManifests(manifests: readonly Manifest[]): string {
  return printManifests(manifests);
}

/** Hook records for the release, in Helm's JSON shape. */
export function hooksOf(hooks: readonly HookManifest[]): Hook[] {
  return hooks.map((h) => ({
    name: h.metadataName,
    kind: h.kind,
    path: h.name,
    manifest: h.content,
    events: [...h.events],
    last_run: { phase: "" },
    ...(h.weight !== 0 ? { weight: h.weight } : {}),
    ...(h.deletePolicies.length > 0 ? { delete_policies: [...h.deletePolicies] } : {}),
    ...(h.outputLogPolicies.length > 0 ? { output_log_policies: [...h.outputLogPolicies] } : {}),
  }));
}

/**
 * The manifests of a stored release (`---\n# Source: NAME\n…` documents) as resources. They were
 * built and checked when the revision was made, so a fast reader is enough to find each object's
 * identity and annotations.
 */
export function recordResources(manifest: string): Resource[] {
  const manifests = splitDocuments(manifest).map((doc): Manifest => {
    const m = /^# Source: (.*)\n/.exec(doc);
    return {
      name: m ? m[1]! : "",
      content: m ? doc.slice(m[0].length) : doc,
      apiVersion: "",
      kind: "",
      metadataName: "",
    };
  });
  return manifests
    .filter((m) => m.content.trim() !== "")
    .map((m) => {
      let object: Resource["object"] | null;
      try {
        object = loadYaml(m.content, { json: true }) as Resource["object"] | null;
      } catch (err) {
        throw new Error(`release manifest ${m.name}: ${(err as Error).message.split("\n")[0]}`);
      }
      if (!object || typeof object !== "object" || !object.kind || !object.metadata?.name) {
        throw new Error(`release manifest ${m.name}: not a Kubernetes object`);
      }
      return { manifest: m, object };
    });
}

/** Identity of an object across revisions: API group, kind, namespace and name (not version). */
export function resourceKey(r: Resource, defaultNamespace: string): string {
  const { apiVersion, kind, metadata } = r.object;
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  return `${group}/${kind}/${metadata.namespace || defaultNamespace}/${metadata.name}`;
}

/** Resources of `previous` that `next` no longer has, minus those annotated to be kept. */
export function removedResources(
  previous: readonly Resource[],
  next: readonly Resource[],
  defaultNamespace: string,
): Resource[] {
  const keep = new Set(next.map((r) => resourceKey(r, defaultNamespace)));
  return previous.filter((r) => !keep.has(resourceKey(r, defaultNamespace)) && !isKept(r));
}

/** `helm.sh/resource-policy: keep` objects survive uninstall and removal from the chart. */
export function isKept(r: Resource): boolean {
  const annotations = (r.object.metadata.annotations ?? {}) as Record<string, string>;
  return annotations[RESOURCE_POLICY_ANNOTATION] === "keep";
}
