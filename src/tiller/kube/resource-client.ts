/**
 * The cluster operations release actions use, on a real API server: server-side apply in order,
 * get, delete with a propagation policy, and waiting (polling) until objects are ready or gone.
 * Waits report progress through a callback so commands can show what is still pending.
 */
import type { ApplyMode, Resource, ResourceClient } from "../actions/context.ts";
import { describeRef, type KubeClient, type KubeObject, type ObjectRef } from "./client.ts";
import { UnknownKindError } from "./discovery.ts";
import { mapLimit, runsBy } from "./parallel.ts";
import { type ReadinessOptions, readinessOf } from "./readiness.ts";
import { KubeApiError } from "./rest.ts";

/** Helm 4's server-side apply field manager. */
export const FIELD_MANAGER = "helm";

/** Polls start fast (most objects settle at once) and back off to half a second. */
function pollDelay(round: number): number {
  return Math.min(500, 50 * 2 ** round);
}

/** Where waits report: what is not ready yet and why, out of how many; and when the wait ends. */
export interface WaitProgress {
  update(pending: { ref: string; message: string }[], total: number): void;
  done(): void;
}

const SILENT: WaitProgress = { update() {}, done() {} };

function refOf(object: Resource["object"], namespace: string, namespaced: boolean): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: String(object.metadata.name),
    namespace: namespaced ? object.metadata.namespace || namespace : undefined,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class KubeResourceClient implements ResourceClient {
  /** Objects this client saw removed outright (no finalizers): nothing to wait for. */
  private readonly removed = new WeakSet<Resource>();

  constructor(
    readonly kube: KubeClient,
    private readonly progress: WaitProgress = SILENT,
  ) {}

  get namespace(): string {
    return this.kube.namespace;
  }

  private async ref(object: Resource["object"]): Promise<ObjectRef> {
    const mapping = await this.kube.discovery.mapping(object.apiVersion, object.kind);
    return refOf(object, this.kube.namespace, mapping.namespaced);
  }

  /** Apply in install order: one kind after another, the objects of a kind concurrently. */
  async apply(resources: readonly Resource[], opts: ApplyMode): Promise<void> {
    const write = { fieldManager: FIELD_MANAGER, force: opts.force, dryRun: opts.dryRun };
    for (const run of runsBy(resources, (r) => r.object.kind)) {
      await mapLimit(run, (r) =>
        opts.replace
          ? this.kube.replace(r.object as KubeObject, write)
          : this.kube.apply(r.object as KubeObject, write),
      );
    }
  }

  /**
   * What applying the object would store (server-side apply, dry run); undefined when the server
   * cannot say: its kind is not installed yet or its namespace does not exist. Without `force`, a
   * conflict with another field manager is retried forced and reported rather than thrown.
   */
  async dryRunApply(
    object: Resource["object"],
    force: boolean,
  ): Promise<{ object: KubeObject; conflict?: string } | undefined> {
    const attempt = (forced: boolean) =>
      this.kube.apply(object as KubeObject, { fieldManager: FIELD_MANAGER, force: forced, dryRun: true });
    try {
      return { object: await attempt(force) };
    } catch (err) {
      if (err instanceof UnknownKindError || (err instanceof KubeApiError && err.notFound)) return undefined;
      if (!force && err instanceof KubeApiError && err.code === 409) {
        return { object: await attempt(true), conflict: err.message };
      }
      throw err;
    }
  }

  /** The live object; undefined when it or its kind does not exist (a CRD not installed yet). */
  async get(object: Resource["object"]): Promise<Resource["object"] | undefined> {
    let ref: ObjectRef;
    try {
      ref = await this.ref(object);
    } catch (err) {
      if (err instanceof UnknownKindError) return undefined;
      throw err;
    }
    return this.kube.get(ref);
  }

  async delete(
    resources: readonly Resource[],
    policy: "Background" | "Foreground" | "Orphan",
  ): Promise<Resource[]> {
    const existed: Resource[] = [];
    for (const run of runsBy(resources, (r) => r.object.kind)) {
      const gone = await mapLimit(run, async (r) => {
        let ref: ObjectRef;
        try {
          ref = await this.ref(r.object);
        } catch (err) {
          if (err instanceof UnknownKindError) return false; // its CRD is gone: nothing left to delete
          throw err;
        }
        const outcome = await this.kube.deleteObject(ref, policy);
        if (outcome === "gone") this.removed.add(r);
        return outcome !== "absent";
      });
      run.forEach((r, i) => {
        if (gone[i]) existed.push(r);
      });
    }
    return existed;
  }

  async waitReady(
    resources: readonly Resource[],
    opts: ReadinessOptions & { timeoutMs: number },
  ): Promise<void> {
    try {
      await this.pollReady(resources, opts);
    } finally {
      this.progress.done();
    }
  }

  private async pollReady(
    resources: readonly Resource[],
    opts: ReadinessOptions & { timeoutMs: number },
  ): Promise<void> {
    const deadline = Date.now() + opts.timeoutMs;
    let pending = [...resources];
    for (let round = 0; ; round++) {
      const states = await mapLimit(pending, async (r) => {
        const ref = await this.ref(r.object);
        const live = await this.kube.get(ref);
        return { r, ref: describeRef(ref), state: live ? readinessOf(live, opts) : undefined };
      });
      const still: { r: Resource; ref: string; message: string }[] = [];
      for (const { r, ref, state } of states) {
        if (!state) still.push({ r, ref, message: "not found" });
        else if (state.status === "Failed") throw new Error(`${ref} failed: ${state.message}`);
        else if (state.status !== "Current") still.push({ r, ref, message: state.message });
      }
      if (still.length === 0) return;
      this.progress.update(
        still.map(({ ref, message }) => ({ ref, message })),
        resources.length,
      );
      if (Date.now() >= deadline) {
        const first = still[0]!;
        const more = still.length > 1 ? ` (and ${still.length - 1} more)` : "";
        throw new Error(
          `timed out waiting for the condition: ${first.ref} not ready: ${first.message}${more}`,
        );
      }
      pending = still.map((s) => s.r);
      await sleep(Math.min(pollDelay(round), Math.max(0, deadline - Date.now())));
    }
  }

  async podLogs(namespace: string, name: string): Promise<string> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace || this.namespace)}/pods/${encodeURIComponent(name)}/log`;
    return this.kube.rest.requestText({ method: "GET", path });
  }

  async waitDeleted(resources: readonly Resource[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await mapLimit(
      resources.filter((r) => !this.removed.has(r)),
      async (r) => {
        const ref = await this.ref(r.object);
        for (let round = 0; await this.kube.get(ref); round++) {
          if (Date.now() >= deadline)
            throw new Error(`timed out waiting for ${describeRef(ref)} to be deleted`);
          await sleep(pollDelay(round));
        }
      },
    );
  }
}
