/**
 * The template engine's public API: a set of named templates parsed once (each chart file plus
 * the templates it `define`s), a function map (builtins + Sprig + Helm's), and execution with
 * Helm's `include` and `tpl`, bounded in nesting depth and output size.
 */
import { BUILTINS } from "./builtins.ts";
import { type CompiledTemplate, type ExecEnvironment, Execution } from "./exec.ts";
import { type FuncMap, func, type TemplateFunc } from "./funcs/types.ts";
import { position, TemplateSyntaxError } from "./lexer.ts";
import { parse } from "./parser.ts";
import type { GoValue } from "./value.ts";

export { ExecError } from "./exec.ts";
export { TemplateSyntaxError } from "./lexer.ts";

/** A parse error, positioned as Go reports it (`template: NAME:LINE: MESSAGE`). */
export class ParseError extends Error {
  constructor(
    readonly templateName: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`template: ${templateName}:${line}: ${detail}`);
    this.name = "ParseError";
  }
}

/** Helm fails an include chain once one name is included this many times in a single render. */
export const MAX_INCLUDE_DEPTH = 1000;

export interface TemplateSetOptions {
  /** `missingkey=error` (Helm's `--strict` lint): missing map keys are errors. */
  strict?: boolean;
  /** Largest output of one execution, in characters (default 64 MiB). */
  maxOutput?: number;
}

/** Named templates sharing one function map. */
export class TemplateSet {
  private readonly templates = new Map<string, CompiledTemplate>();
  private readonly funcs = new Map<string, TemplateFunc>(BUILTINS);
  private readonly env: ExecEnvironment;
  /** Include counts per template name in the current render (Helm's recursion guard). */
  private readonly includeCounts = new Map<string, number>();
  private current: Execution | undefined;
  private tplCounter = 0;

  constructor(opts: TemplateSetOptions = {}) {
    this.env = {
      lookup: (name) => this.templates.get(name),
      funcs: this.funcs,
      strictMissingKeys: opts.strict ?? false,
      maxOutput: opts.maxOutput ?? 64 * 1024 * 1024,
      // Go allows 100000 nested template calls; a JS stack holds fewer, so the bound is lower.
      maxDepth: 1_500,
    };
    this.funcs.set(
      "include",
      func(["string", "interface {}"], (name, data) => this.include(name as string, data)),
    );
    this.funcs.set(
      "tpl",
      func(["string", "interface {}"], (text, data) => this.tpl(text as string, data)),
    );
  }

  /** Add or replace functions (later additions win, as with Go's Funcs). */
  addFuncs(funcs: FuncMap): this {
    for (const [name, f] of funcs) if (name !== "include" && name !== "tpl") this.funcs.set(name, f);
    return this;
  }

  /**
   * Parse `text` as the template `name`, adding the templates it defines. A later definition of
   * a name replaces an earlier one, as when Helm parses a chart's files in order.
   */
  parse(name: string, text: string): void {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(text, (f) => this.funcs.has(f));
    } catch (err) {
      if (err instanceof TemplateSyntaxError) {
        throw new ParseError(name, position(text, err.pos).line, err.message);
      }
      throw err;
    }
    this.templates.set(name, { name, tree: parsed.root, parseName: name, source: text });
    for (const [defName, tree] of parsed.defines) {
      this.templates.set(defName, { name: defName, tree, parseName: name, source: text });
    }
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  /** Names of all templates, sorted. */
  templateNames(): string[] {
    return [...this.templates.keys()].sort();
  }

  /** Execute the template `name` with `data` as dot; the output as text. */
  execute(name: string, data: GoValue): string {
    const t = this.templates.get(name);
    if (!t) throw new Error(`template: no template "${name}" associated with template "gotpl"`);
    const outer = this.current;
    const exec = new Execution(this.env);
    this.current = exec;
    if (!outer) this.includeCounts.clear();
    try {
      return exec.run(t, data);
    } finally {
      this.current = outer;
    }
  }

  private include(name: string, data: GoValue): string {
    const count = (this.includeCounts.get(name) ?? 0) + 1;
    if (count > MAX_INCLUDE_DEPTH) {
      throw new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
    }
    this.includeCounts.set(name, count);
    try {
      const t = this.templates.get(name);
      if (!t) throw new Error(`template: no template "${name}" associated with template "gotpl"`);
      return this.execute(name, data);
    } finally {
      this.includeCounts.set(name, count - 1);
    }
  }

  private tpl(text: string, data: GoValue): string {
    const name = `\u0000tpl-${++this.tplCounter}`;
    try {
      this.parse(name, text);
    } catch (err) {
      if (err instanceof ParseError) {
        throw new Error(
          `cannot parse template ${JSON.stringify(text)}: template: gotpl:${err.line}: ${err.detail}`,
        );
      }
      throw err;
    }
    try {
      return this.execute(name, data);
    } finally {
      this.templates.delete(name);
    }
  }
}
