/**
 * API discovery → REST mappings (kind → resource path, namespaced or not), so any kind the server
 * serves can be applied, including CRDs a chart has just installed. Uses aggregated discovery
 * (one request for all groups) and falls back to per-group-version discovery on older servers.
 */
import type { RestClient } from "./rest.ts";

/** Where a kind lives on the server. */
export interface RestMapping {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
}

/**
 * Built-in kinds whose REST mapping is the same in every Kubernetes release: release storage and
 * locks use them, so reading or listing releases needs no discovery round trip.
 */
const FIXED_MAPPINGS: ReadonlyMap<string, RestMapping> = new Map(
  (
    [
      ["", "v1", "Secret", "secrets"],
      ["", "v1", "ConfigMap", "configmaps"],
      ["", "v1", "Namespace", "namespaces"],
      ["coordination.k8s.io", "v1", "Lease", "leases"],
    ] as const
  ).map(([group, version, kind, resource]) => [
    `${group ? `${group}/` : ""}${version}/${kind}`,
    { group, version, kind, resource, namespaced: kind !== "Namespace" },
  ]),
);

const AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: {
      version: string;
      resources?: { resource: string; scope?: string; responseKind?: { kind?: string } }[];
    }[];
  }[];
}

interface LegacyGroupList {
  groups?: { name: string; versions: { groupVersion: string }[] }[];
}

interface LegacyResourceList {
  groupVersion?: string;
  resources?: { name: string; namespaced: boolean; kind: string }[];
}

/** Split `apps/v1` into group and version (`v1` is the core group). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The server serves no such kind (its CRD may not be installed). */
export class UnknownKindError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(
      `resource mapping not found for kind "${kind}" in version "${apiVersion}": ensure CRDs are installed first`,
    );
    this.name = "UnknownKindError";
  }
}

/** The discovered mappings; refreshed on demand when a kind is unknown. */
export class Discovery {
  private mappings: Map<string, RestMapping> | undefined;
  private groupVersions: string[] = [];

  constructor(private readonly rest: RestClient) {}

  /** The mapping for apiVersion + kind; refreshes once before reporting an unknown kind. */
  async mapping(apiVersion: string, kind: string): Promise<RestMapping> {
    const key = `${apiVersion}/${kind}`;
    const fixed = FIXED_MAPPINGS.get(key);
    if (fixed) return fixed;
    let found = (await this.load()).get(key);
    if (!found) {
      found = (await this.load(true)).get(key);
    }
    if (!found) {
      throw new UnknownKindError(apiVersion, kind);
    }
    return found;
  }

  /** Every served `group/version` and `group/version/Kind`, as Helm's `.Capabilities.APIVersions` lists them. */
  async apiVersions(): Promise<string[]> {
    const m = await this.load();
    return [...new Set([...this.groupVersions, ...[...m.keys()]])].sort();
  }

  /** Forget what was discovered (after CRDs are created). */
  invalidate(): void {
    this.mappings = undefined;
  }

  private async load(refresh = false): Promise<Map<string, RestMapping>> {
    if (this.mappings && !refresh) return this.mappings;
    const map = new Map<string, RestMapping>();
    const gvs = new Set<string>();
    const [core, groups] = await Promise.all([
      this.rest.request<AggregatedList & { versions?: string[] }>({
        method: "GET",
        path: "/api",
        accept: AGGREGATED,
      }),
      this.rest.request<AggregatedList & LegacyGroupList>({
        method: "GET",
        path: "/apis",
        accept: AGGREGATED,
      }),
    ]);
    if (core?.kind === "APIGroupDiscoveryList" && groups?.kind === "APIGroupDiscoveryList") {
      for (const list of [core, groups]) {
        for (const item of list.items ?? []) {
          const group = item.metadata?.name ?? "";
          for (const v of item.versions ?? []) {
            const gv = group ? `${group}/${v.version}` : v.version;
            gvs.add(gv);
            for (const r of v.resources ?? []) {
              const kind = r.responseKind?.kind;
              if (!kind || r.resource.includes("/")) continue;
              map.set(`${gv}/${kind}`, {
                group,
                version: v.version,
                kind,
                resource: r.resource,
                namespaced: r.scope === "Namespaced",
              });
            }
          }
        }
      }
    } else {
      const legacy = [
        ...(core?.versions ?? ["v1"]),
        ...(groups?.groups ?? []).flatMap((g) => g.versions.map((v) => v.groupVersion)),
      ];
      const lists = await Promise.all(
        legacy.map((gv) =>
          this.rest.request<LegacyResourceList>({
            method: "GET",
            path: gv.includes("/") ? `/apis/${gv}` : `/api/${gv}`,
          }),
        ),
      );
      legacy.forEach((gv, i) => {
        gvs.add(gv);
        const { group, version } = splitApiVersion(gv);
        for (const r of lists[i]?.resources ?? []) {
          if (r.name.includes("/")) continue;
          map.set(`${gv}/${r.kind}`, {
            group,
            version,
            kind: r.kind,
            resource: r.name,
            namespaced: r.namespaced,
          });
        }
      });
    }
    this.groupVersions = [...gvs];
    this.mappings = map;
    return map;
  }
}
