/**
 * A spinner on stderr while something is downloaded (pull, repo update, dependency update). Only
 * on a terminal, never with --debug or in CI; stdout's bytes never change. While it spins, any
 * other write to stdout or stderr first erases its line, so messages are never mixed into it.
 */
import { clearInterval, setInterval } from "node:timers";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;

export interface SpinnerOptions {
  stream?: NodeJS.WriteStream;
  debug?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Whether a spinner may be drawn on `stream`. */
export function spinnerAllowed(opts: SpinnerOptions = {}): boolean {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  return stream.isTTY === true && !opts.debug && !env.CI && env.TERM !== "dumb";
}

/** Run `work` with a spinner labelled `label` (when allowed), erased when the work ends. */
export async function withSpinner<T>(
  label: string,
  work: () => Promise<T>,
  opts: SpinnerOptions = {},
): Promise<T> {
  if (!spinnerAllowed(opts)) return work();
  const out = opts.stream ?? process.stderr;
  const write = out.write.bind(out);
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  let frame = 0;
  let drawn = false;
  const erase = () => {
    if (drawn) write("\r\x1b[K");
    drawn = false;
  };
  const draw = () => {
    write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}\x1b[K`);
    drawn = true;
  };
  streams.forEach((s, i) => {
    s.write = ((...args: Parameters<typeof s.write>) => {
      erase();
      return originals[i]!.apply(s, args);
    }) as typeof s.write;
  });
  const timer = setInterval(draw, FRAME_MS);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    streams.forEach((s, i) => {
      s.write = originals[i]!;
    });
    erase();
  }
}
