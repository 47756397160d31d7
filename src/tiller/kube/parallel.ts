/** Bounded concurrency for API calls: many objects at once, without flooding the server. */

/** Default number of requests in flight for one operation. */
export const API_CONCURRENCY = 16;

/** `fn` over every item with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = API_CONCURRENCY,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Consecutive runs of items sharing a key (objects of one kind, in install order). */
export function runsBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const runs: T[][] = [];
  for (const item of items) {
    const last = runs[runs.length - 1];
    if (last && key(last[0]!) === key(item)) last.push(item);
    else runs.push([item]);
  }
  return runs;
}
