/**
 * Storage drivers keep release records. Four small capabilities plus a name, as in Helm; each
 * driver (secret, configmap, memory, sql) is one file and passes the same contract tests.
 */
import type { Release } from "../release/release.ts";

/** Thrown when a record does not exist (Helm: "release: not found"). */
export class ReleaseNotFoundError extends Error {
  constructor(readonly key: string) {
    super("release: not found");
    this.name = "ReleaseNotFoundError";
  }
}

/** Thrown when creating a record that already exists (Helm: "release: already exists"). */
export class ReleaseExistsError extends Error {
  constructor(readonly key: string) {
    super("release: already exists");
    this.name = "ReleaseExistsError";
  }
}

/**
 * A driver that cannot start (e.g. the SQL driver's database is unreachable). Helm reports it as
 * a log line (`level=INFO msg="unable to instantiate SQL driver: …"`) and exits 1.
 */
export class DriverInitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DriverInitError";
  }
}

/** Label filter for {@link Driver.query}: every given label must match. */
export type LabelQuery = Readonly<Record<string, string>>;

export interface Driver {
  /** Driver name as Helm reports it (`Secret`, `ConfigMap`, `Memory`, `SQL`). */
  readonly name: string;
  /** One record by key, or ReleaseNotFoundError. */
  get(key: string): Promise<Release>;
  /** All records in the driver's namespace scope that pass `filter`. */
  list(filter: (rls: Release) => boolean): Promise<Release[]>;
  /** The newest record of each release in scope (what `helm list` shows). */
  latest(): Promise<Release[]>;
  /** Records whose labels match; ReleaseNotFoundError when none do. */
  query(labels: LabelQuery): Promise<Release[]>;
  /** Store a new record; ReleaseExistsError if the key is taken. */
  create(key: string, rls: Release): Promise<void>;
  /** Replace an existing record; ReleaseNotFoundError if missing. */
  update(key: string, rls: Release): Promise<void>;
  /** Remove a record and return it; ReleaseNotFoundError if missing. */
  delete(key: string): Promise<Release>;
}

/** Helm's record key: `sh.helm.release.v1.NAME.vREVISION`. */
export function releaseKey(name: string, revision: number): string {
  return `sh.helm.release.v1.${name}.v${revision}`;
}

/** Labels Helm sets on every record; user labels may not use these names. */
export const SYSTEM_LABELS = ["name", "owner", "status", "version", "createdAt", "modifiedAt"] as const;

/** The labels a record carries: user labels, then Helm's system labels (which win). */
export function recordLabels(rls: Release, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(rls.labels ?? {}),
    ...extra,
    name: rls.name,
    owner: "helm",
    status: rls.info.status,
    version: String(rls.version),
  };
}

/** The newest of each release's records, by namespace and name. */
export function newestOfEach<T>(
  records: readonly T[],
  key: (r: T) => string,
  version: (r: T) => number,
): T[] {
  const newest = new Map<string, T>();
  for (const r of records) {
    const k = key(r);
    const seen = newest.get(k);
    if (!seen || version(seen) < version(r)) newest.set(k, r);
  }
  return [...newest.values()];
}
