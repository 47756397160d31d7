/**
 * Colour on the terminal as Helm 4 decides it: `--color`/`--colour never|auto|always` (default
 * `$HELM_COLOR`, then auto), and a non-empty `NO_COLOR` turns colour off whatever else says.
 * Auto means colour when the stream is a terminal and `TERM` is not `dumb`. The escape sequences are
 * those Helm's colour library writes (`ESC[32m…ESC[0m`, bold `ESC[1m…ESC[22m`), so output matches
 * Helm's byte for byte.
 */
import { UserError } from "./errors.ts";

export type ColorMode = "never" | "auto" | "always";

const MODES: readonly ColorMode[] = ["never", "auto", "always"];

let chosenMode: ColorMode | undefined;

/** Thrown for a bad `--color` value; Helm reports it as a `command failed` log line, not `Error:`. */
export class ColorModeError extends UserError {}

/** Parse a `--color` value (Helm's message on a bad one). */
export function parseColorMode(value: string): ColorMode {
  if ((MODES as readonly string[]).includes(value)) return value as ColorMode;
  throw new ColorModeError(`invalid color mode "${value}": must be one of: never, auto, always`);
}

/** `$HELM_COLOR` as Helm reads it: an unknown value means auto. */
export function envColorMode(env: NodeJS.ProcessEnv = process.env): ColorMode {
  const v = env.HELM_COLOR ?? "";
  return (MODES as readonly string[]).includes(v) ? (v as ColorMode) : "auto";
}

/** Set the mode chosen by the global flags (called once the command line is parsed). */
export function setColorMode(mode: ColorMode | undefined): void {
  chosenMode = mode;
}

/** Whether to colour what is written to `stream` (stdout by default). */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR) return false;
  const mode = chosenMode ?? envColorMode();
  if (mode !== "auto") return mode === "always";
  return stream.isTTY === true && process.env.TERM !== "dumb";
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const green = sgr(32, 0);
const red = sgr(31, 0);
const yellow = sgr(33, 0);
const cyan = sgr(36, 0);
const bold = sgr(1, 22);

/** A release status as Helm colours it: deployed green, failed/unknown red, in-progress yellow. */
export function colorStatus(status: string, on = colorEnabled()): string {
  if (!on) return status;
  switch (status) {
    case "deployed":
      return green(status);
    case "failed":
    case "unknown":
      return red(status);
    case "pending-install":
    case "pending-upgrade":
    case "pending-rollback":
    case "uninstalling":
      return yellow(status);
    default:
      return status;
  }
}

/** A namespace as Helm shows it (cyan). */
export function colorNamespace(namespace: string, on = colorEnabled()): string {
  return on ? cyan(namespace) : namespace;
}

/** A table header cell as Helm shows it (bold). */
export function colorHeader(header: string, on = colorEnabled()): string {
  return on ? bold(header) : header;
}
