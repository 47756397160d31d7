/** The `memory` driver: records in a Map, per namespace (HELM_DRIVER=memory; also used by unit tests). */
import type { Release } from "../release/release.ts";
import {
  type Driver,
  type LabelQuery,
  newestOfEach,
  ReleaseExistsError,
  ReleaseNotFoundError,
  recordLabels,
} from "./driver.ts";

interface Entry {
  release: Release;
  labels: Record<string, string>;
}

/** Shared backing store, so several drivers (one per namespace) see the same records. */
export class MemoryStore {
  readonly entries = new Map<string, Entry>();
}

export class MemoryDriver implements Driver {
  readonly name = "Memory";

  /** `namespace` empty means all namespaces (as with `--all-namespaces`). */
  constructor(
    private readonly store: MemoryStore = new MemoryStore(),
    private readonly namespace = "",
  ) {}

  private id(key: string, namespace = this.namespace): string {
    return `${namespace}/${key}`;
  }

  private inScope(rls: Release): boolean {
    return this.namespace === "" || rls.namespace === this.namespace;
  }

  async get(key: string): Promise<Release> {
    const entry = this.store.entries.get(this.id(key));
    if (!entry) throw new ReleaseNotFoundError(key);
    return structuredClone(entry.release);
  }

  async list(filter: (rls: Release) => boolean): Promise<Release[]> {
    return [...this.store.entries.values()]
      .map((e) => e.release)
      .filter((r) => this.inScope(r) && filter(r))
      .map((r) => structuredClone(r));
  }

  async latest(): Promise<Release[]> {
    return newestOfEach(
      await this.list(() => true),
      (r) => `${r.namespace}/${r.name}`,
      (r) => r.version,
    );
  }

  async query(labels: LabelQuery): Promise<Release[]> {
    const found = [...this.store.entries.values()]
      .filter((e) => this.inScope(e.release) && Object.entries(labels).every(([k, v]) => e.labels[k] === v))
      .map((e) => structuredClone(e.release));
    if (found.length === 0) throw new ReleaseNotFoundError(JSON.stringify(labels));
    return found;
  }

  async create(key: string, rls: Release): Promise<void> {
    const id = this.id(key, rls.namespace);
    if (this.store.entries.has(id)) throw new ReleaseExistsError(key);
    this.store.entries.set(id, { release: structuredClone(rls), labels: recordLabels(rls) });
  }

  async update(key: string, rls: Release): Promise<void> {
    const id = this.id(key, rls.namespace);
    if (!this.store.entries.has(id)) throw new ReleaseNotFoundError(key);
    this.store.entries.set(id, { release: structuredClone(rls), labels: recordLabels(rls) });
  }

  async delete(key: string): Promise<Release> {
    const id = this.id(key);
    const entry = this.store.entries.get(id);
    if (!entry) throw new ReleaseNotFoundError(key);
    this.store.entries.delete(id);
    return entry.release;
  }
}
