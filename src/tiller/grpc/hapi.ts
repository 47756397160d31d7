/**
 * Our chart and release models as Helm 2's hapi messages, and back. A chart travels as Helm 2
 * sent it (metadata, templates, values as YAML text, other files, subcharts); we also put the
 * chart's own Chart.yaml, lock and schema among its files, so nothing Helm 3 added is lost, and
 * the receiving side rebuilds the chart with the ordinary chart loader.
 */
import { stringify as yamlStringify } from "yaml";
import type { Chart, ChartFile } from "../../chart/chart.ts";
import { toYaml } from "../../chart/engine/funcs/serialize.ts";
import { loadFiles } from "../../chart/loader.ts";
import { jsonToGo } from "../release/chart-record.ts";
import type { Hook, JsonValue, Release, ReleaseStatus } from "../release/release.ts";
import { type google, hapi } from "./gen/protos.js";

type HapiChart = hapi.chart.IChart;
type HapiRelease = hapi.release.IRelease;

const utf8 = (b: Uint8Array) => Buffer.from(b).toString("utf8");

/** Chart files that are neither templates nor subcharts (Chart.yaml, lock, schema, README, crds…). */
function ownFiles(chart: Chart): ChartFile[] {
  return chart.raw.filter((f) => !f.name.startsWith("templates/") && !f.name.startsWith("charts/"));
}

/** A loaded chart as a hapi Chart. */
export function chartToHapi(chart: Chart): HapiChart {
  const md = chart.metadata;
  const valuesFile = chart.raw.find((f) => f.name === "values.yaml");
  return {
    metadata: {
      name: md.name,
      home: md.home,
      sources: md.sources,
      version: md.version,
      description: md.description,
      keywords: md.keywords,
      maintainers: md.maintainers,
      engine: "gotpl",
      icon: md.icon,
      apiVersion: md.apiVersion,
      condition: md.condition,
      tags: md.tags,
      appVersion: md.appVersion,
      deprecated: md.deprecated,
      annotations: md.annotations ?? {},
      kubeVersion: md.kubeVersion,
    },
    templates: chart.templates.map((t) => ({ name: t.name, data: t.data })),
    dependencies: chart.dependencies.map(chartToHapi),
    values: { raw: valuesFile ? utf8(valuesFile.data) : "" },
    files: ownFiles(chart)
      .filter((f) => f.name !== "values.yaml")
      .map((f) => ({ type_url: f.name, value: f.data })),
  };
}

/** Chart.yaml for a hapi chart that did not bring its own (a Helm 2 client). */
function synthesizeChartYaml(md: hapi.chart.IMetadata): string {
  const doc: Record<string, unknown> = {
    apiVersion: md.apiVersion || "v1",
    name: md.name,
    version: md.version,
  };
  const optional: [string, unknown][] = [
    ["description", md.description],
    ["home", md.home],
    ["sources", md.sources],
    ["keywords", md.keywords],
    [
      "maintainers",
      md.maintainers?.map((m) => ({ name: m.name, email: m.email || undefined, url: m.url || undefined })),
    ],
    ["icon", md.icon],
    ["condition", md.condition],
    ["tags", md.tags],
    ["appVersion", md.appVersion],
    ["deprecated", md.deprecated || undefined],
    ["annotations", md.annotations && Object.keys(md.annotations).length > 0 ? md.annotations : undefined],
    ["kubeVersion", md.kubeVersion],
  ];
  for (const [k, v] of optional) {
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    doc[k] = v;
  }
  return yamlStringify(doc);
}

/** The chart's files as the loader reads them, subcharts under `charts/NAME/`. */
function hapiFiles(hc: HapiChart, prefix: string, out: ChartFile[], depth: number): void {
  if (depth > 20) throw new Error("chart: subcharts nested more than 20 deep");
  const name = hc.metadata?.name ?? "";
  const files = (hc.files ?? []).map((f) => ({ name: f.type_url ?? "", data: f.value ?? new Uint8Array() }));
  for (const f of files) {
    if (f.name === "" || f.name.startsWith("/") || f.name.split("/").includes("..")) {
      throw new Error(`chart ${name}: file name ${JSON.stringify(f.name)} is not allowed`);
    }
  }
  if (!files.some((f) => f.name === "Chart.yaml")) {
    if (!hc.metadata) throw new Error("chart: no metadata");
    files.push({ name: "Chart.yaml", data: Buffer.from(synthesizeChartYaml(hc.metadata)) });
  }
  if (hc.values?.raw && !files.some((f) => f.name === "values.yaml")) {
    files.push({ name: "values.yaml", data: Buffer.from(hc.values.raw) });
  }
  for (const t of hc.templates ?? []) {
    const tname = t.name ?? "";
    if (!tname.startsWith("templates/") || tname.split("/").includes("..")) {
      throw new Error(`chart ${name}: template name ${JSON.stringify(tname)} is not allowed`);
    }
    files.push({ name: tname, data: t.data ?? new Uint8Array() });
  }
  for (const f of files) out.push({ name: prefix + f.name, data: f.data });
  for (const dep of hc.dependencies ?? []) {
    const depName = dep.metadata?.name ?? "";
    if (!/^[A-Za-z0-9._-]+$/.test(depName) || depName === "." || depName === "..") {
      throw new Error(`chart ${name}: subchart name ${JSON.stringify(depName)} is not allowed`);
    }
    hapiFiles(dep, `${prefix}charts/${depName}/`, out, depth + 1);
  }
}

/** A hapi chart back as a loaded chart (validated by the ordinary loader). */
export function chartFromHapi(hc: HapiChart | null | undefined): Chart {
  if (!hc) throw new Error("no chart given");
  const files: ChartFile[] = [];
  hapiFiles(hc, "", files, 0);
  return loadFiles(files);
}

const STATUS_CODES: Record<ReleaseStatus, hapi.release.Status.Code> = {
  unknown: hapi.release.Status.Code.UNKNOWN,
  deployed: hapi.release.Status.Code.DEPLOYED,
  uninstalled: hapi.release.Status.Code.DELETED,
  superseded: hapi.release.Status.Code.SUPERSEDED,
  failed: hapi.release.Status.Code.FAILED,
  uninstalling: hapi.release.Status.Code.DELETING,
  "pending-install": hapi.release.Status.Code.PENDING_INSTALL,
  "pending-upgrade": hapi.release.Status.Code.PENDING_UPGRADE,
  "pending-rollback": hapi.release.Status.Code.PENDING_ROLLBACK,
};

/** Helm 2's status code for a release status, and back. */
export function statusCode(status: ReleaseStatus): hapi.release.Status.Code {
  return STATUS_CODES[status] ?? hapi.release.Status.Code.UNKNOWN;
}

export function statusFromCode(code: hapi.release.Status.Code | null | undefined): ReleaseStatus {
  const hit = (Object.entries(STATUS_CODES) as [ReleaseStatus, number][]).find(([, c]) => c === code);
  return hit ? hit[0] : "unknown";
}

function timestamp(iso: string | undefined): google.protobuf.ITimestamp | null {
  const ms = Date.parse(iso ?? "");
  if (!Number.isFinite(ms)) return null;
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

const HOOK_EVENTS: Record<string, hapi.release.Hook.Event> = {
  "pre-install": hapi.release.Hook.Event.PRE_INSTALL,
  "post-install": hapi.release.Hook.Event.POST_INSTALL,
  "pre-delete": hapi.release.Hook.Event.PRE_DELETE,
  "post-delete": hapi.release.Hook.Event.POST_DELETE,
  "pre-upgrade": hapi.release.Hook.Event.PRE_UPGRADE,
  "post-upgrade": hapi.release.Hook.Event.POST_UPGRADE,
  "pre-rollback": hapi.release.Hook.Event.PRE_ROLLBACK,
  "post-rollback": hapi.release.Hook.Event.POST_ROLLBACK,
  test: hapi.release.Hook.Event.RELEASE_TEST_SUCCESS,
};

const DELETE_POLICIES: Record<string, hapi.release.Hook.DeletePolicy> = {
  "hook-succeeded": hapi.release.Hook.DeletePolicy.SUCCEEDED,
  "hook-failed": hapi.release.Hook.DeletePolicy.FAILED,
  "before-hook-creation": hapi.release.Hook.DeletePolicy.BEFORE_HOOK_CREATION,
};

function hookToHapi(h: Hook): hapi.release.IHook {
  return {
    name: h.name,
    kind: h.kind,
    path: h.path,
    manifest: h.manifest,
    events: h.events.map((e) => HOOK_EVENTS[e] ?? hapi.release.Hook.Event.UNKNOWN),
    last_run: timestamp(h.last_run?.started_at),
    weight: h.weight ?? 0,
    delete_policies: (h.delete_policies ?? []).map((p) => DELETE_POLICIES[p] ?? 0),
  };
}

/** A stored release as Helm 2 clients see it. */
export function releaseToHapi(rls: Release): HapiRelease {
  const md = rls.chart.metadata ?? {};
  const str = (v: JsonValue | undefined) => (typeof v === "string" ? v : "");
  return {
    name: rls.name,
    namespace: rls.namespace,
    version: rls.version,
    manifest: rls.manifest,
    info: {
      status: { code: statusCode(rls.info.status), notes: rls.info.notes ?? "" },
      first_deployed: timestamp(rls.info.first_deployed),
      last_deployed: timestamp(rls.info.last_deployed),
      deleted: timestamp(rls.info.deleted),
      Description: rls.info.description ?? "",
    },
    chart: {
      metadata: {
        name: str(md.name),
        version: str(md.version),
        appVersion: str(md.appVersion),
        description: str(md.description),
        apiVersion: str(md.apiVersion),
        engine: "gotpl",
      },
      templates: (rls.chart.templates ?? []).map((t) => ({
        name: t.name,
        data: Buffer.from(t.data, "base64"),
      })),
      values: { raw: rls.chart.values ? toYaml(jsonToGo(rls.chart.values)) : "" },
      files: (rls.chart.files ?? []).map((f) => ({ type_url: f.name, value: Buffer.from(f.data, "base64") })),
    },
    config: { raw: rls.config && Object.keys(rls.config).length > 0 ? toYaml(jsonToGo(rls.config)) : "" },
    hooks: (rls.hooks ?? []).map(hookToHapi),
  };
}
