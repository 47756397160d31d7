/** The --wait display: a redrawn block on a terminal, sparse log lines otherwise, nothing for quick waits. */
import { afterEach, describe, expect, setSystemTime, test } from "bun:test";
import { waitProgress } from "../../src/cli/wait-progress.ts";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream };
}

const pending = [
  { ref: 'Deployment "web" in namespace "a"', message: "Available: 0/2" },
  { ref: 'StatefulSet "db" in namespace "a"', message: "Ready: 1/3" },
];

afterEach(() => setSystemTime());

describe("waitProgress", () => {
  test("a quick wait shows nothing", () => {
    const { chunks, out } = stream(true);
    const p = waitProgress(out);
    setSystemTime(new Date("2026-01-01T00:00:00Z"));
    p.update(pending, 5);
    setSystemTime(new Date("2026-01-01T00:00:00.500Z"));
    p.update(pending, 5);
    p.done();
    expect(chunks).toEqual([]);
  });

  test("on a terminal the block is redrawn in place and erased at the end", () => {
    const { chunks, out } = stream(true);
    const p = waitProgress(out);
    setSystemTime(new Date("2026-01-01T00:00:00Z"));
    p.update(pending, 5);
    setSystemTime(new Date("2026-01-01T00:00:02Z"));
    p.update(pending, 5);
    setSystemTime(new Date("2026-01-01T00:00:03Z"));
    p.update(pending.slice(1), 5);
    p.done();
    expect(chunks).toEqual([
      'Waiting: 3/5 ready (2s)\n  Deployment "web" in namespace "a": Available: 0/2\n  StatefulSet "db" in namespace "a": Ready: 1/3\n',
      "\x1b[3F\x1b[J",
      'Waiting: 4/5 ready (3s)\n  StatefulSet "db" in namespace "a": Ready: 1/3\n',
      "\x1b[2F\x1b[J",
    ]);
  });

  test("elsewhere a plain log line every 10 seconds, the first after 10 seconds", () => {
    const { out } = stream(false);
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => lines.push(s) > 0) as unknown as typeof process.stderr.write;
    try {
      const p = waitProgress(out);
      for (const sec of [0, 2, 11, 15, 22]) {
        setSystemTime(new Date(Date.UTC(2026, 0, 1, 0, 0, sec)));
        p.update(pending, 5);
      }
    } finally {
      process.stderr.write = write;
    }
    expect(lines).toEqual([
      'level=INFO msg="waiting for resources" ready=3/5 waiting="Deployment \\"web\\" in namespace \\"a\\": Available: 0/2"\n',
      'level=INFO msg="waiting for resources" ready=3/5 waiting="Deployment \\"web\\" in namespace \\"a\\": Available: 0/2"\n',
    ]);
  });
});
