/**
 * Work to do when the command line has run, whatever its outcome: resources that would keep the
 * process alive (a gRPC channel, a port-forward listener) are closed here.
 */
const hooks: (() => void)[] = [];

/** Run `close` once the current command has finished. */
export function atCommandEnd(close: () => void): void {
  hooks.push(close);
}

/** Run (and forget) every registered hook; a failing hook does not stop the others. */
export function runCommandEndHooks(): void {
  for (const close of hooks.splice(0)) {
    try {
      close();
    } catch {
      // Closing is best effort: the command's own result is what the user needs.
    }
  }
}
