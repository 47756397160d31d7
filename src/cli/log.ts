/** Warnings and notices on stderr in Helm 4's log format: `level=WARN msg="…"`. */
import { goQuote } from "../chart/engine/fmt.ts";

/** Write one log line to stderr as Helm's slog text handler does. */
export function logToStderr(level: "INFO" | "WARN", message: string): void {
  const msg = /^[A-Za-z0-9_.\-/]+$/.test(message) ? message : goQuote(message);
  process.stderr.write(`level=${level} msg=${msg}\n`);
}
