/**
 * Charts in OCI registries as Helm stores them: a manifest whose config blob is the chart's
 * metadata (`application/vnd.cncf.helm.config.v1+json`), one layer with the archive and, when a
 * `.prov` sits beside it, one with the provenance file; layers sorted by digest; annotations from
 * Chart.yaml (title, version, description, url, source, authors, created = the archive's
 * modification time, then the chart's own annotations). Pulling picks the tag the way Helm does
 * (an explicit version, else the highest semver tag that satisfies the constraint) and checks
 * every digest, size and media type on the way.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { ChartMetadata } from "../../chart/chart.ts";
import { Constraint, compareSemver, parseSemver, type Version } from "../../chart/engine/funcs/semver.ts";
import { loadArchive } from "../../chart/loader.ts";
import { metadataJson } from "../../chart/metadata-json.ts";
import { goJson } from "../output.ts";
import {
  type Descriptor,
  type Manifest,
  OCI_MANIFEST_MEDIA_TYPE,
  RegistryClient,
  type RegistryOptions,
  sha256Digest,
} from "./client.ts";
import {
  isOci,
  OCI_SCHEME,
  type OciReference,
  parseReference,
  referenceString,
  tagToVersion,
} from "./reference.ts";

export const CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
export const CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
export const LEGACY_CHART_LAYER_MEDIA_TYPE = "application/tar+gzip";
export const PROV_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov";
/** Caps on what a manifest may declare: the chart archive, and the small config and .prov. */
const MAX_CHART_BYTES = 256 * 1024 * 1024;
const MAX_SMALL_BLOB_BYTES = 4 * 1024 * 1024;

const UNDERSCORE_NOTE = `
OCI artifact references (e.g. tags) do not support the plus sign (+). To support
storing semantic versions, Helm adopts the convention of changing plus (+) to
an underscore (_) in chart version tags when pushing to a registry and back to
a plus (+) when pulling from a registry.
`;

/** The lines Helm prints after a push or pull (`Pushed:`/`Pulled:`, the digest, the `_` note). */
function reportLines(verb: string, ref: string, digest: string): string {
  const note = ref.includes("_") ? `${ref} contains an underscore.\n${UNDERSCORE_NOTE}` : "";
  return `${verb}: ${ref}\nDigest: ${digest}\n${note}`;
}

/** Go's time.Format(RFC3339) in the local zone. */
function rfc3339Local(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const zone =
    off === 0
      ? "Z"
      : `${off > 0 ? "+" : "-"}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}

/** The manifest annotations Helm derives from a chart's metadata. */
export function chartAnnotations(md: ChartMetadata, created: string): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => {
    if (v !== undefined && v.trim() !== "") out[k] = v;
  };
  put("org.opencontainers.image.description", md.description);
  put("org.opencontainers.image.title", md.name);
  put("org.opencontainers.image.version", md.version);
  put("org.opencontainers.image.url", md.home);
  put("org.opencontainers.image.created", created);
  put("org.opencontainers.image.source", md.sources[0]);
  if (md.maintainers.length > 0) {
    put(
      "org.opencontainers.image.authors",
      md.maintainers.map((m) => `${m.name}${m.email ? ` (${m.email})` : ""}`).join(", "),
    );
  }
  const fixed = new Set(["org.opencontainers.image.title", "org.opencontainers.image.version"]);
  for (const [k, v] of Object.entries(md.annotations ?? {})) if (!fixed.has(k)) out[k] = v;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function descriptor(mediaType: string, bytes: Uint8Array): Descriptor {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length };
}

export interface PushRequest {
  archivePath: string;
  /** `oci://registry/path`: the chart goes to `path/NAME:VERSION`. */
  remote: string;
  registry: Omit<RegistryOptions, "registryConfig"> & { registryConfig: string };
  /** Where Helm's `Pushed:` lines go (stderr). */
  out: (text: string) => void;
}

/** `helm push`: upload a packaged chart (and its .prov) and tag it with the chart version. */
export async function pushChart(req: PushRequest): Promise<{ ref: string; digest: string }> {
  if (!existsSync(req.archivePath)) throw new Error(`${req.archivePath}: no such file`);
  if (statSync(req.archivePath).isDirectory())
    throw new Error(`cannot push a directory: ${req.archivePath} (package it first)`);
  if (!isOci(req.remote)) throw new Error(`invalid chart URL format: ${req.remote}`);
  const archive = new Uint8Array(readFileSync(req.archivePath));
  const md = loadArchive(archive).metadata;
  const ref = parseReference(
    `${req.remote.slice(OCI_SCHEME.length).replace(/\/+$/, "")}/${md.name}:${md.version}`,
  );
  const provPath = `${req.archivePath}.prov`;
  const prov = existsSync(provPath) ? new Uint8Array(readFileSync(provPath)) : undefined;

  const config = new Uint8Array(Buffer.from(goJson(metadataJson(md))));
  const blobs: [Descriptor, Uint8Array][] = [[descriptor(CHART_LAYER_MEDIA_TYPE, archive), archive]];
  if (prov) blobs.push([descriptor(PROV_LAYER_MEDIA_TYPE, prov), prov]);
  blobs.sort(([a], [b]) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const configDesc = descriptor(CONFIG_MEDIA_TYPE, config);
  const manifest: Manifest = {
    schemaVersion: 2,
    config: configDesc,
    layers: blobs.map(([d]) => d),
    annotations: chartAnnotations(md, rfc3339Local(statSync(req.archivePath).mtime)),
  };
  const manifestBytes = new Uint8Array(Buffer.from(goJson(manifest)));
  const manifestDigest = sha256Digest(manifestBytes);

  const client = new RegistryClient(ref.registry, req.registry);
  const refText = referenceString(ref);
  try {
    await client.request(
      "HEAD",
      `/v2/${ref.repository}/manifests/${manifestDigest}`,
      `repository:${ref.repository}:pull,push`,
    );
  } catch (err) {
    throw new Error(`failed to perform "Exists" on destination: ${(err as Error).message}`);
  }
  for (const [desc, bytes] of [[configDesc, config] as [Descriptor, Uint8Array], ...blobs]) {
    if (!(await client.hasBlob(ref.repository, desc.digest)))
      await client.pushBlob(ref.repository, bytes, desc.digest);
  }
  await client.putManifest(ref.repository, ref.tag, manifestBytes, OCI_MANIFEST_MEDIA_TYPE);
  req.out(reportLines("Pushed", refText, manifestDigest));
  return { ref: refText, digest: manifestDigest };
}

/** Masterminds' strict form, which tags must have to count as chart versions. */
const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** The repository's semver tags as versions (`_` read as `+`), highest first. */
async function versionTags(client: RegistryClient, ref: OciReference): Promise<string[]> {
  const parsed: Version[] = [];
  for (const tag of await client.listTags(ref.repository)) {
    const v = tagToVersion(tag);
    if (STRICT_SEMVER.test(v)) parsed.push(parseSemver(v));
  }
  parsed.sort(
    (a, b) => compareSemver(b, a) || (a.metadata < b.metadata ? 1 : a.metadata > b.metadata ? -1 : 0),
  );
  return parsed.map((v) => v.original);
}

/** The semver versions tagged in `oci://registry/repository` (a dependency's chart), highest first. */
export async function registryVersions(raw: string, registry: RegistryOptions): Promise<string[]> {
  const ref = parseReference(raw);
  return versionTags(new RegistryClient(ref.registry, registry), ref);
}

/** Helm's choice among tags: an exact match, else the first (highest) satisfying the constraint. */
function matchTag(versions: string[], requested: string): string {
  if (requested !== "" && versions.includes(requested)) return requested;
  const constraint = new Constraint(requested === "" ? "*" : requested);
  for (const v of versions) {
    let parsed: Version;
    try {
      parsed = parseSemver(v);
    } catch {
      continue;
    }
    if (constraint.check(parsed)) return v;
  }
  throw new Error(`could not locate a version matching provided version string ${requested}`);
}

function isLooseSemver(v: string): boolean {
  try {
    parseSemver(v);
    return true;
  } catch {
    return false;
  }
}

/**
 * Turn `oci://registry/repo[:tag][@digest]` and a `--version` into the exact reference to pull,
 * as Helm's ValidateReference does.
 */
export async function resolveChartReference(
  raw: string,
  version: string,
  client: (host: string) => RegistryClient,
): Promise<OciReference> {
  const ref = parseReference(raw);
  let wanted = version;
  if (wanted === "") wanted = tagToVersion(ref.tag);
  else if (ref.tag !== "" && ref.tag !== wanted && tagToVersion(ref.tag) !== wanted)
    throw new Error(`chart reference and version mismatch: ${wanted} is not ${ref.tag}`);
  if (ref.digest) {
    if (wanted === "") return { ...ref, tag: "" };
    try {
      const tagged = await client(ref.registry).fetchManifest(
        ref.repository,
        wanted.replaceAll("+", "_"),
        raw,
      );
      if (tagged.digest !== ref.digest)
        throw new Error(`chart reference digest mismatch: ${tagged.digest} is not ${ref.digest}`);
    } catch (err) {
      if ((err as Error).message.startsWith("chart reference digest mismatch")) throw err;
      // The chart need not carry the tag when a digest is given.
    }
    return { ...ref, tag: "" };
  }
  if (wanted !== "" && isLooseSemver(wanted)) return { ...ref, tag: wanted.replaceAll("+", "_") };
  const versions = await versionTags(client(ref.registry), ref);
  if (versions.length === 0) throw new Error(`unable to locate any tags in provided repository: ${raw}`);
  return { ...ref, tag: matchTag(versions, wanted).replaceAll("+", "_") };
}

export interface PulledChart {
  ref: string;
  digest: string;
  archive: Uint8Array;
  prov?: Uint8Array;
  /** The file name Helm saves the archive under (`NAME-VERSION.tgz`). */
  fileName: string;
  /** The `Pulled:` lines as printed. */
  report: string;
}

/** Fetch a resolved reference's chart (and .prov when asked); prints Helm's `Pulled:` lines. */
export async function pullResolved(
  ref: OciReference,
  client: RegistryClient,
  opts: { withProv: boolean; out: (text: string) => void },
): Promise<PulledChart> {
  const refText = referenceString(ref);
  const { manifest, digest, mediaType } = await client.fetchManifest(
    ref.repository,
    ref.digest || ref.tag,
    refText,
  );
  if (mediaType !== OCI_MANIFEST_MEDIA_TYPE)
    throw new Error(
      `${refText}: media type ${JSON.stringify(mediaType)} is not an OCI image manifest (${OCI_MANIFEST_MEDIA_TYPE})`,
    );
  const find = (...types: string[]) =>
    [manifest.config, ...manifest.layers].find((d) => types.includes(d.mediaType));
  const config = manifest.config.mediaType === CONFIG_MEDIA_TYPE ? manifest.config : undefined;
  if (!config) throw new Error(`could not load config with mediatype ${CONFIG_MEDIA_TYPE}`);
  const chartLayer = find(CHART_LAYER_MEDIA_TYPE, LEGACY_CHART_LAYER_MEDIA_TYPE);
  if (!chartLayer)
    throw new Error(`manifest does not contain a layer with mediatype ${CHART_LAYER_MEDIA_TYPE}`);
  const provLayer = opts.withProv ? find(PROV_LAYER_MEDIA_TYPE) : undefined;
  if (opts.withProv && !provLayer)
    throw new Error(`manifest does not contain a layer with mediatype ${PROV_LAYER_MEDIA_TYPE}`);
  for (const [d, max] of [
    [config, MAX_SMALL_BLOB_BYTES],
    [chartLayer, MAX_CHART_BYTES],
    [provLayer, MAX_SMALL_BLOB_BYTES],
  ] as const) {
    if (d && d.size > max)
      throw new Error(
        `${refText}: layer ${d.digest} (${d.mediaType}) declares ${d.size} bytes, more than the limit of ${max}`,
      );
  }
  const configBytes = await client.fetchBlob(ref.repository, config);
  try {
    JSON.parse(Buffer.from(configBytes).toString("utf8"));
  } catch (err) {
    throw new Error(`${refText}: the chart config is not JSON: ${(err as Error).message}`);
  }
  const archive = await client.fetchBlob(ref.repository, chartLayer);
  const prov = provLayer ? await client.fetchBlob(ref.repository, provLayer) : undefined;
  if (chartLayer.mediaType === LEGACY_CHART_LAYER_MEDIA_TYPE)
    opts.out(`Warning: chart media type ${LEGACY_CHART_LAYER_MEDIA_TYPE} is deprecated\n`);
  const report = reportLines("Pulled", refText, digest);
  opts.out(report);
  const base = `${ref.repository.split("/").pop()}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`;
  const colon = base.lastIndexOf(":");
  const fileName = `${base.slice(0, colon)}-${tagToVersion(base.slice(colon + 1))}.tgz`;
  return { ref: refText, digest, archive, prov, fileName, report };
}

/** Resolve and pull `oci://…` with a version constraint: what pull, template and install use. */
export async function pullChartFromRegistry(
  raw: string,
  version: string,
  registry: RegistryOptions,
  opts: { withProv: boolean; out: (text: string) => void },
): Promise<PulledChart> {
  const clients = new Map<string, RegistryClient>();
  const client = (host: string) => {
    let c = clients.get(host);
    if (!c) clients.set(host, (c = new RegistryClient(host, registry)));
    return c;
  };
  const ref = await resolveChartReference(raw, version, client);
  return pullResolved(ref, client(ref.registry), opts);
}
