/**
 * From rendered template files to ordered manifests and hooks, as Helm prints and applies them:
 * split each file into YAML documents, read each document's head (kind, name, hook annotations),
 * and sort by kind in install order (unknown kinds last, alphabetically), keeping file order on ties.
 */
import { load as loadYaml } from "js-yaml";

/** Kinds in the order Helm installs them (uninstall uses the reverse). */
export const INSTALL_ORDER: readonly string[] = [
  "PriorityClass",
  "Namespace",
  "NetworkPolicy",
  "ResourceQuota",
  "LimitRange",
  "PodSecurityPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "SecretList",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleList",
  "ClusterRoleBinding",
  "ClusterRoleBindingList",
  "Role",
  "RoleList",
  "RoleBinding",
  "RoleBindingList",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];

/** Hook events Helm recognises in `helm.sh/hook`. */
export const HOOK_EVENTS = [
  "pre-install",
  "post-install",
  "pre-delete",
  "post-delete",
  "pre-upgrade",
  "post-upgrade",
  "pre-rollback",
  "post-rollback",
  "test",
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** A rendered document with what Helm reads from its head. */
export interface Manifest {
  /** Chart-qualified template path, e.g. `mychart/templates/deployment.yaml`. */
  name: string;
  /** The document text, trimmed. */
  content: string;
  apiVersion: string;
  kind: string;
  metadataName: string;
}

export interface HookManifest extends Manifest {
  events: HookEvent[];
  weight: number;
  deletePolicies: string[];
  outputLogPolicies: string[];
}

export interface SortedManifests {
  manifests: Manifest[];
  hooks: HookManifest[];
}

/**
 * Split a rendered file into documents on `---` lines. The separator rule is Helm's (a `---` at the
 * very start, or after a newline, with surrounding whitespace); documents that are only whitespace
 * are dropped; the rest are trimmed.
 */
export function splitDocuments(text: string): string[] {
  // A linear scan equivalent to splitting on /(?:^|\s*\n)---\s*/ with Go's \s (a JS regex split
  // backtracks at every whitespace run, which is slow on large CRDs).
  const docs: string[] = [];
  let pos = 0;
  if (text.startsWith("---")) {
    pos = 3;
    while (pos < text.length && isGoSpace(text.charCodeAt(pos))) pos++;
  }
  for (;;) {
    const nl = text.indexOf("\n---", pos);
    if (nl < 0) break;
    let start = nl;
    while (start > pos && isGoSpace(text.charCodeAt(start - 1))) start--;
    let end = nl + 4;
    while (end < text.length && isGoSpace(text.charCodeAt(end))) end++;
    docs.push(text.slice(pos, start));
    pos = end;
  }
  docs.push(text.slice(pos));
  return docs.map(trimGoSpace).filter((d) => d !== "");
}

/** A document of only comments and blank lines (js-yaml refuses it; Helm reads an empty head). */
function isCommentsOnly(doc: string): boolean {
  return doc.split("\n").every((line) => {
    const t = line.trim();
    return t === "" || t.startsWith("#");
  });
}

function isGoSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/** strings.TrimSpace for ASCII whitespace, by index (a `\s+$` regex backtracks on every run). */
function trimGoSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

interface Head {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; annotations?: Record<string, unknown> | null } | null;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

function kindRank(kind: string): number {
  const i = INSTALL_ORDER.indexOf(kind);
  return i < 0 ? INSTALL_ORDER.length : i;
}

/** Sort by install order; unknown kinds after known ones, alphabetically; stable otherwise. */
export function sortByKind<T extends { kind: string }>(items: readonly T[], reverse = false): T[] {
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const ra = kindRank(a.item.kind);
      const rb = kindRank(b.item.kind);
      if (ra !== rb) return ra - rb;
      if (ra === INSTALL_ORDER.length && a.item.kind !== b.item.kind)
        return a.item.kind < b.item.kind ? -1 : 1;
      return a.index - b.index;
    })
    .map((x) => x.item);
  return reverse ? sorted.reverse() : sorted;
}

/**
 * Split rendered files into manifests and hooks in Helm's order. `files` maps chart-qualified
 * template paths to rendered text; only files with content take part.
 */
export function sortManifests(files: ReadonlyMap<string, string>): SortedManifests {
  const manifests: Manifest[] = [];
  const hooks: HookManifest[] = [];
  const paths = [...files.keys()].sort();
  for (const path of paths) {
    for (const content of splitDocuments(files.get(path) ?? "")) {
      let head: Head;
      try {
        // js-yaml is several times faster than `yaml` on large documents (CRDs); `json: true`
        // lets a later duplicate key win instead of failing, like Helm's reader.
        head = (isCommentsOnly(content) ? {} : (loadYaml(content, { json: true }) ?? {})) as Head;
      } catch (err) {
        throw new Error(`YAML parse error on ${path}: ${(err as Error).message.split("\n")[0]}`);
      }
      if (typeof head !== "object" || Array.isArray(head)) {
        throw new Error(
          `YAML parse error on ${path}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goJsonKind(head)} into Go value of type util.SimpleHead`,
        );
      }
      const m: Manifest = {
        name: path,
        content,
        apiVersion: str(head.apiVersion),
        kind: str(head.kind),
        metadataName: str(head.metadata?.name),
      };
      const annotations = head.metadata?.annotations ?? {};
      const hookValue = annotations["helm.sh/hook"];
      if (hookValue === undefined || hookValue === null || str(hookValue) === "") {
        manifests.push(m);
        continue;
      }
      const events = str(hookValue)
        .split(",")
        .map((e) => e.trim())
        .map((e) => (e === "test-success" ? "test" : e))
        .filter((e): e is HookEvent => (HOOK_EVENTS as readonly string[]).includes(e));
      // Hooks naming no event Helm knows (e.g. Helm 2's crd-install) are dropped, as Helm does.
      if (events.length === 0) continue;
      const weight = Number.parseInt(str(annotations["helm.sh/hook-weight"]), 10);
      hooks.push({
        ...m,
        events,
        weight: Number.isFinite(weight) ? weight : 0,
        deletePolicies: listAnnotation(annotations["helm.sh/hook-delete-policy"]),
        outputLogPolicies: listAnnotation(annotations["helm.sh/hook-output-log-policy"]),
      });
    }
  }
  return { manifests: sortByKind(manifests), hooks: sortByKind(hooks) };
}

function listAnnotation(v: unknown): string[] {
  return str(v)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** How Go's encoding/json names a JSON value's kind in its errors. */
function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}

/** Print manifests as `helm template` does: `---\n# Source: NAME\nCONTENT\n` each. */
export function printManifests(items: readonly Manifest[]): string {
  return items.map((m) => `---\n# Source: ${m.name}\n${m.content}\n`).join("");
}
