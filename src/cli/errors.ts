/** Errors a command reports to the user: one line after `Error: `, and an exit status. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Extra lines printed after the message (e.g. a usage line), as Helm does for argument errors. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** An exit status that is an answer, not an error (`diff --detailed-exitcode`): nothing is printed. */
export class ExitStatus extends Error {
  constructor(readonly exitCode: number) {
    super(`exit status ${exitCode}`);
    this.name = "ExitStatus";
  }
}
