/**
 * What the user sees while `--wait` waits: on a terminal, a live block (how many objects are
 * ready, and the first few that are not, with why) redrawn in place and erased at the end; in logs
 * and CI, a plain line every 10 seconds (the first after 10 s). Quick waits show nothing.
 */
import type { WaitProgress } from "../tiller/kube/resource-client.ts";
import { logToStderr } from "./log.ts";

const SHOW_AFTER_MS = 1000;
const LOG_EVERY_MS = 10_000;
const MAX_LINES = 5;

export function waitProgress(out: NodeJS.WriteStream = process.stderr): WaitProgress {
  let started = 0;
  let drawn = 0;
  let lastLog = 0;
  const erase = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[J`);
    drawn = 0;
  };
  return {
    update(pending, total) {
      const now = Date.now();
      started ||= now;
      const ready = total - pending.length;
      if (!out.isTTY) {
        if (now - (lastLog || started) < LOG_EVERY_MS) return;
        lastLog = now;
        const first = pending[0];
        logToStderr("INFO", "waiting for resources", [
          ["ready", `${ready}/${total}`],
          ...(first ? ([["waiting", `${first.ref}: ${first.message}`]] as [string, string][]) : []),
        ]);
        return;
      }
      if (now - started < SHOW_AFTER_MS) return;
      erase();
      const lines = [`Waiting: ${ready}/${total} ready (${Math.round((now - started) / 1000)}s)`];
      for (const p of pending.slice(0, MAX_LINES)) lines.push(`  ${p.ref}: ${p.message}`);
      if (pending.length > MAX_LINES) lines.push(`  … and ${pending.length - MAX_LINES} more`);
      out.write(`${lines.join("\n")}\n`);
      drawn = lines.length;
    },
    done() {
      if (out.isTTY) erase();
      started = 0;
      lastLog = 0;
    },
  };
}
