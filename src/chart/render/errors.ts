/** Template errors worded as Helm 4 prints them. */
import { ExecError, ParseError } from "../engine/index.ts";

/** One error in Helm's words; `fail`/`required` become `execution error at (…)`. */
export function formatRenderError(err: unknown): string {
  if (err instanceof ParseError) return `parse error at (${err.templateName}:${err.line}): ${err.detail}`;
  if (err instanceof ExecError) {
    const location = `${err.parseName}:${err.line}:${err.col}`;
    const user = /error calling (?:fail|required): ([\s\S]*)$/.exec(err.detail);
    if (user) return `execution error at (${location}): ${user[1]}`;
    if (err.detail.startsWith("error calling ")) return err.message;
    return `${location}\n  executing "${err.templateName}" at <${err.context}>:\n    ${err.detail}`;
  }
  return err instanceof Error ? err.message : String(err);
}
