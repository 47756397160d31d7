/**
 * Executor for parsed templates with Go's semantics: data model of value.ts, truthiness,
 * variables and scopes, field chains on maps/structs/nil, function calls with Go argument
 * checking, range/with/if, named templates, and errors that name template, line, column and the
 * expression (`executing "NAME" at <.Values.x>: …`).
 */
import type { ArgNode, CommandNode, ListNode, Node, NumberNode, PipeNode } from "./ast.ts";
import { nodeString } from "./ast.ts";
import { formatValue, goTypeOf } from "./fmt.ts";
import type { FuncMap, ParamType, TemplateFunc } from "./funcs/types.ts";
import { position } from "./lexer.ts";
import { elemTypeOf, GoStruct, type GoValue, isGoMap, mapMethodsOf, sortedKeys } from "./value.ts";

/** A parsed named template: its tree and the source it came from (for error positions). */
export interface CompiledTemplate {
  name: string;
  tree: ListNode;
  /** Name of the source text that defined it (a chart file path). */
  parseName: string;
  source: string;
}

/** What the executor needs from the set it runs in. */
export interface ExecEnvironment {
  lookup(name: string): CompiledTemplate | undefined;
  funcs: FuncMap;
  /** `missingkey=error`: a missing map key is an error instead of nil. */
  strictMissingKeys: boolean;
  /** Largest output one execution may produce, in characters. */
  maxOutput: number;
  /** Deepest nesting of template calls (and include/tpl, which use the same counter). */
  maxDepth: number;
}

/** A template execution error, carrying what Go prints. */
export class ExecError extends Error {
  constructor(
    /** The message after the location, e.g. `error calling fail: boom`. */
    readonly detail: string,
    readonly templateName: string,
    readonly parseName: string,
    readonly line: number,
    readonly col: number,
    /** The expression, as Go prints it inside `<…>`. */
    readonly context: string,
  ) {
    super(`template: ${parseName}:${line}:${col}: executing "${templateName}" at <${context}>: ${detail}`);
    this.name = "ExecError";
  }
}

/** Thrown to unwind `{{break}}` / `{{continue}}` to the enclosing range. */
class LoopControl {
  constructor(readonly kind: "break" | "continue") {}
}

const MISSING: unique symbol = Symbol("missing");
type Final = GoValue | typeof MISSING;

interface Variable {
  name: string;
  value: GoValue;
}

/** Go truthiness: false for nil, false, 0, "", and empty slices and maps. */
export function isTrue(v: GoValue | undefined): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case "boolean":
      return v;
    case "string":
      return v.length > 0;
    case "number":
      return v !== 0;
    case "bigint":
      return v !== 0n;
  }
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length > 0;
  if (v instanceof GoStruct) return true;
  return Object.keys(v).length > 0;
}

/** The running state of one top-level execution. */
export class Execution {
  private vars: Variable[] = [];
  private out: string[] = [];
  private outLen = 0;
  private depth = 0;
  private tmpl!: CompiledTemplate;
  private node: ArgNode | CommandNode | Node | null = null;

  constructor(private readonly env: ExecEnvironment) {}

  /** Execute `tmpl` with `data` as dot and `$`; returns the output text. */
  run(tmpl: CompiledTemplate, data: GoValue): string {
    this.enter(tmpl, data, () => this.walk(data, tmpl.tree));
    return this.out.join("");
  }

  private enter(tmpl: CompiledTemplate, data: GoValue, body: () => void): void {
    if (this.depth >= this.env.maxDepth) {
      this.fail(`exceeded maximum template depth (${this.env.maxDepth})`);
    }
    const saved = { vars: this.vars, tmpl: this.tmpl, node: this.node };
    this.vars = [{ name: "$", value: data }];
    this.tmpl = tmpl;
    this.depth++;
    try {
      body();
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmpl = saved.tmpl;
      this.node = saved.node;
    }
  }

  /** Build an ExecError at the current node. */
  private fail(detail: string): never {
    const node = this.node;
    const pos = node ? node.pos : 0;
    const { line, col } = position(this.tmpl.source, pos);
    throw new ExecError(detail, this.tmpl.name, this.tmpl.parseName, line, col, node ? nodeString(node) : "");
  }

  private write(s: string): void {
    this.outLen += s.length;
    if (this.outLen > this.env.maxOutput)
      this.fail(`output exceeds the limit of ${this.env.maxOutput} characters`);
    this.out.push(s);
  }

  private walk(dot: GoValue, node: Node): void {
    switch (node.kind) {
      case "text":
        this.write(node.text);
        return;
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "action": {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.write(this.printable(v, node.pipe));
        return;
      }
      case "if":
      case "with": {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walk(node.kind === "with" ? v : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case "range":
        this.walkRange(dot, node);
        return;
      case "template": {
        this.node = node;
        const t = this.env.lookup(node.name);
        if (!t) this.fail(`template "${node.name}" not defined`);
        const data = node.pipe ? this.evalPipeline(dot, node.pipe) : null;
        this.node = node;
        this.enter(t, data, () => this.walk(data, t.tree));
        return;
      }
      case "break":
        throw new LoopControl("break");
      case "continue":
        throw new LoopControl("continue");
    }
  }

  private printable(v: GoValue, pipe: PipeNode): string {
    if (v === null) return "<no value>";
    this.node = pipe;
    return formatValue(v);
  }

  private walkRange(dot: GoValue, node: Extract<Node, { kind: "range" }>): void {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    // The pipeline's declarations are (re)bound per element below.
    this.vars.length = mark;
    const decl = node.pipe.decl;
    const each = (key: GoValue, elem: GoValue): boolean => {
      const inner = this.vars.length;
      if (decl.length === 1) this.vars.push({ name: decl[0]!.ident[0]!, value: elem });
      if (decl.length === 2) {
        this.vars.push({ name: decl[0]!.ident[0]!, value: key });
        this.vars.push({ name: decl[1]!.ident[0]!, value: elem });
      }
      try {
        this.walk(elem, node.list);
      } catch (e) {
        if (e instanceof LoopControl) {
          this.vars.length = inner;
          return e.kind === "continue";
        }
        throw e;
      }
      this.vars.length = inner;
      return true;
    };
    let iterated = false;
    if (val === null) {
      // nil ranges zero times.
    } else if (Array.isArray(val) || val instanceof Uint8Array) {
      const items = val instanceof Uint8Array ? Array.from(val, (b) => BigInt(b)) : val;
      for (let i = 0; i < items.length; i++) {
        iterated = true;
        if (!each(BigInt(i), items[i]!)) break;
      }
    } else if (isGoMap(val)) {
      for (const k of sortedKeys(val)) {
        iterated = true;
        if (!each(k, val[k]!)) break;
      }
    } else if (typeof val === "bigint") {
      if (decl.length > 1) {
        this.node = node.pipe;
        this.fail("can't use two variables ranging over an integer");
      }
      for (let i = 0n; i < val; i++) {
        iterated = true;
        if (!each(i, i)) break;
      }
    } else {
      this.node = node.pipe;
      this.fail(`range can't iterate over ${formatValue(val)}`);
    }
    if (!iterated && node.elseList) this.walk(dot, node.elseList);
    this.vars.length = mark;
  }

  evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.node = pipe;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const result = value === MISSING ? null : value;
    for (const v of pipe.decl) {
      const name = v.ident[0]!;
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    this.fail(`undefined variable: ${name}`);
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0]!;
    this.node = first;
    switch (first.kind) {
      case "field":
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case "chain": {
        const receiver = this.evalArg(dot, first.node);
        this.node = first;
        return this.evalFieldChain(dot, receiver, first, first.field, cmd.args, final);
      }
      case "identifier":
        return this.evalFunction(dot, first.name, cmd, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    if (first.kind === "nil") this.fail("nil is not a command");
    this.notAFunction(cmd.args, final);
    return this.evalArg(dot, first);
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING)
      this.fail(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalVariableNode(
    dot: GoValue,
    v: Extract<ArgNode, { kind: "variable" }>,
    args: ArgNode[],
    final: Final,
  ): GoValue {
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: GoValue,
    receiver: GoValue,
    node: ArgNode,
    ident: string[],
    args: ArgNode[],
    final: Final,
  ): GoValue {
    // Go: a nil that a chain step produced is an error at the next step, but a chain that starts
    // from nil (nil dot, a nil variable or pipeline result) just yields nil.
    if (receiver === null) return null;
    let r: GoValue = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = this.evalField(dot, ident[i]!, node, [], MISSING, r);
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, r);
  }

  private evalField(
    dot: GoValue,
    name: string,
    node: ArgNode,
    args: ArgNode[],
    final: Final,
    receiver: GoValue,
  ): GoValue {
    this.node = node;
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    // Methods of named map/slice types and structs win over keys and fields.
    if ((isGoMap(receiver) || Array.isArray(receiver)) && mapMethodsOf(receiver)?.methods[name]) {
      const m = mapMethodsOf(receiver)!.methods[name]!;
      return this.callMethod(dot, name, m, args, final);
    }
    if (receiver instanceof GoStruct && receiver.goMethods.has(name)) {
      const m = (receiver as unknown as Record<string, (...a: GoValue[]) => GoValue>)[name]!.bind(receiver);
      return this.callMethod(dot, name, m, args, final);
    }
    if (isGoMap(receiver)) {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      if (Object.hasOwn(receiver, name)) return receiver[name]!;
      if (this.env.strictMissingKeys) this.fail(`map has no entry for key "${name}"`);
      return null;
    }
    if (receiver instanceof GoStruct) {
      if (/^[A-Z]/.test(name) && Object.hasOwn(receiver, name)) {
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
        return (receiver as unknown as Record<string, GoValue>)[name]!;
      }
      if (/^[a-z]/.test(name) && Object.hasOwn(receiver, name)) {
        this.fail(`${name} is an unexported field of struct type ${receiver.goType}`);
      }
    }
    this.fail(`can't evaluate field ${name} in type ${goTypeOf(receiver)}`);
  }

  private callMethod(
    dot: GoValue,
    name: string,
    fn: (...a: GoValue[]) => GoValue,
    args: ArgNode[],
    final: Final,
  ): GoValue {
    const values = args.slice(1).map((a) => this.evalArg(dot, a));
    if (final !== MISSING) values.push(final);
    try {
      return fn(...values);
    } catch (err) {
      if (err instanceof ExecError) throw err;
      this.fail(`error calling ${name}: ${(err as Error).message}`);
    }
  }

  private evalFunction(dot: GoValue, name: string, cmd: CommandNode, final: Final): GoValue {
    const node = cmd.args[0]!;
    if (name === "and" || name === "or") return this.evalAndOr(dot, name, cmd, final);
    const fn = this.env.funcs.get(name);
    if (!fn) this.fail(`"${name}" is not a defined function`);
    const argNodes = cmd.args.slice(1);
    const numIn = argNodes.length + (final === MISSING ? 0 : 1);
    const fixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < fixed) this.fail(`wrong number of args for ${name}: want at least ${fixed} got ${numIn}`);
    } else if (numIn !== fixed) {
      this.fail(`wrong number of args for ${name}: want ${fixed} got ${numIn}`);
    }
    const values: GoValue[] = [];
    for (let i = 0; i < argNodes.length; i++) {
      const t = i < fixed ? fn.params[i]! : fn.variadic!;
      values.push(this.evalTypedArg(dot, argNodes[i]!, t));
    }
    if (final !== MISSING) {
      const t = argNodes.length < fixed ? fn.params[argNodes.length]! : fn.variadic!;
      this.node = node;
      values.push(this.checkType(final, t));
    }
    this.node = cmd;
    return this.invoke(name, fn, values);
  }

  private invoke(name: string, fn: TemplateFunc, values: GoValue[]): GoValue {
    try {
      const r = fn.fn(...values);
      return r === undefined ? null : r;
    } catch (err) {
      if (err instanceof ExecError || err instanceof LoopControl) throw err;
      this.fail(`error calling ${name}: ${(err as Error).message}`);
    }
  }

  /** `and`/`or` evaluate their arguments lazily and return one of them. */
  private evalAndOr(dot: GoValue, name: "and" | "or", cmd: CommandNode, final: Final): GoValue {
    const argNodes = cmd.args.slice(1);
    const n = argNodes.length + (final === MISSING ? 0 : 1);
    if (n < 1) this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
    let v: GoValue = null;
    for (let i = 0; i < n; i++) {
      v = i < argNodes.length ? this.evalArg(dot, argNodes[i]!) : (final as GoValue);
      if (isTrue(v) !== (name === "and")) return v;
    }
    return v;
  }

  /** Evaluate an argument with no declared type (interface {}). */
  evalArg(dot: GoValue, n: ArgNode): GoValue {
    this.node = n;
    switch (n.kind) {
      case "dot":
        return dot;
      case "nil":
        return null;
      case "bool":
        return n.value;
      case "number":
        return idealConstant(n);
      case "string":
        return n.text;
      case "field":
        return this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING);
      case "variable":
        return this.evalVariableNode(dot, n, [n], MISSING);
      case "chain": {
        const r = this.evalArg(dot, n.node);
        return this.evalFieldChain(dot, r, n, n.field, [n], MISSING);
      }
      case "pipe":
        return this.evalPipeline(dot, n);
      case "identifier":
        return this.evalFunction(dot, n.name, { kind: "command", pos: n.pos, args: [n] }, MISSING);
    }
  }

  private evalTypedArg(dot: GoValue, n: ArgNode, t: ParamType): GoValue {
    this.node = n;
    if (n.kind === "number") return this.constantAs(n, t);
    if (n.kind === "string" && t !== "string" && t !== "interface {}") {
      this.fail(`expected ${expectedWord(t)}; found ${n.quoted}`);
    }
    if (n.kind === "bool" && t !== "bool" && t !== "interface {}")
      this.fail(`expected ${expectedWord(t)}; found ${n.value}`);
    if (n.kind === "nil") {
      if (t === "interface {}" || t.startsWith("[]") || t.startsWith("map[")) return null;
      this.fail(`cannot assign nil to ${t}`);
    }
    const v = this.evalArg(dot, n);
    this.node = n;
    return this.checkType(v, t);
  }

  private constantAs(n: NumberNode, t: ParamType): GoValue {
    switch (t) {
      case "int":
      case "int64":
        if (!n.isInt) this.fail(`expected integer; found ${n.text}`);
        return n.int;
      case "float64":
        if (!n.isFloat) this.fail(`expected float; found ${n.text}`);
        return n.float;
      case "interface {}":
        return idealConstant(n);
      default:
        this.fail(`expected ${expectedWord(t)}; found ${n.text}`);
    }
  }

  /** Go's assignability of a computed value to a parameter type. */
  private checkType(v: GoValue, t: ParamType): GoValue {
    if (t === "interface {}") return v;
    if (v === null) {
      if (t.startsWith("[]") || t.startsWith("map[")) return null;
      this.fail(`invalid value; expected ${t}`);
    }
    const ok = (() => {
      switch (t) {
        case "string":
          return typeof v === "string";
        case "bool":
          return typeof v === "boolean";
        case "int":
        case "int64":
          return typeof v === "bigint";
        case "float64":
          return typeof v === "number";
        case "[]interface {}":
          return Array.isArray(v) && elemTypeOf(v) === "interface {}";
        case "[]string":
          return Array.isArray(v) && elemTypeOf(v) === "string";
        case "map[string]interface {}":
          return isGoMap(v);
        case "[]byte":
          return v instanceof Uint8Array;
      }
    })();
    if (!ok) this.fail(`wrong type for value; expected ${t}; got ${goTypeOf(v)}`);
    return v;
  }
}

function expectedWord(t: ParamType): string {
  if (t === "int" || t === "int64") return "integer";
  if (t === "float64") return "float";
  return t;
}

/** A number constant as an untyped value: float when written with `.`/`e`, else int. */
function idealConstant(n: NumberNode): GoValue {
  if (n.isChar) return n.int;
  if (n.isFloat && !/^[+-]?0[xX]/.test(n.text) && /[.eEpP]/.test(n.text)) return n.float;
  if (n.isInt) return n.int;
  return n.float;
}
