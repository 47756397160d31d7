/**
 * The objects Helm gives every template besides `.Values`: `.Release`, `.Chart`, `.Template`
 * (plain maps in Helm 4) and `.Capabilities` (a struct). `.Files` lives in files.ts.
 */
import { type GoMap, GoStruct, type GoValue, newGoMap, typedList, withMethods } from "../engine/value.ts";

/** API versions Helm assumes when it renders without a cluster (`helm template`), as Helm v4.1.4 lists them. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  "v1",
  "admissionregistration.k8s.io/v1",
  "admissionregistration.k8s.io/v1alpha1",
  "admissionregistration.k8s.io/v1beta1",
  "internal.apiserver.k8s.io/v1alpha1",
  "apps/v1",
  "apps/v1beta1",
  "apps/v1beta2",
  "authentication.k8s.io/v1",
  "authentication.k8s.io/v1alpha1",
  "authentication.k8s.io/v1beta1",
  "authorization.k8s.io/v1",
  "authorization.k8s.io/v1beta1",
  "autoscaling/v1",
  "autoscaling/v2",
  "autoscaling/v2beta1",
  "autoscaling/v2beta2",
  "batch/v1",
  "batch/v1beta1",
  "certificates.k8s.io/v1",
  "certificates.k8s.io/v1beta1",
  "certificates.k8s.io/v1alpha1",
  "coordination.k8s.io/v1alpha2",
  "coordination.k8s.io/v1beta1",
  "coordination.k8s.io/v1",
  "discovery.k8s.io/v1",
  "discovery.k8s.io/v1beta1",
  "events.k8s.io/v1",
  "events.k8s.io/v1beta1",
  "extensions/v1beta1",
  "flowcontrol.apiserver.k8s.io/v1",
  "flowcontrol.apiserver.k8s.io/v1beta1",
  "flowcontrol.apiserver.k8s.io/v1beta2",
  "flowcontrol.apiserver.k8s.io/v1beta3",
  "networking.k8s.io/v1",
  "networking.k8s.io/v1beta1",
  "node.k8s.io/v1",
  "node.k8s.io/v1alpha1",
  "node.k8s.io/v1beta1",
  "policy/v1",
  "policy/v1beta1",
  "rbac.authorization.k8s.io/v1",
  "rbac.authorization.k8s.io/v1beta1",
  "rbac.authorization.k8s.io/v1alpha1",
  "resource.k8s.io/v1",
  "resource.k8s.io/v1beta2",
  "resource.k8s.io/v1beta1",
  "resource.k8s.io/v1alpha3",
  "scheduling.k8s.io/v1alpha1",
  "scheduling.k8s.io/v1beta1",
  "scheduling.k8s.io/v1",
  "storage.k8s.io/v1beta1",
  "storage.k8s.io/v1",
  "storage.k8s.io/v1alpha1",
  "storagemigration.k8s.io/v1beta1",
  "apiextensions.k8s.io/v1beta1",
  "apiextensions.k8s.io/v1",
];

/** Kubernetes version Helm assumes without a cluster (Helm v4.1.4's client library version). */
export const DEFAULT_KUBE_VERSION = "v1.35.0";

/** `.Capabilities.KubeVersion`: the version as given, its normalised form, major and minor. */
export class KubeVersion extends GoStruct {
  readonly goType = "common.KubeVersion";
  override readonly goMethods: ReadonlySet<string> = new Set(["String", "GitVersion"]);
  readonly Version: string;
  readonly normalizedVersion: string;
  readonly Major: string;
  readonly Minor: string;

  constructor(version: string, normalized: string, major: string, minor: string) {
    super();
    this.Version = version;
    this.normalizedVersion = normalized;
    this.Major = major;
    this.Minor = minor;
  }

  String(): string {
    return this.normalizedVersion;
  }

  /** Deprecated alias of String, kept by Helm for old charts. */
  GitVersion(): string {
    return this.normalizedVersion;
  }
}

/**
 * Parse a Kubernetes version as `--kube-version` accepts it (`1.29`, `v1.29.3`, `1.29.3-gke.1`).
 * The normalised form keeps what was given of major.minor[.patch] and drops pre-release/build parts.
 */
export function parseKubeVersion(input: string): KubeVersion {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+][0-9A-Za-z.+-]*)?$/.exec(input.trim());
  if (!m) throw new Error(`invalid kube version '${input}': could not parse "${input}" as version`);
  const [, major, minor = "0", patch] = m;
  const normalized = `v${major}.${minor}${patch === undefined ? "" : `.${patch}`}`;
  const version = input.startsWith("v") ? input : `v${input}`;
  return new KubeVersion(version, normalized, major!, minor);
}

/** Helm's build information as `.Capabilities.HelmVersion` shows it. */
export class HelmVersionInfo extends GoStruct {
  readonly goType = "version.BuildInfo";
  constructor(
    readonly Version: string,
    readonly GitCommit: string,
    readonly GitTreeState: string,
    readonly GoVersion: string,
    readonly KubeClientVersion: string,
  ) {
    super();
  }
}

/** `.Capabilities`. */
export class Capabilities extends GoStruct {
  readonly goType = "*common.Capabilities";
  constructor(
    readonly KubeVersion: KubeVersion,
    readonly APIVersions: GoValue[],
    readonly HelmVersion: HelmVersionInfo,
  ) {
    super();
  }
}

/** A `common.VersionSet`: the API versions, with `Has`. */
export function versionSet(versions: readonly string[]): GoValue[] {
  const list = typedList([...versions], "string");
  return withMethods(list, {
    goType: "common.VersionSet",
    methods: { Has: (v) => typeof v === "string" && versions.includes(v) },
  });
}

export interface CapabilitiesInput {
  kubeVersion?: string;
  /** Extra API versions (`--api-versions`), added to the defaults or to what the cluster serves. */
  extraApiVersions?: readonly string[];
  /** API versions discovered from a live cluster; the built-in list when absent. */
  apiVersions?: readonly string[];
  helm: HelmBuildInfo;
}

/** What `.Capabilities.HelmVersion` reports about the running binary. */
export interface HelmBuildInfo {
  version: string;
  gitCommit: string;
  gitTreeState: string;
  goVersion: string;
  kubeClientVersion: string;
}

/** Build `.Capabilities` for a render. */
export function capabilities(input: CapabilitiesInput): Capabilities {
  const base = input.apiVersions ?? DEFAULT_API_VERSIONS;
  const versions = [...base, ...(input.extraApiVersions ?? []).filter((v) => !base.includes(v))];
  const h = input.helm;
  return new Capabilities(
    parseKubeVersion(input.kubeVersion ?? DEFAULT_KUBE_VERSION),
    versionSet(versions),
    new HelmVersionInfo(h.version, h.gitCommit, h.gitTreeState, h.goVersion, h.kubeClientVersion),
  );
}

/** What `.Release` holds. */
export interface ReleaseInput {
  name: string;
  namespace: string;
  revision: number;
  isInstall: boolean;
  isUpgrade: boolean;
}

/** `.Release`: a map in Helm 4 (missing keys read as nil, not errors). */
export function releaseObject(r: ReleaseInput): GoMap {
  const m = newGoMap();
  m.IsInstall = r.isInstall;
  m.IsUpgrade = r.isUpgrade;
  m.Name = r.name;
  m.Namespace = r.namespace;
  m.Revision = BigInt(r.revision);
  m.Service = "Helm";
  return m;
}

/** `.Template`: the current template's name and its directory. */
export function templateObject(name: string, basePath: string): GoMap {
  const m = newGoMap();
  m.BasePath = basePath;
  m.Name = name;
  return m;
}
