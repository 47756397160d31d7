/** Warnings and notices on stderr in Helm 4's log format: `level=WARN msg="…"`. */
import { goQuote } from "../chart/engine/fmt.ts";

function slogValue(v: string): string {
  return /^[A-Za-z0-9_.\-/]+$/.test(v) ? v : goQuote(v);
}

/** Write one log line to stderr as Helm's slog text handler does (`level=… msg=… key=value…`). */
export function logToStderr(
  level: "INFO" | "WARN" | "ERROR",
  message: string,
  attrs: [string, string][] = [],
): void {
  const extra = attrs.map(([k, v]) => ` ${k}=${slogValue(v)}`).join("");
  process.stderr.write(`level=${level} msg=${slogValue(message)}${extra}\n`);
}
