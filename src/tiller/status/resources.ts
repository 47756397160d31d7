/**
 * The RESOURCES section of `helm status`, as Helm 4 prints it: each object of the release read
 * back as a server-side Table (the same columns kubectl shows), grouped by version and kind in
 * manifest order, then the Pods the release's workloads select, as `v1/Pod(related)`.
 */
import { recordResources } from "../actions/resources.ts";
import type { KubeClient } from "../kube/client.ts";
import { UnknownKindError } from "../kube/discovery.ts";
import { mapLimit } from "../kube/parallel.ts";
import { KubeApiError } from "../kube/rest.ts";

export interface ResourceGroup {
  /** `v1/Deployment`, `v1/Pod(related)`. */
  title: string;
  columns: string[];
  rows: string[][];
}

interface Table {
  columnDefinitions?: { name: string; priority?: number }[];
  rows?: { cells: unknown[] }[];
}

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

/** Workload kinds whose selected Pods Helm lists as related. */
const SELECTING = new Set([
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "ReplicationController",
]);

function cell(v: unknown): string {
  if (v === null || v === undefined || v === "") return "<none>";
  return typeof v === "string" ? v : String(v);
}

function addTable(groups: Map<string, ResourceGroup>, title: string, table: Table | undefined): void {
  const defs = table?.columnDefinitions ?? [];
  const keep = defs.map((d, i) => ({ d, i })).filter(({ d }) => (d.priority ?? 0) === 0);
  let g = groups.get(title);
  if (!g) {
    g = { title, columns: keep.map(({ d }) => d.name.toUpperCase()), rows: [] };
    groups.set(title, g);
  }
  for (const row of table?.rows ?? []) g.rows.push(keep.map(({ i }) => cell(row.cells[i])));
}

export async function releaseResources(kube: KubeClient, manifest: string): Promise<ResourceGroup[]> {
  const resources = recordResources(manifest);
  const tables = await mapLimit(resources, async (r) => {
    try {
      const { path } = await kube.path({
        ...r.object,
        name: String(r.object.metadata.name),
        namespace: r.object.metadata.namespace,
      });
      return await kube.rest.request<Table>({ method: "GET", path, accept: TABLE });
    } catch (err) {
      if (err instanceof UnknownKindError || (err instanceof KubeApiError && err.notFound)) return undefined;
      throw err;
    }
  });
  const groups = new Map<string, ResourceGroup>();
  const selectors: string[] = [];
  resources.forEach((r, i) => {
    if (!tables[i]) return;
    const version = r.object.apiVersion.includes("/")
      ? r.object.apiVersion.split("/")[1]
      : r.object.apiVersion;
    addTable(groups, `${version}/${r.object.kind}`, tables[i]);
    const match = (r.object.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)
      ?.selector?.matchLabels;
    if (SELECTING.has(r.object.kind) && match && Object.keys(match).length > 0) {
      selectors.push(
        Object.entries(match)
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
      );
    }
  });
  if (selectors.length > 0) {
    const seen = new Set<string>();
    const related: Table = { rows: [] };
    for (const selector of selectors) {
      const t = await kube.rest.request<Table>({
        method: "GET",
        path: `/api/v1/namespaces/${encodeURIComponent(kube.namespace)}/pods`,
        query: { labelSelector: selector },
        accept: TABLE,
      });
      related.columnDefinitions ??= t.columnDefinitions;
      for (const row of t.rows ?? []) {
        const name = String(row.cells[0]);
        if (!seen.has(name)) {
          seen.add(name);
          related.rows!.push(row);
        }
      }
    }
    if (related.rows!.length > 0) addTable(groups, "v1/Pod(related)", related);
  }
  return [...groups.values()];
}

/** Groups as Helm prints them: `==> TITLE`, a kubectl-style table (3-space gaps), a blank line each. */
export function formatResources(groups: readonly ResourceGroup[]): string {
  if (groups.length === 0) return "";
  let out = "RESOURCES:\n";
  for (const g of groups) {
    const rows = [g.columns, ...g.rows];
    const widths = g.columns.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    out += `==> ${g.title}\n`;
    for (const r of rows) {
      out += `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join("")}\n`;
    }
    out += "\n";
  }
  return `${out}\n`;
}
