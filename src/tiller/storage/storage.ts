/**
 * Release history on top of a driver: the queries release actions need (history, last, deployed)
 * and pruning to `--history-max`, with Helm's semantics.
 */
import type { Release } from "../release/release.ts";
import { type Driver, ReleaseNotFoundError, releaseKey } from "./driver.ts";

export class Storage {
  constructor(
    readonly driver: Driver,
    /** Revisions kept per release; 0 means unlimited (Helm's --history-max). */
    readonly maxHistory = 0,
  ) {}

  get(name: string, revision: number): Promise<Release> {
    return this.driver.get(releaseKey(name, revision));
  }

  create(rls: Release): Promise<void> {
    return this.driver.create(releaseKey(rls.name, rls.version), rls);
  }

  update(rls: Release): Promise<void> {
    return this.driver.update(releaseKey(rls.name, rls.version), rls);
  }

  delete(name: string, revision: number): Promise<Release> {
    return this.driver.delete(releaseKey(name, revision));
  }

  /** Every revision of a release, oldest first; empty when there is none. */
  async history(name: string): Promise<Release[]> {
    try {
      const all = await this.driver.query({ name, owner: "helm" });
      return all.sort((a, b) => a.version - b.version);
    } catch (err) {
      if (err instanceof ReleaseNotFoundError) return [];
      throw err;
    }
  }

  /** The newest revision, or ReleaseNotFoundError. */
  async last(name: string): Promise<Release> {
    const h = await this.history(name);
    const newest = h[h.length - 1];
    if (!newest) throw new ReleaseNotFoundError(name);
    return newest;
  }

  /** The newest deployed revision, or an error worded as Helm's. */
  async deployed(name: string): Promise<Release> {
    const h = await this.history(name);
    const deployed = h.filter((r) => r.info.status === "deployed");
    const newest = deployed[deployed.length - 1];
    if (!newest) throw new Error(`"${name}" has no deployed releases`);
    return newest;
  }

  /** Delete the oldest revisions beyond maxHistory (the store's unless given), never the newest deployed one. */
  async prune(name: string, maxHistory = this.maxHistory): Promise<Release[]> {
    if (maxHistory <= 0) return [];
    const h = await this.history(name);
    const excess = h.length - maxHistory;
    if (excess <= 0) return [];
    const lastDeployed = [...h].reverse().find((r) => r.info.status === "deployed");
    const removed: Release[] = [];
    for (const rls of h) {
      if (removed.length >= excess) break;
      if (rls === lastDeployed) continue;
      removed.push(await this.delete(rls.name, rls.version));
    }
    return removed;
  }
}
