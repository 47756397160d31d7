/** Render a user's `--template` against a Go struct's fields (as `helm version --template` does). */
import { TemplateSet } from "../chart/engine/index.ts";
import { GoStruct } from "../chart/engine/value.ts";

class FieldStruct extends GoStruct {
  constructor(
    readonly goType: string,
    fields: Record<string, string>,
  ) {
    super();
    Object.assign(this, fields);
  }
}

/** Execute `text` (Go template syntax, no extra functions) with the struct as dot; template name `_`. */
export function renderStructTemplate(text: string, goType: string, fields: Record<string, string>): string {
  const set = new TemplateSet();
  set.parse("_", text);
  return set.execute("_", new FieldStruct(goType, fields));
}
