/**
 * The template engine's public API: a set of named templates parsed once (each chart file plus the
 * templates it `define`s), a function map (text/template's builtins, then Sprig and Helm's), and
 * execution with Helm's `include` and `tpl`, bounded in nesting depth and output size.
 */
import { isEmptyTree, type ListNode } from "./ast.ts";
import { BUILTINS } from "./builtins.ts";
import {
  type CompiledTemplate,
  type ExecEnvironment,
  ExecError,
  Execution,
  MAX_EXEC_DEPTH,
  type TemplateScope,
  type Val,
} from "./exec.ts";
import { type FuncMap, func, type TemplateFunc } from "./funcs/types.ts";
import { TemplateSyntaxError } from "./lexer.ts";
import { parse, type TreeSet } from "./parser.ts";
import { goQuote } from "./quote.ts";
import type { GoValue } from "./value.ts";

export { ExecError, lineAndColumn } from "./exec.ts";
export { TemplateSyntaxError } from "./lexer.ts";

/** A parse error, as Go reports it: `template: NAME:LINE: MESSAGE`. */
export class ParseError extends Error {
  constructor(
    /** The name the text was parsed as (a chart file path, or `gotpl` for `tpl`). */
    readonly templateName: string,
    readonly line: number,
    /** Go's message, e.g. `function "x" not defined`. */
    readonly detail: string,
  ) {
    super(`template: ${templateName}:${line}: ${detail}`);
    this.name = "ParseError";
  }
}

/** Helm fails an include once one name is being included more than this many times at once. */
export const MAX_INCLUDE_DEPTH = 1000;

/** The name Helm gives the root of its template set, and every `tpl` text. */
export const ROOT_NAME = "gotpl";

export interface TemplateSetOptions {
  /** `missingkey=error` (Helm's `--strict` lint): a missing map key is an error. */
  strict?: boolean;
  /** Largest output of one execution (one file, include or tpl), in UTF-16 code units (default 64 Mi). */
  maxOutput?: number;
  /** What an action with no value prints (Go: `<no value>`; Helm removes it from the output afterwards). */
  noValue?: string;
  /**
   * Deepest nesting of template calls, includes and tpl together. Go allows 100000 `{{template}}`
   * levels and Helm 1001 includes of one name; a JS stack holds fewer, so deeper nesting fails with
   * Go's message for runaway recursion instead of overflowing the stack.
   */
  maxNesting?: number;
}

/** A compiled template plus whether its body is only whitespace (a file of `define`s, say). */
interface Entry extends CompiledTemplate {
  readonly empty: boolean;
}

/** Templates a `tpl` text defines, seen before the set's own (Helm parses tpl into a clone of the set). */
class OverlayScope implements TemplateScope {
  constructor(
    private readonly parent: TemplateScope,
    private readonly own: ReadonlyMap<string, Entry>,
  ) {}

  lookup(name: string): CompiledTemplate | undefined {
    const t = this.own.get(name);
    // An empty body never replaces an existing template of the same name.
    if (t !== undefined && !(t.empty && this.parent.lookup(name) !== undefined)) return t;
    return this.parent.lookup(name);
  }
}

function compile(trees: TreeSet, parseName: string, source: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const [name, root] of trees) out.set(name, entry(name, root, parseName, source));
  return out;
}

function entry(name: string, root: ListNode, parseName: string, source: string): Entry {
  return { name, root, parseName, source, empty: isEmptyTree(root) };
}

const TPL_CACHE_LIMIT = 4096;

/** Named templates sharing one function map. */
export class TemplateSet implements TemplateScope {
  private readonly templates = new Map<string, Entry>();
  private readonly funcs = new Map<string, TemplateFunc>(BUILTINS);
  private readonly env: ExecEnvironment;
  /** During an execution: where include and tpl resolve names (tpl adds its own definitions). */
  private scope: TemplateScope = this;
  /** Include nesting per template name in the current execution (Helm's recursion guard). */
  private readonly includeCounts = new Map<string, number>();
  /** tpl texts already parsed, with the templates they define. */
  private readonly tplCache = new Map<string, Map<string, Entry> | ParseError>();
  private readonly isFunc = (name: string): boolean => this.funcs.has(name);

  constructor(opts: TemplateSetOptions = {}) {
    this.env = {
      funcs: this.funcs,
      builtins: BUILTINS,
      strictMissingKeys: opts.strict ?? false,
      maxOutput: opts.maxOutput ?? 64 * 1024 * 1024,
      noValue: opts.noValue ?? "<no value>",
      nesting: { depth: 0, max: opts.maxNesting ?? 3000 },
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

  /** Add or replace functions (later additions win; `include` and `tpl` stay the set's own). */
  addFuncs(funcs: FuncMap): this {
    for (const [name, f] of funcs) if (name !== "include" && name !== "tpl") this.funcs.set(name, f);
    this.tplCache.clear();
    return this;
  }

  /**
   * Parse `text` as the template `name` (Go's `t.New(name).Parse(text)`), adding the templates it
   * defines. A later definition replaces an earlier one, except that an empty body (whitespace
   * only) never replaces an existing template. Throws ParseError.
   */
  parse(name: string, text: string): void {
    let trees: TreeSet;
    try {
      trees = parse(name, text, { isFunc: this.isFunc });
    } catch (err) {
      if (err instanceof TemplateSyntaxError) throw new ParseError(name, err.line, err.message);
      throw err;
    }
    for (const [n, e] of compile(trees, name, text)) {
      if (e.empty && this.templates.has(n)) continue;
      this.templates.set(n, e);
    }
  }

  /** Whether a template of this name exists. */
  has(name: string): boolean {
    return this.templates.has(name);
  }

  /** The template of this name, if any (for `{{template}}` and include lookups). */
  lookup(name: string): CompiledTemplate | undefined {
    return this.templates.get(name);
  }

  /** Names of all templates, sorted. */
  templateNames(): string[] {
    return [...this.templates.keys()].sort();
  }

  /**
   * Whether the template's body is only whitespace (and comments, and `define`s, which are
   * templates of their own): a file of helpers, which renders to nothing. Undefined if unknown.
   */
  isEmpty(name: string): boolean | undefined {
    return this.templates.get(name)?.empty;
  }

  /** Execute the template `name` with `data` as dot; returns its output. Throws ExecError. */
  execute(name: string, data: GoValue): string {
    const t = this.templates.get(name);
    if (t === undefined) {
      throw new Error(
        `template: no template ${goQuote(name)} associated with template ${goQuote(ROOT_NAME)}`,
      );
    }
    const outer = this.scope;
    this.scope = this;
    try {
      return this.run(t, data);
    } catch (err) {
      if (err instanceof RangeError && /call stack/i.test(err.message)) {
        throw new Error(`template: ${name}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
      }
      throw err;
    } finally {
      this.scope = outer;
    }
  }

  private run(t: CompiledTemplate, data: Val): string {
    return new Execution(this.env, this.scope, t).run(data === null ? undefined : data);
  }

  /** Helm's `include`: execute a named template into a string. */
  private include(name: string, data: GoValue): string {
    const count = this.includeCounts.get(name);
    const nesting = this.env.nesting;
    if ((count !== undefined && count > MAX_INCLUDE_DEPTH) || nesting.depth >= nesting.max) {
      throw new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
    }
    this.includeCounts.set(name, (count ?? 0) + 1);
    nesting.depth++;
    try {
      const t = this.scope.lookup(name);
      if (t === undefined) {
        throw new Error(
          `template: no template ${goQuote(name)} associated with template ${goQuote(ROOT_NAME)}`,
        );
      }
      return this.run(t, data);
    } finally {
      nesting.depth--;
      this.includeCounts.set(name, this.includeCounts.get(name)! - 1);
    }
  }

  /**
   * Helm's `tpl`: parse `text` as a template named `gotpl` in a copy of the set (its `define`s stay
   * local), execute it with `data`, and drop `<no value>` from the result as Helm does.
   */
  private tpl(text: string, data: GoValue): string {
    const own = this.parseTpl(text);
    const scope = new OverlayScope(this.scope, own);
    const main = own.get(ROOT_NAME)!;
    const outer = this.scope;
    this.scope = scope;
    try {
      return this.run(main, data).replaceAll("<no value>", "");
    } catch (err) {
      if (err instanceof ExecError) {
        throw new Error(`error during tpl function execution for ${goQuote(text)}: ${err.message}`, {
          cause: err,
        });
      }
      throw err;
    } finally {
      this.scope = outer;
    }
  }

  private parseTpl(text: string): Map<string, Entry> {
    let cached = this.tplCache.get(text);
    if (cached === undefined) {
      try {
        cached = compile(parse(ROOT_NAME, text, { isFunc: this.isFunc }), ROOT_NAME, text);
      } catch (err) {
        if (!(err instanceof TemplateSyntaxError)) throw err;
        cached = new ParseError(ROOT_NAME, err.line, err.message);
      }
      if (this.tplCache.size >= TPL_CACHE_LIMIT) this.tplCache.clear();
      this.tplCache.set(text, cached);
    }
    if (cached instanceof ParseError) {
      throw new Error(`cannot parse template ${goQuote(text)}: ${cached.message}`, { cause: cached });
    }
    return cached;
  }
}
