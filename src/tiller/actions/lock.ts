/**
 * One operation at a time per release, across processes and Tiller replicas: a
 * `coordination.k8s.io` Lease per release, renewed while the operation runs and deleted when it
 * ends. A second operation fails at once with a clear error. A Lease that expired without being
 * deleted means its holder died mid-operation: the next operation takes it over and is told so,
 * so it can recover the release that was left pending (Helm would say "another operation is in
 * progress" forever).
 */
import { hostname } from "node:os";
import type { KubeClient } from "../kube/client.ts";
import { KubeApiError } from "../kube/rest.ts";

export interface HeldLock {
  /** True when the previous holder died without releasing (its operation was interrupted). */
  readonly takenOver: boolean;
  release(): Promise<void>;
}

export interface ReleaseLocks {
  acquire(name: string, namespace: string): Promise<HeldLock>;
}

export class ReleaseBusyError extends Error {
  constructor(name: string, holder: string, since: string) {
    super(
      `another operation on release "${name}" is in progress (held by ${holder} since ${since}); try again when it has finished`,
    );
    this.name = "ReleaseBusyError";
  }
}

const LEASE_SECONDS = 30;
const RENEW_MS = 10_000;

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string };
}

/** True when the holder ran on this host as a process that no longer exists. */
function holderGone(holder: string | undefined): boolean {
  const [host, pid] = (holder ?? "").split("/");
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function expired(lease: Lease, now: number): boolean {
  if (holderGone(lease.spec?.holderIdentity)) return true;
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? "");
  const seconds = lease.spec?.leaseDurationSeconds ?? LEASE_SECONDS;
  return !Number.isFinite(renewed) || renewed + seconds * 1000 < now;
}

/** Lease-based locks in the release's namespace. */
export class LeaseLocks implements ReleaseLocks {
  private readonly identity = `${hostname()}/${process.pid}/${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly kube: KubeClient) {}

  private path(namespace: string, name?: string): string {
    const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
    return name ? `${base}/${encodeURIComponent(name)}` : base;
  }

  private lease(leaseName: string, namespace: string, resourceVersion?: string): Lease {
    const now = microTime(new Date());
    return {
      metadata: { name: leaseName, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: LEASE_SECONDS,
        acquireTime: now,
        renewTime: now,
      },
    };
  }

  async acquire(name: string, namespace: string): Promise<HeldLock> {
    const leaseName = `helm-ts.lock.${name}`;
    const rest = this.kube.rest;
    const body = (resourceVersion?: string) => ({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      ...this.lease(leaseName, namespace, resourceVersion),
    });
    const conflict = (err: unknown) =>
      err instanceof KubeApiError && (err.code === 409 || err.reason === "AlreadyExists");
    // Create first: the common case (nobody holds it) costs one request.
    try {
      return this.held(
        await rest.request<Lease>({ method: "POST", path: this.path(namespace), body: body() }),
        false,
      );
    } catch (err) {
      // A user without rights on Leases still gets Helm's guarantee: creating the next
      // revision's record fails for the loser of a race.
      if (err instanceof KubeApiError && err.code === 403)
        return { takenOver: false, release: async () => {} };
      if (!conflict(err)) throw err;
    }
    const current = await rest.request<Lease>({ method: "GET", path: this.path(namespace, leaseName) });
    const busy = () =>
      new ReleaseBusyError(
        name,
        current.spec?.holderIdentity ?? "another client",
        current.spec?.acquireTime ?? "just now",
      );
    if (!expired(current, Date.now())) throw busy();
    try {
      const taken = await rest.request<Lease>({
        method: "PUT",
        path: this.path(namespace, leaseName),
        body: body(current.metadata.resourceVersion),
      });
      return this.held(taken, true);
    } catch (err) {
      // Someone else took the expired lease between our read and write.
      if (conflict(err)) throw busy();
      throw err;
    }
  }

  private held(lease: Lease, takenOver: boolean): HeldLock {
    const rest = this.kube.rest;
    const { name, namespace } = lease.metadata;
    let latest = lease;
    const timer = setInterval(() => {
      const renewed = { ...latest, spec: { ...latest.spec, renewTime: microTime(new Date()) } };
      rest
        .request<Lease>({ method: "PUT", path: this.path(namespace, name), body: renewed })
        .then((l) => {
          latest = l;
        })
        .catch(() => {});
    }, RENEW_MS);
    timer.unref?.();
    return {
      takenOver,
      release: async () => {
        clearInterval(timer);
        try {
          await rest.request({ method: "DELETE", path: this.path(namespace, name) });
        } catch (err) {
          if (!(err instanceof KubeApiError && err.notFound)) throw err;
        }
      },
    };
  }
}

/** In-process locks, for the memory driver. */
export class MemoryLocks implements ReleaseLocks {
  private readonly held = new Set<string>();

  async acquire(name: string, namespace: string): Promise<HeldLock> {
    const key = `${namespace}/${name}`;
    if (this.held.has(key)) throw new ReleaseBusyError(name, "this process", "just now");
    this.held.add(key);
    return {
      takenOver: false,
      release: async () => {
        this.held.delete(key);
      },
    };
  }
}
