/**
 * `helm test`: run the newest revision's `test` hooks (narrowed by `--filter name=…` /
 * `!name=…`), record their last run on the release as Helm does, and optionally collect the
 * test Pods' logs. A failing test fails the command after the record is updated.
 */
import type { Hook, Release } from "../release/release.ts";
import type { ActionContext } from "./context.ts";
import { runHooks } from "./hooks.ts";

export interface TestRequest {
  name: string;
  namespace: string;
  timeoutMs: number;
  /** `name=x` to run only x, `!name=x` to skip x (Helm's --filter). */
  filters?: string[];
  logs?: boolean;
}

export interface TestResult {
  release: Release;
  /** Logs of the test Pods that ran, when asked for. */
  logs: { pod: string; text: string }[];
  /** The test failure, if any (the release is updated either way). */
  error?: Error;
}

/** Which test hooks a filter list selects. */
export function testFilter(filters: string[] = []): (h: Hook) => boolean {
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const f of filters.flatMap((x) => x.split(",")).filter(Boolean)) {
    const negate = f.startsWith("!");
    const [attr, value] = (negate ? f.slice(1) : f).split("=", 2);
    if (attr !== "name" || value === undefined) continue;
    (negate ? exclude : include).add(value);
  }
  return (h) => (include.size === 0 || include.has(h.name)) && !exclude.has(h.name);
}

export async function runTests(ctx: ActionContext, req: TestRequest): Promise<TestResult> {
  const rls = await ctx.storage.last(req.name);
  const only = testFilter(req.filters);
  let error: Error | undefined;
  try {
    await runHooks(ctx, rls, "test", req.timeoutMs, only);
  } catch (err) {
    error = err as Error;
  }
  await ctx.storage.update(rls);
  const logs: TestResult["logs"] = [];
  if (req.logs) {
    for (const h of rls.hooks ?? []) {
      if (!h.events.includes("test") || !only(h) || h.kind !== "Pod" || !h.last_run.started_at) continue;
      logs.push({ pod: h.name, text: await ctx.kube.podLogs(rls.namespace, h.name) });
    }
  }
  return { release: rls, logs, error };
}
