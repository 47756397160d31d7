/** Template errors worded as Helm 4 prints them. */
import { ExecError, ParseError } from "../engine/index.ts";

/** One error in Helm's words; `fail`/`required` become `execution error at (…)`. */
export function formatRenderError(err: unknown): string {
  if (err instanceof ParseError) return `parse error at (${err.templateName}:${err.line}): ${err.detail}`;
  if (err instanceof ExecError) {
    const location = `${err.parseName}:${err.line}:${err.col}`;
    const user = /error calling (?:fail|required): ([\s\S]*)$/.exec(err.detail);
    if (user) return `execution error at (${location}): ${user[1]}`;
    // A template named by `include` that does not exist: Helm puts the inner error on its own line.
    const include = /^(error calling include:) (template: no template [\s\S]*)$/.exec(err.detail);
    if (include)
      return `${location}\n  executing "${err.templateName}" at <${err.context}>:\n    ${include[1]}\n${include[2]}`;
    if (err.detail.startsWith("error calling ")) return err.message;
    return `${location}\n  executing "${err.templateName}" at <${err.context}>:\n    ${err.detail}`;
  }
  return err instanceof Error ? err.message : String(err);
}
