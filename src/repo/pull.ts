/**
 * `helm pull`: resolve a chart reference (`repo/chart`, a chart URL, or a name with `--repo`) to
 * a download URL through the repository index, download it with the repository's credentials
 * (sent only to the repository's host unless pass-credentials), check it against the index's
 * digest, and save it — or, with `--untar`, unpack it. Nothing is left half-written: the archive
 * goes to a temp file renamed into place, and an unpacked chart is written to a temp directory
 * renamed into place after the hostile-checked archive reader (src/chart) accepted every entry.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, posix, resolve, sep } from "node:path";
import { readChartArchive } from "../chart/archive.ts";
import { Constraint, parseSemver } from "../chart/engine/funcs/semver.ts";
import { loadArchive } from "../chart/loader.ts";
import { type IndexSummary, loadCachedIndex, type SummaryVersion, summarize } from "./cache.ts";
import { httpOptionsFor, indexUrl } from "./chart-repo.ts";
import { atomicWriteFile } from "./fs.ts";
import { credentialsHostOf, type HttpOptions, hasSchemeGetter, httpGet } from "./http.ts";
import { loadIndex } from "./index-file.ts";
import { pullChartFromRegistry } from "./oci/chart.ts";
import { isOci } from "./oci/reference.ts";
import { formatVerification, verifyProvenance } from "./provenance.ts";
import { newRepoEntry, type RepoEntry, readRepoFile } from "./repo-file.ts";

export interface PullOptions {
  chartRef: string;
  version?: string;
  devel?: boolean;
  repoUrl?: string;
  username?: string;
  password?: string;
  passCredentials?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  destination: string;
  untar?: boolean;
  untarDir: string;
  prov?: boolean;
  /** Check the chart against its provenance file with `keyring` before saving it. */
  verify?: boolean;
  keyring?: string;
  /** OCI registries: HTTP instead of HTTPS, and the credentials file. */
  plainHttp?: boolean;
  registryConfig?: string;
  /** Helm's stderr lines (`Pulled: …`) and stdout report (verification). */
  stderr?: (text: string) => void;
  stdout?: (text: string) => void;
  repoConfig: string;
  repoCache: string;
  warn: (message: string, attrs?: [string, string][]) => void;
}

/** Where a chart comes from once its reference is resolved. */
interface Resolved {
  url: string;
  http: HttpOptions;
  /** The index's digest for this version, when it gave one. */
  digest: string;
  what: string;
}

/** Helm's way of making a relative chart URL absolute against the repository URL. */
export function resolveChartUrl(repoUrl: string, ref: string): string {
  const base = new URL(repoUrl);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const out = new URL(ref, base);
  if (out.search === "" && base.search !== "" && out.host === base.host) out.search = base.search;
  return out.href;
}

/** Pick a version the way Helm's index lookup does: an exact match, else the newest in range. */
export function selectVersion(
  chartName: string,
  versions: SummaryVersion[] | undefined,
  requested: string,
  warn: PullOptions["warn"],
): SummaryVersion {
  if (versions === undefined || versions.length === 0) throw new Error("no chart name found");
  const constraintText = requested === "" ? ">0.0.0" : requested;
  const exact = versions.find((v) => v.version === requested);
  if (exact) return exact;
  let constraint: Constraint | undefined;
  try {
    constraint = new Constraint(constraintText);
  } catch {
    constraint = undefined;
  }
  if (constraint) {
    for (const v of versions) {
      let parsed: ReturnType<typeof parseSemver>;
      try {
        parsed = parseSemver(v.version);
      } catch {
        continue;
      }
      if (constraint.check(parsed)) {
        if (requested !== "") {
          warn("unable to find exact version requested; falling back to closest available version", [
            ["chart", chartName],
            ["requested", requested],
            ["selected", v.version],
          ]);
        }
        return v;
      }
    }
  }
  throw new Error(`no chart version found for ${chartName}-${requested}`);
}

function userHttp(opts: PullOptions, url: string): HttpOptions {
  return {
    username: opts.username,
    password: opts.password,
    passCredentials: opts.passCredentials,
    credentialsHost: credentialsHostOf(url),
    caFile: opts.caFile,
    certFile: opts.certFile,
    keyFile: opts.keyFile,
    insecureSkipTlsVerify: opts.insecureSkipTlsVerify,
  };
}

function fromIndex(
  index: IndexSummary,
  entry: RepoEntry,
  chartName: string,
  requested: string,
  where: string,
  opts: PullOptions,
  http: HttpOptions,
): Resolved {
  let cv: SummaryVersion;
  try {
    cv = selectVersion(chartName, index.entries.get(chartName), requested, opts.warn);
  } catch (err) {
    throw new Error(
      `chart "${chartName}" matching ${opts.version ?? ""} not found in ${where} index. (try 'helm repo update'): ${(err as Error).message}`,
    );
  }
  if (cv.urls.length === 0)
    throw new Error(`chart "${chartName}" version ${cv.version} has no downloadable URLs`);
  return {
    url: resolveChartUrl(entry.url, cv.urls[0]!),
    http,
    digest: cv.digest,
    what: `${chartName} ${cv.version}`,
  };
}

async function resolveRef(opts: PullOptions): Promise<Resolved> {
  const requested = opts.version ? opts.version : opts.devel ? ">0.0.0-0" : "";
  if (opts.repoUrl) {
    const entry = {
      ...newRepoEntry("", opts.repoUrl),
      username: opts.username ?? "",
      password: opts.password ?? "",
    };
    const http = userHttp(opts, opts.repoUrl);
    let index: IndexSummary;
    try {
      const raw = await httpGet(indexUrl(opts.repoUrl), http);
      index = summarize(loadIndex(raw, opts.repoUrl, (w) => opts.warn(w)));
    } catch (err) {
      throw new Error(
        `looks like "${opts.repoUrl}" is not a valid chart repository or cannot be reached: ${(err as Error).message}`,
      );
    }
    return fromIndex(index, entry, opts.chartRef, requested, opts.repoUrl, opts, http);
  }
  const file = readRepoFile(opts.repoConfig);
  if (/^https?:\/\//.test(opts.chartRef) || hasSchemeGetter(opts.chartRef)) {
    // A chart URL: use the credentials and TLS settings of the repository it lives in, if any.
    const owner = file?.repositories.find(
      (r) => r.url !== "" && opts.chartRef.startsWith(r.url.replace(/\/$/, "")),
    );
    const http = owner
      ? { ...httpOptionsFor(owner), ...definedOnly(userHttp(opts, opts.chartRef)) }
      : userHttp(opts, opts.chartRef);
    return { url: opts.chartRef, http, digest: "", what: opts.chartRef };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(opts.chartRef)) {
    throw new Error(`scheme "${opts.chartRef.split(":")[0]}" not supported`);
  }
  const slash = opts.chartRef.indexOf("/");
  if (slash < 0) {
    throw new Error(`non-absolute URLs should be in form of repo_name/path_to_chart, got: ${opts.chartRef}`);
  }
  const repoName = opts.chartRef.slice(0, slash);
  const chartName = opts.chartRef.slice(slash + 1);
  const entry = file?.repositories.find((r) => r.name === repoName);
  if (!entry) throw new Error(`repo ${repoName} not found`);
  const index = loadCachedIndex(opts.repoCache, entry.name, (w) => opts.warn(w));
  const http = httpOptionsFor(entry);
  if (opts.username !== undefined) http.username = opts.username;
  if (opts.password !== undefined) http.password = opts.password;
  return fromIndex(index, entry, chartName, requested, repoName, opts, http);
}

function definedOnly(o: HttpOptions): HttpOptions {
  return Object.fromEntries(
    Object.entries(o).filter(([k, v]) => v !== undefined && k !== "credentialsHost"),
  ) as HttpOptions;
}

/** A file name from a URL's last path segment, refusing anything that is not a plain name. */
function fileNameOf(url: string): string {
  const name = posix.basename(decodeURIComponent(new URL(url).pathname));
  if (name === "" || name === "." || name === ".." || name.includes("\\") || name.includes("\0")) {
    throw new Error(`refusing to save ${url}: its name ${JSON.stringify(name)} is not a plain file name`);
  }
  return name;
}

function verifyDigest(bytes: Uint8Array, resolved: Resolved): void {
  if (resolved.digest === "") return;
  const expected = resolved.digest.replace(/^sha256:/, "").toLowerCase();
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== expected) {
    throw new Error(
      `digest mismatch for ${resolved.what} from ${resolved.url}: the index says sha256:${expected}, the download is sha256:${actual}`,
    );
  }
}

/** Unpack a chart archive under `parent/<chart name>`, via a temp directory renamed into place. */
function untarChart(bytes: Uint8Array, parent: string, checkName: string): void {
  const target = join(parent, checkName);
  if (existsSync(target)) {
    throw new Error(`failed to untar: a file or directory with the name ${checkName} already exists`);
  }
  let name: string;
  let files: { name: string; data: Uint8Array }[];
  try {
    name = loadArchive(bytes).metadata.name;
    files = readChartArchive(bytes);
  } catch (err) {
    throw new Error(`failed to untar: ${(err as Error).message}`);
  }
  mkdirSync(parent, { recursive: true });
  const dest = join(parent, name);
  if (existsSync(dest))
    throw new Error(`failed to untar: a file or directory with the name ${name} already exists`);
  const tmp = join(parent, `.${name}.${randomBytes(4).toString("hex")}.tmp`);
  const root = resolve(tmp);
  try {
    mkdirSync(tmp, { mode: 0o755 });
    for (const f of files) {
      const out = resolve(root, f.name);
      // The archive reader refuses `..` and absolute names; this guards the join itself.
      if (!out.startsWith(root + sep))
        throw new Error(`failed to untar: illegal file path ${JSON.stringify(f.name)}`);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, f.data, { mode: 0o644, flag: "wx" });
    }
    renameSync(tmp, dest);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** A downloaded chart: the archive's file name, its bytes, and its .prov when fetched. */
interface Fetched {
  name: string;
  bytes: Uint8Array;
  prov?: Uint8Array;
}

async function fetchFromRepository(opts: PullOptions): Promise<Fetched> {
  const resolved = await resolveRef(opts);
  const name = fileNameOf(resolved.url);
  checkDestination(opts, name);
  const bytes = await httpGet(resolved.url, resolved.http);
  verifyDigest(bytes, resolved);
  const prov = opts.prov || opts.verify ? await httpGet(`${resolved.url}.prov`, resolved.http) : undefined;
  return { name, bytes, prov };
}

async function fetchFromRegistry(opts: PullOptions): Promise<Fetched> {
  const version = opts.version ? opts.version : opts.devel ? ">0.0.0-0" : "";
  let missingProv = "";
  const pull = (withProv: boolean) =>
    pullChartFromRegistry(
      opts.chartRef,
      version,
      {
        plainHttp: opts.plainHttp,
        caFile: opts.caFile,
        certFile: opts.certFile,
        keyFile: opts.keyFile,
        insecureSkipTlsVerify: opts.insecureSkipTlsVerify,
        username: opts.username,
        password: opts.password,
        registryConfig: opts.registryConfig ?? "",
      },
      { withProv, out: opts.stderr ?? (() => {}) },
    );
  let pulled: Awaited<ReturnType<typeof pullChartFromRegistry>>;
  try {
    pulled = await pull(opts.prov === true || opts.verify === true);
  } catch (err) {
    // --prov alone tolerates a chart pushed without provenance, as Helm does.
    if (!opts.prov || opts.verify || !(err as Error).message.includes("provenance")) throw err;
    missingProv = (err as Error).message;
    pulled = await pull(false);
  }
  // Helm fetches the provenance in a second pull, which prints its own `Pulled:` lines.
  if (pulled.prov) opts.stderr?.(pulled.report);
  if (missingProv) opts.stdout?.(`WARNING: Verification not found for ${opts.chartRef}: ${missingProv}\n`);
  checkDestination(opts, pulled.fileName);
  return { name: pulled.fileName, bytes: pulled.archive, prov: pulled.prov };
}

function checkDestination(opts: PullOptions, name: string): void {
  if (opts.untar) return;
  const dest = opts.destination;
  if (!existsSync(dest) || !statSync(dest).isDirectory()) {
    throw new Error(`open ${join(dest, name)}: no such file or directory`);
  }
}

/** `helm pull`: returns nothing; errors are one line naming the chart or URL. */
export async function pullChart(opts: PullOptions): Promise<void> {
  const { name, bytes, prov } = isOci(opts.chartRef)
    ? await fetchFromRegistry(opts)
    : await fetchFromRepository(opts);
  let report = "";
  if (opts.verify) {
    if (!prov) throw new Error(`failed to fetch provenance "${opts.chartRef}.prov"`);
    const verification = await verifyProvenance(
      bytes,
      name,
      Buffer.from(prov).toString("utf8"),
      opts.keyring ?? "",
    );
    report = formatVerification(verification);
  }
  if (opts.untar) {
    const parent = isAbsolute(opts.untarDir) ? opts.untarDir : join(opts.destination, opts.untarDir);
    const checkName = basename(opts.chartRef.replace(/\/+$/, ""));
    untarChart(bytes, parent, checkName);
    if (prov && (opts.prov || opts.verify)) atomicWriteFile(join(parent, `${name}.prov`), prov);
  } else {
    atomicWriteFile(join(opts.destination, name), bytes);
    if (prov && (opts.prov || opts.verify)) atomicWriteFile(join(opts.destination, `${name}.prov`), prov);
  }
  if (report) opts.stdout?.(report);
}
