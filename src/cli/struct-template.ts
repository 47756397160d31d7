/** Render a user's `--template` against a Go struct's fields (used by `version --template`). */
export function renderStructTemplate(
  _text: string,
  _goType: string,
  _fields: Record<string, string>,
): string {
  throw new Error("--template needs the template engine, which is not wired in yet");
}
