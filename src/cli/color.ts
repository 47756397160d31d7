/** Whether output gets colour: the `--color` mode (NO_COLOR already folded into it by the settings). */
import type { EnvSettings } from "./settings.ts";

/** `always`; `never`; `auto` = only when the stream is a terminal that can show colour. */
export function colorEnabled(
  mode: EnvSettings["color"],
  stream: { isTTY?: boolean } = process.stdout,
): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  return stream.isTTY === true && process.env.TERM !== "dumb";
}
