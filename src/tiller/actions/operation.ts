/**
 * The start and end of every write operation on a release: take the release's lock, read its
 * history, and recover a revision a crashed operation left `pending-*` (marked failed, with a
 * message saying so) instead of refusing forever as Helm does.
 */
import { isPending, type Release } from "../release/release.ts";
import type { ActionContext } from "./context.ts";
import type { HeldLock } from "./lock.ts";

/** A pending record older than this, with no live lock, is taken as abandoned (e.g. by real Helm). */
const ABANDONED_AFTER_MS = 15 * 60 * 1000;

export interface Operation {
  /** Every revision, oldest first (a recovered pending one now failed). */
  history: Release[];
  lock: HeldLock;
}

/** Lock the release and read its history; the caller must `finish` it. */
export async function beginOperation(
  ctx: ActionContext,
  name: string,
  namespace: string,
): Promise<Operation> {
  const lock = await ctx.locks.acquire(name, namespace);
  try {
    const history = await ctx.storage.history(name);
    const newest = history[history.length - 1];
    if (newest && isPending(newest.info.status)) {
      const since = Date.parse(newest.info.last_deployed ?? "");
      const abandoned = !Number.isFinite(since) || ctx.now().getTime() - since > ABANDONED_AFTER_MS;
      if (!lock.takenOver && !abandoned) {
        throw new Error("another operation (install/upgrade/rollback) is in progress");
      }
      const was = newest.info.status;
      newest.info.status = "failed";
      newest.info.description = `${was} interrupted: the operation stopped before finishing (recovered by helm-ts)`;
      await ctx.storage.update(newest);
      ctx.log(
        `release "${name}" revision ${newest.version} was left ${was} by an interrupted operation; marked failed`,
      );
    }
    return { history, lock };
  } catch (err) {
    await lock.release();
    throw err;
  }
}

/** Run `fn` inside an operation on the release; the lock is released however it ends. */
export async function withOperation<T>(
  ctx: ActionContext,
  name: string,
  namespace: string,
  fn: (history: Release[]) => Promise<T>,
): Promise<T> {
  const op = await beginOperation(ctx, name, namespace);
  try {
    return await fn(op.history);
  } finally {
    await op.lock.release();
  }
}
