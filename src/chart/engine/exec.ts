/**
 * Executor for parsed templates with Go's text/template semantics on the value model of value.ts:
 * truthiness, variables and their scopes, field chains on maps, structs and nil, function and
 * method calls with Go's argument checking, if/with/range (with break and continue), named
 * templates, and errors that name template, line, column and expression exactly as Go does
 * (`template: NAME:LINE:COL: executing "NAME" at <.Values.x>: …`).
 *
 * Go distinguishes a nil taken from a map or list (a nil `interface {}`) from "no value" at all (an
 * invalid reflect.Value: what a nil pipeline result becomes). Here the first is `null` and the
 * second `undefined`; the two give different errors (`nil pointer evaluating interface {}.x` vs
 * nothing, `wrong type for value` vs `invalid value`), so the difference is kept.
 */
import type {
  ActionNode,
  AnyNode,
  ArgNode,
  ChainNode,
  CommandNode,
  IdentifierNode,
  IfNode,
  ListNode,
  NumberNode,
  PipeNode,
  RangeNode,
  TemplateNode,
  VariableNode,
  WithNode,
} from "./ast.ts";
import { nodeString } from "./ast.ts";
import { formatValue, goTypeOf } from "./fmt.ts";
import type { ParamType, TemplateFunc } from "./funcs/types.ts";
import { goQuote } from "./quote.ts";
import {
  elemTypeOf,
  GoStruct,
  type GoValue,
  isGoMap,
  type MethodSignature,
  mapMethodsOf,
  sortedKeys,
} from "./value.ts";

/** A value during execution: `undefined` is Go's invalid reflect.Value ("no value"). */
export type Val = GoValue | undefined;

/** A parsed named template: its tree and the text it was parsed from (for error positions). */
export interface CompiledTemplate {
  readonly name: string;
  readonly root: ListNode;
  /** Name of the text that defined it (a chart file path, or `gotpl` for `tpl`). */
  readonly parseName: string;
  readonly source: string;
}

/** Where `{{template}}` (and Helm's include) look names up. */
export interface TemplateScope {
  lookup(name: string): CompiledTemplate | undefined;
}

/** text/template's limit on nested `{{template}}` calls. */
export const MAX_EXEC_DEPTH = 100_000;

/** What an execution needs from the set it runs in. */
export interface ExecEnvironment {
  readonly funcs: ReadonlyMap<string, TemplateFunc>;
  /** The builtins, to recognise `and`, `or` and `call` (which Go special-cases) when not overridden. */
  readonly builtins: ReadonlyMap<string, TemplateFunc>;
  /** `missingkey=error`: a missing map key is an error instead of the zero value. */
  readonly strictMissingKeys: boolean;
  /** Largest output one execution may produce, in UTF-16 code units. */
  readonly maxOutput: number;
  /** What an action printing no value writes (Go: `<no value>`). */
  readonly noValue: string;
  /** Nesting of template calls across include/tpl, bounded to protect the JS stack. */
  readonly nesting: { depth: number; readonly max: number };
}

/** A template execution error, carrying what Go prints. */
export class ExecError extends Error {
  constructor(
    /** The message after the location, e.g. `error calling fail: boom`. */
    readonly detail: string,
    readonly templateName: string,
    /** The text the failing node was parsed from (a chart file path, or `gotpl`). */
    readonly parseName: string,
    readonly line: number,
    /** Byte offset in the line, 0-based (Go's column). */
    readonly col: number,
    /** The expression, as Go prints it inside `<…>`. */
    readonly context: string,
    options?: { cause?: unknown },
  ) {
    super(
      `template: ${parseName}:${line}:${col}: executing ${goQuote(templateName)} at <${context}>: ${detail}`,
      options,
    );
    this.name = "ExecError";
  }
}

/** Line (1-based) and column (byte offset in the line, 0-based) of offset `pos` in `text`. */
export function lineAndColumn(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  let line = 1;
  for (let i = before.indexOf("\n"); i >= 0; i = before.indexOf("\n", i + 1)) line++;
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line, col: Buffer.byteLength(before.slice(lineStart)) };
}

/** Go truthiness: false for no value, nil, false, 0, "", and empty lists and maps. */
export function isTrue(v: Val): boolean {
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
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (v instanceof GoStruct) return true;
  for (const _ in v) return true;
  return false;
}

// Signals a walk returns: how a {{break}} or {{continue}} unwinds to its range.
const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Signal = typeof NORMAL | typeof BREAK | typeof CONTINUE;

const NO_ARGS: readonly ArgNode[] = [];

function canBeNil(t: ParamType): boolean {
  return (
    t === "interface {}" ||
    t === "reflect.Value" ||
    t.startsWith("[]") ||
    t.startsWith("map[") ||
    t.startsWith("*")
  );
}

/** Go's assignability of a (non-nil) value to a parameter type. */
function assignable(v: GoValue, t: ParamType): boolean {
  switch (t) {
    case "interface {}":
    case "reflect.Value":
      return true;
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
      return isGoMap(v) && (mapMethodsOf(v)?.elemType ?? "interface {}") === "interface {}";
    case "[]byte":
      return v instanceof Uint8Array;
    case "time.Time":
    case "*semver.Version":
      return v instanceof GoStruct && v.goType === t;
    case "uint32":
      return false; // templates have no uint32 values: only constants convert
  }
}

/** Whether the elements of a list or map have static type `interface {}` (see evalField's messages). */
function holdsInterfaces(container: GoValue[] | Record<string, GoValue>): boolean {
  const info = mapMethodsOf(container);
  if (Array.isArray(container)) return elemTypeOf(container) === "interface {}";
  return (info?.elemType ?? "interface {}") === "interface {}";
}

function isExported(name: string): boolean {
  const c = name.codePointAt(0)!;
  if (c < 128) return c >= 65 && c <= 90;
  const ch = String.fromCodePoint(c);
  return /\p{Lu}/u.test(ch) || /\p{Lt}/u.test(ch);
}

/** One execution of one template (top level, or one include/tpl). */
export class Execution {
  private out = "";
  /** The node errors point at: Go's `s.at(node)`, updated at the same places. */
  private node: AnyNode | null = null;
  private tmpl: CompiledTemplate;
  // Variable stack: names, values, and whether each value's static type is interface {}.
  private readonly varNames: string[] = [];
  private readonly varVals: Val[] = [];
  private readonly varIface: boolean[] = [];
  private top = 0;
  /** Bottom of the current template's variables (templates see none of their caller's). */
  private base = 0;
  /** Whether dot's static type is interface {} (an element of a []interface {} or map). */
  private dotIface = false;
  private depth = 0;
  /** Static type of the last field-chain step's result (see holdsInterfaces). */
  private lastIface = false;

  constructor(
    private readonly env: ExecEnvironment,
    private readonly scope: TemplateScope,
    tmpl: CompiledTemplate,
  ) {
    this.tmpl = tmpl;
  }

  /** Execute the template with `data` as dot and `$`; returns the output. */
  run(data: Val): string {
    this.push("$", data, false);
    this.walkList(data, this.tmpl.root);
    return this.out;
  }

  // --- errors -------------------------------------------------------------------------------

  private fail(detail: string, cause?: unknown): never {
    const node = this.node;
    const t = this.tmpl;
    if (node === null) {
      throw new Error(`template: ${t.name}: ${detail}`, cause === undefined ? undefined : { cause });
    }
    const { line, col } = lineAndColumn(t.source, node.pos);
    throw new ExecError(
      detail,
      t.name,
      t.parseName,
      line,
      col,
      nodeString(node),
      cause === undefined ? undefined : { cause },
    );
  }

  private write(s: string): void {
    this.out += s;
    if (this.out.length > this.env.maxOutput) {
      this.fail(`output exceeds the limit of ${this.env.maxOutput} characters`);
    }
  }

  // --- variables ----------------------------------------------------------------------------

  private push(name: string, value: Val, iface: boolean): void {
    const i = this.top++;
    this.varNames[i] = name;
    this.varVals[i] = value;
    this.varIface[i] = iface;
  }

  private findVar(name: string): number {
    for (let i = this.top - 1; i >= this.base; i--) if (this.varNames[i] === name) return i;
    this.fail(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: Val, iface: boolean): void {
    const i = this.findVar(name);
    this.varVals[i] = value;
    this.varIface[i] = iface;
  }

  // --- statements ---------------------------------------------------------------------------

  private walkList(dot: Val, list: ListNode): Signal {
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      this.node = n;
      switch (n.kind) {
        case "text":
          this.write(n.text);
          break;
        case "action":
          this.walkAction(dot, n);
          break;
        case "if":
        case "with": {
          const s = this.walkIfOrWith(dot, n);
          if (s !== NORMAL) return s;
          break;
        }
        case "range": {
          const s = this.walkRange(dot, n);
          if (s !== NORMAL) return s;
          break;
        }
        case "template":
          this.walkTemplate(dot, n);
          break;
        case "break":
          return BREAK;
        case "continue":
          return CONTINUE;
        case "list": {
          const s = this.walkList(dot, n);
          if (s !== NORMAL) return s;
          break;
        }
      }
    }
    return NORMAL;
  }

  private walkAction(dot: Val, n: ActionNode): void {
    const v = this.evalPipeline(dot, n.pipe);
    if (n.pipe.decl.length > 0) return;
    this.node = n;
    this.write(this.printable(v));
  }

  /** How an action prints a value (Go's printValue: pointers are followed, Stringers called). */
  private printable(v: Val): string {
    if (v === undefined || v === null) return this.env.noValue;
    if (typeof v === "string") return v;
    if (v instanceof GoStruct) {
      if (v.goMethods.has("String")) return formatValue(v);
      // A pointer to a struct prints as the struct.
      if (v.goType.startsWith("*")) return formatValue(v, false, 1);
    }
    return formatValue(v);
  }

  private walkIfOrWith(dot: Val, n: IfNode | WithNode): Signal {
    const mark = this.top;
    const val = this.evalPipeline(dot, n.pipe);
    let s: Signal = NORMAL;
    if (isTrue(val)) {
      if (n.kind === "with") {
        const savedIface = this.dotIface;
        this.dotIface = false;
        s = this.walkList(val, n.list);
        this.dotIface = savedIface;
      } else {
        s = this.walkList(dot, n.list);
      }
    } else if (n.elseList !== null) {
      s = this.walkList(dot, n.elseList);
    }
    this.top = mark;
    return s;
  }

  private walkRange(dot: Val, r: RangeNode): Signal {
    this.node = r;
    const mark = this.top;
    const val = this.evalPipeline(dot, r.pipe);
    const inner = this.top;
    const decl = r.pipe.decl;
    const savedIface = this.dotIface;
    let ran = false;
    let broke = false;
    // One iteration: bind the variables, walk the body; false stops the loop.
    const iterate = (index: Val, elem: Val, iface: boolean): boolean => {
      ran = true;
      if (decl.length > 0) {
        if (r.pipe.isAssign) {
          if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index, false);
          else this.setVar(decl[0]!.ident[0]!, elem, iface);
        } else {
          this.varVals[this.top - 1] = elem;
          this.varIface[this.top - 1] = iface;
        }
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem, iface);
        else {
          this.varVals[this.top - 2] = index;
          this.varIface[this.top - 2] = false;
        }
      }
      this.dotIface = iface;
      const s = this.walkList(elem, r.list);
      this.dotIface = savedIface;
      this.top = inner;
      if (s === BREAK) broke = true;
      return s !== BREAK;
    };
    if (val === undefined || val === null) {
      // No value: nothing to iterate, not an error.
    } else if (Array.isArray(val)) {
      const iface = holdsInterfaces(val);
      for (let i = 0; i < val.length; i++) if (!iterate(BigInt(i), val[i]!, iface)) break;
    } else if (val instanceof Uint8Array) {
      for (let i = 0; i < val.length; i++) if (!iterate(BigInt(i), BigInt(val[i]!), false)) break;
    } else if (isGoMap(val)) {
      const iface = holdsInterfaces(val);
      for (const k of sortedKeys(val)) if (!iterate(k, val[k]!, iface)) break;
    } else if (typeof val === "bigint") {
      if (decl.length > 1) this.fail(`can't use ${val} to iterate over more than one variable`);
      for (let i = 0n; i < val; i++) if (!iterate(undefined, i, false)) break;
    } else {
      this.fail(`range can't iterate over ${formatValue(val)}`);
    }
    let s: Signal = NORMAL;
    if (!ran && !broke && r.elseList !== null) {
      s = this.walkList(dot, r.elseList);
      // Go's range swallows a {{break}} from its else branch; a {{continue}} goes to the outer loop.
      if (s === BREAK) s = NORMAL;
    }
    this.top = mark;
    return s;
  }

  private walkTemplate(dot: Val, t: TemplateNode): void {
    this.node = t;
    const tmpl = this.scope.lookup(t.name);
    if (tmpl === undefined) this.fail(`template ${goQuote(t.name)} not defined`);
    const nesting = this.env.nesting;
    if (this.depth >= MAX_EXEC_DEPTH || nesting.depth >= nesting.max) {
      this.fail(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    }
    const data = t.pipe === null ? undefined : this.evalPipeline(dot, t.pipe);
    const saved = {
      tmpl: this.tmpl,
      base: this.base,
      top: this.top,
      dotIface: this.dotIface,
      node: this.node,
    };
    this.tmpl = tmpl;
    this.base = this.top;
    this.dotIface = false;
    this.push("$", data, false);
    this.depth++;
    nesting.depth++;
    try {
      this.walkList(data, tmpl.root);
    } finally {
      nesting.depth--;
      this.depth--;
      this.tmpl = saved.tmpl;
      this.base = saved.base;
      this.top = saved.top;
      this.dotIface = saved.dotIface;
    }
  }

  // --- expressions --------------------------------------------------------------------------

  private evalPipeline(dot: Val, pipe: PipeNode): Val {
    this.node = pipe;
    let value: Val;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value, i > 0);
      // A nil interface result becomes no value at all (Go digs into interface{} results).
      if (value === null) value = undefined;
    }
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      const name = decl[i]!.ident[0]!;
      if (pipe.isAssign) this.setVar(name, value, false);
      else this.push(name, value, false);
    }
    return value;
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Val, hasFinal: boolean): Val {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case "field":
        this.node = first;
        return this.evalFieldChain(dot, dot, this.dotIface, first, first.ident, 0, cmd.args, final, hasFinal);
      case "chain":
        return this.evalChain(dot, first, cmd.args, final, hasFinal);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final, hasFinal);
      case "pipe":
        this.notAFunction(cmd.args, hasFinal);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariable(dot, first, cmd.args, final, hasFinal);
    }
    this.node = first;
    this.notAFunction(cmd.args, hasFinal);
    switch (first.kind) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        this.fail("nil is not a command");
        break;
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
  }

  private notAFunction(args: readonly ArgNode[], hasFinal: boolean): void {
    if (args.length > 1 || hasFinal) this.fail(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private idealConstant(n: NumberNode): GoValue {
    this.node = n;
    if (n.ideal === null) this.fail(`${n.text} overflows int`);
    return n.ideal;
  }

  private evalChain(
    dot: Val,
    chain: ChainNode,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
  ): Val {
    this.node = chain;
    if (chain.node.kind === "nil") this.fail(`indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, receiver, false, chain, chain.field, 0, args, final, hasFinal);
  }

  private evalVariable(
    dot: Val,
    v: VariableNode,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
  ): Val {
    this.node = v;
    const i = this.findVar(v.ident[0]!);
    const value = this.varVals[i];
    if (v.ident.length === 1) {
      this.notAFunction(args, hasFinal);
      return value;
    }
    return this.evalFieldChain(dot, value, this.varIface[i]!, v, v.ident, 1, args, final, hasFinal);
  }

  /** `.a.b.c` from `receiver`; the last step gets the command's arguments (it may be a method). */
  private evalFieldChain(
    dot: Val,
    receiver: Val,
    iface: boolean,
    node: AnyNode,
    ident: readonly string[],
    start: number,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
  ): Val {
    const last = ident.length - 1;
    for (let i = start; i < last; i++) {
      receiver = this.evalField(dot, ident[i]!, node, NO_ARGS, undefined, false, receiver, iface);
      iface = this.lastIface;
    }
    return this.evalField(dot, ident[last]!, node, args, final, hasFinal, receiver, iface);
  }

  private evalField(
    dot: Val,
    name: string,
    node: AnyNode,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
    receiver: Val,
    iface: boolean,
  ): Val {
    if (receiver === undefined) {
      if (this.env.strictMissingKeys) this.fail(`nil data; no entry for key ${goQuote(name)}`);
      this.lastIface = false;
      return undefined;
    }
    if (receiver === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    const typeName = iface ? "interface {}" : goTypeOf(receiver);
    this.lastIface = false;
    // Methods win over fields and keys.
    if (receiver instanceof GoStruct) {
      if (receiver.goMethods.has(name)) {
        const m = (receiver as unknown as Record<string, (...a: GoValue[]) => GoValue>)[name]!;
        return this.evalMethod(
          dot,
          m.bind(receiver),
          receiver.goMethodSignature(name),
          node,
          name,
          args,
          final,
          hasFinal,
        );
      }
    } else if (isGoMap(receiver) || Array.isArray(receiver)) {
      const info = mapMethodsOf(receiver);
      const m = info?.methods[name];
      if (m !== undefined) {
        return this.evalMethod(dot, m, info!.signatures?.[name], node, name, args, final, hasFinal);
      }
    }
    const hasArgs = args.length > 1 || hasFinal;
    if (receiver instanceof GoStruct) {
      if (name !== "goType" && name !== "goMethods" && Object.hasOwn(receiver, name)) {
        if (!isExported(name)) this.fail(`${name} is an unexported field of struct type ${typeName}`);
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
        return (receiver as unknown as Record<string, GoValue>)[name]!;
      }
    } else if (isGoMap(receiver)) {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      const info = mapMethodsOf(receiver);
      this.lastIface = (info?.elemType ?? "interface {}") === "interface {}";
      if (Object.hasOwn(receiver, name)) return receiver[name]!;
      if (this.env.strictMissingKeys) this.fail(`map has no entry for key ${goQuote(name)}`);
      return info?.elemZero ?? null;
    }
    this.fail(`can't evaluate field ${name} in type ${typeName}`);
  }

  private evalMethod(
    dot: Val,
    fn: (...a: GoValue[]) => GoValue,
    sig: MethodSignature | undefined,
    node: AnyNode,
    name: string,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
  ): Val {
    const params = sig?.params ?? new Array<ParamType>(fn.length).fill("interface {}");
    return this.evalCall(dot, fn, params, sig?.variadic, node, name, args, final, hasFinal);
  }

  private evalFunction(
    dot: Val,
    ident: IdentifierNode,
    node: AnyNode,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
  ): Val {
    this.node = ident;
    const name = ident.name;
    const f = this.env.funcs.get(name);
    if (f === undefined) this.fail(`${goQuote(name)} is not a defined function`);
    if (f === this.env.builtins.get(name)) {
      if (name === "and" || name === "or") return this.evalAndOr(dot, name, args, final, hasFinal);
      if (name === "call") return this.evalCallBuiltin(dot, f, node, args, final, hasFinal);
    }
    return this.evalCall(dot, f.fn, f.params, f.variadic, node, name, args, final, hasFinal);
  }

  /** Check the argument count, evaluate and convert the arguments, call. */
  private evalCall(
    dot: Val,
    fn: (...a: GoValue[]) => GoValue,
    params: readonly ParamType[],
    variadic: ParamType | undefined,
    node: AnyNode,
    name: string,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
  ): GoValue {
    const argc = args.length > 0 ? args.length - 1 : 0;
    const numIn = argc + (hasFinal ? 1 : 0);
    const fixed = params.length;
    if (variadic !== undefined) {
      if (numIn < fixed) this.fail(`wrong number of args for ${name}: want at least ${fixed} got ${argc}`);
    } else if (numIn !== fixed) {
      this.fail(`wrong number of args for ${name}: want ${fixed} got ${numIn}`);
    }
    const argv = this.evalArgs(dot, params, variadic, args, argc, final, hasFinal, numIn);
    try {
      const r = fn(...(argv as GoValue[]));
      return r === undefined ? null : r;
    } catch (err) {
      this.node = node;
      if (err instanceof RangeError && /call stack/i.test(err.message)) throw err;
      this.fail(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }

  private evalArgs(
    dot: Val,
    params: readonly ParamType[],
    variadic: ParamType | undefined,
    args: readonly ArgNode[],
    argc: number,
    final: Val,
    hasFinal: boolean,
    numIn: number,
  ): Val[] {
    const fixed = params.length;
    const argv: Val[] = new Array(numIn);
    let i = 0;
    for (; i < fixed && i < argc; i++) argv[i] = this.evalArg(dot, params[i]!, args[i + 1]!);
    if (variadic !== undefined) for (; i < argc; i++) argv[i] = this.evalArg(dot, variadic, args[i + 1]!);
    if (hasFinal) {
      const t = variadic === undefined || numIn - 1 < fixed ? params[numIn - 1]! : variadic;
      argv[i] = this.validateType(final, t);
    }
    return argv;
  }

  /** `and`/`or` evaluate their arguments in order and stop at the first that decides. */
  private evalAndOr(dot: Val, name: string, args: readonly ArgNode[], final: Val, hasFinal: boolean): Val {
    const argc = args.length - 1;
    if (argc + (hasFinal ? 1 : 0) < 1)
      this.fail(`wrong number of args for ${name}: want at least 1 got ${argc}`);
    const stopOn = name === "or";
    let v: Val;
    for (let i = 1; i < args.length; i++) {
      v = this.evalArg(dot, "reflect.Value", args[i]!);
      if (isTrue(v) === stopOn) return v;
    }
    if (hasFinal) v = final;
    return v;
  }

  /** `call fn args…`: data never holds Go funcs here, so this reports what Go would about the callee. */
  private evalCallBuiltin(
    dot: Val,
    f: TemplateFunc,
    node: AnyNode,
    args: readonly ArgNode[],
    final: Val,
    hasFinal: boolean,
  ): Val {
    const argc = args.length - 1;
    const numIn = argc + (hasFinal ? 1 : 0);
    if (numIn < 1) this.fail(`wrong number of args for call: want at least 1 got ${argc}`);
    const argv = this.evalArgs(dot, f.params, f.variadic, args, argc, final, hasFinal, numIn);
    const callee = argv[0];
    const name =
      argc > 0
        ? nodeString(args[1]!)
        : typeof final === "string"
          ? final
          : `<${goTypeOf(final ?? null)} Value>`;
    this.node = node;
    if (callee === undefined || callee === null) this.fail("error calling call: call of nil");
    this.fail(`error calling call: non-function ${name} of type ${goTypeOf(callee)}`);
  }

  /** Evaluate an argument for a parameter of type `typ` (null: no conversion). */
  private evalArg(dot: Val, typ: ParamType | null, n: ArgNode): Val {
    this.node = n;
    switch (n.kind) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === null || typ === "reflect.Value") return undefined;
        if (canBeNil(typ)) return null;
        this.fail(`cannot assign nil to ${typ}`);
        break;
      case "field":
        return this.validateType(
          this.evalFieldChain(dot, dot, this.dotIface, n, n.ident, 0, NO_ARGS, undefined, false),
          typ,
        );
      case "variable":
        return this.validateType(this.evalVariable(dot, n, NO_ARGS, undefined, false), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, NO_ARGS, undefined, false), typ);
      case "chain":
        return this.validateType(this.evalChain(dot, n, NO_ARGS, undefined, false), typ);
    }
    // A literal: Go converts constants to the parameter's type.
    switch (typ) {
      case null:
      case "interface {}":
      case "reflect.Value":
        if (n.kind === "number") return this.idealConstant(n);
        return n.kind === "string" ? n.text : n.value;
      case "bool":
        if (n.kind === "bool") return n.value;
        this.fail(`expected bool; found ${nodeString(n)}`);
        break;
      case "int":
      case "int64":
        if (n.kind === "number" && n.isInt) return n.int;
        this.fail(`expected integer; found ${nodeString(n)}`);
        break;
      case "uint32":
        if (n.kind === "number" && n.isUint) return BigInt.asUintN(32, n.int);
        this.fail(`expected unsigned integer; found ${nodeString(n)}`);
        break;
      case "float64":
        if (n.kind === "number" && n.isFloat) return n.float;
        this.fail(`expected float; found ${nodeString(n)}`);
        break;
      case "string":
        if (n.kind === "string") return n.text;
        this.fail(`expected string; found ${nodeString(n)}`);
        break;
      default:
        this.fail(`can't handle ${nodeString(n)} for arg of type ${typ}`);
    }
  }

  /** Go's check of a computed value against a parameter type. */
  private validateType(v: Val, typ: ParamType | null): Val {
    if (typ === null || typ === "reflect.Value") return v;
    if (v === undefined) {
      if (canBeNil(typ)) return null;
      this.fail(`invalid value; expected ${typ}`);
    }
    if (v === null) {
      if (typ === "interface {}") return null;
      this.fail(`wrong type for value; expected ${typ}; got interface {}`);
    }
    if (!assignable(v, typ)) this.fail(`wrong type for value; expected ${typ}; got ${goTypeOf(v)}`);
    return v;
  }
}
