/**
 * The linter's record of findings, as Helm's lint support package keeps it: each rule that fails
 * adds a message with a severity and the path it concerns; the highest severity seen is kept.
 */

/** Finding severities, in Helm's order. */
export enum Severity {
  Unknown = 0,
  Info = 1,
  Warning = 2,
  Error = 3,
}

const SEVERITY_NAMES = ["UNKNOWN", "INFO", "WARNING", "ERROR"] as const;

/** One finding: printed as `[SEVERITY] path: message`. */
export interface LintMessage {
  severity: Severity;
  path: string;
  message: string;
  /** A helm-ts finding beyond Helm's rules: shown, but never fails the chart (not even with --strict). */
  advisory?: boolean;
}

/** `[ERROR] templates/: message` — Helm's wording of a finding. */
export function formatLintMessage(m: LintMessage): string {
  return `[${SEVERITY_NAMES[m.severity]}] ${m.path}: ${m.message}`;
}

/** The findings of linting one chart directory. */
export class Linter {
  readonly messages: LintMessage[] = [];
  highestSeverity: Severity = Severity.Unknown;

  /** `chartDir` is absolute: some findings name it. */
  constructor(readonly chartDir: string) {}

  /** Record `problem` (when not null) at `severity`; true when the rule passed. */
  check(severity: Severity, path: string, problem: string | null): boolean {
    if (problem === null) return true;
    this.messages.push({ severity, path, message: problem });
    if (severity > this.highestSeverity) this.highestSeverity = severity;
    return false;
  }

  /** Record an advisory warning (see {@link LintMessage.advisory}). */
  advise(path: string, message: string): void {
    this.messages.push({ severity: Severity.Warning, path, message, advisory: true });
  }
}
