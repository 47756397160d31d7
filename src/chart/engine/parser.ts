/**
 * Parser for Go's text/template: tokens → tree. One call parses one source text into its main
 * template and the templates it `define`s. Errors are Go's ("unexpected EOF", "function "x" not
 * defined", "undefined variable "$x""…) with the offset where they occur.
 */
import type {
  ArgNode,
  BranchFields,
  CommandNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  StringNode,
  VariableNode,
} from "./ast.ts";
import { lex, TemplateSyntaxError, type Token } from "./lexer.ts";

/** The result of parsing one source: its own tree and any `define`d templates. */
export interface ParsedSource {
  root: ListNode;
  defines: Map<string, ListNode>;
}

/** Parse `text`; `isFunc` says whether an identifier names a function (else a parse error). */
export function parse(text: string, isFunc: (name: string) => boolean): ParsedSource {
  return new Parser(lex(text), isFunc).parseSource();
}

type EndKind = "end" | "else";

class Parser {
  private i = 0;
  private vars: string[][] = [["$"]];
  private rangeDepth = 0;
  private readonly defines = new Map<string, ListNode>();

  constructor(
    private readonly tokens: Token[],
    private readonly isFunc: (name: string) => boolean,
  ) {}

  parseSource(): ParsedSource {
    const root: ListNode = { kind: "list", pos: 0, nodes: [] };
    for (;;) {
      const t = this.peek();
      if (t.type === "eof") break;
      if (t.type === "leftDelim" && this.isDefine()) {
        this.parseDefine();
        continue;
      }
      const { node, end } = this.parseItem();
      if (end) throw new TemplateSyntaxError(`unexpected {{${end.kind}}}`, end.pos);
      if (node) root.nodes.push(node);
    }
    return { root, defines: this.defines };
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  /** Next token, skipping spaces. */
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === "space") t = this.next();
    return t;
  }

  private peekNonSpace(): Token {
    let k = 0;
    while (this.peek(k).type === "space") k++;
    return this.peek(k);
  }

  private isDefine(): boolean {
    if (this.peek().value === "comment") return false;
    let k = 1;
    while (this.peek(k).type === "space") k++;
    return this.peek(k).type === "keyword" && this.peek(k).value === "define";
  }

  private unexpected(t: Token, context: string): never {
    const what = t.type === "eof" ? "EOF" : t.type === "rightDelim" ? `"}}"` : `"${t.value}"`;
    if (t.type === "eof") throw new TemplateSyntaxError("unexpected EOF", t.pos);
    throw new TemplateSyntaxError(`unexpected ${what} in ${context}`, t.pos);
  }

  private expectRightDelim(context: string): void {
    const t = this.nextNonSpace();
    if (t.type !== "rightDelim") this.unexpected(t, context);
  }

  private parseDefine(): void {
    this.next(); // {{
    this.nextNonSpace(); // define
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== "string" && nameTok.type !== "rawString") this.unexpected(nameTok, "define clause");
    const name = unquote(nameTok);
    this.expectRightDelim("define clause");
    const saved = this.vars;
    this.vars = [["$"]];
    const { list, end } = this.parseList();
    this.vars = saved;
    if (end.kind !== "end") throw new TemplateSyntaxError("unexpected {{else}} in define clause", end.pos);
    this.defines.set(name, list);
  }

  /** Parse nodes until {{end}} or {{else}}; returns the list and what ended it. */
  private parseList(): { list: ListNode; end: { kind: EndKind; pos: number; elseTokens?: boolean } } {
    const list: ListNode = { kind: "list", pos: this.peek().pos, nodes: [] };
    for (;;) {
      if (this.peek().type === "eof") throw new TemplateSyntaxError("unexpected EOF", this.peek().pos);
      if (this.peek().type === "leftDelim" && this.isDefine()) {
        throw new TemplateSyntaxError("unexpected <define> in command", this.peek().pos);
      }
      const { node, end } = this.parseItem();
      if (end) return { list, end };
      if (node) list.nodes.push(node);
    }
  }

  /** One text or action; returns `end` instead of a node at {{end}} / {{else…}}. */
  private parseItem(): { node?: Node; end?: { kind: EndKind; pos: number } } {
    const t = this.next();
    if (t.type === "text") return { node: { kind: "text", pos: t.pos, text: t.value } };
    if (t.type !== "leftDelim") this.unexpected(t, "input");
    if (t.value === "comment") {
      this.next(); // the comment's right delimiter
      return {};
    }
    const k = this.peekNonSpace();
    if (k.type === "keyword") {
      switch (k.value) {
        case "end":
          this.nextNonSpace();
          this.expectRightDelim("end");
          return { end: { kind: "end", pos: k.pos } };
        case "else":
          // Leave `{{else if …}}` / `{{else with …}}` for the branch parser to read.
          this.nextNonSpace();
          return { end: { kind: "else", pos: k.pos } };
        case "if":
        case "range":
        case "with":
          this.nextNonSpace();
          return { node: this.parseBranch(k.value, k.pos) };
        case "template":
        case "block":
          this.nextNonSpace();
          return { node: this.parseTemplate(k.value) };
        case "break":
        case "continue":
          this.nextNonSpace();
          if (this.rangeDepth === 0) throw new TemplateSyntaxError(`{{${k.value}}} outside {{range}}`, k.pos);
          this.expectRightDelim(k.value);
          return { node: { kind: k.value, pos: k.pos } };
        case "define":
          throw new TemplateSyntaxError("unexpected <define> in command", k.pos);
      }
    }
    const pipe = this.parsePipeline("command", true);
    return { node: { kind: "action", pos: pipe.pos, pipe } };
  }

  private parseBranch(kind: "if" | "range" | "with", pos: number): Node {
    this.vars.push([...this.vars[this.vars.length - 1]!]);
    const pipe = this.parsePipeline(kind, kind !== "if");
    if (kind === "range") this.rangeDepth++;
    let { list, end } = this.parseList();
    if (kind === "range") this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (end.kind === "else") {
      const nextTok = this.peekNonSpace();
      if ((kind === "if" && nextTok.value === "if") || (kind === "with" && nextTok.value === "with")) {
        // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}` with one shared {{end}}.
        this.nextNonSpace();
        this.vars.pop();
        const nested = this.parseBranch(kind, nextTok.pos);
        elseList = { kind: "list", pos: nextTok.pos, nodes: [nested] };
        const branch: BranchFields = { pos, pipe, list, elseList };
        return { kind, ...branch };
      }
      this.expectRightDelim("else");
      ({ list: elseList, end } = this.parseList());
      if (end.kind !== "end") throw new TemplateSyntaxError("expected end; found {{else}}", end.pos);
    }
    this.vars.pop();
    return { kind, pos, pipe, list, elseList };
  }

  private parseTemplate(kind: "template" | "block"): Node {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== "string" && nameTok.type !== "rawString") this.unexpected(nameTok, `${kind} clause`);
    const name = unquote(nameTok);
    let pipe: PipeNode | null = null;
    if (this.peekNonSpace().type !== "rightDelim") pipe = this.parsePipeline(`${kind} clause`, false);
    else this.expectRightDelim(`${kind} clause`);
    if (kind === "block") {
      const saved = this.vars;
      this.vars = [["$"]];
      const { list, end } = this.parseList();
      this.vars = saved;
      if (end.kind !== "end") throw new TemplateSyntaxError("unexpected {{else}} in block clause", end.pos);
      this.defines.set(name, list);
    }
    // Go positions a template action at its name.
    return { kind: "template", pos: nameTok.pos, name, pipe };
  }

  /** A pipeline up to and including the closing delimiter (or right paren for nested ones). */
  private parsePipeline(context: string, allowDecl: boolean, inParens = false): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { kind: "pipe", pos: start.pos, decl: [], isAssign: false, cmds: [] };
    if (allowDecl || context === "command") this.parseDeclarations(pipe, context);
    for (;;) {
      const t = this.peekNonSpace();
      if (!inParens && t.type === "rightDelim") {
        this.nextNonSpace();
        break;
      }
      if (inParens && t.type === "rightParen") {
        this.nextNonSpace();
        break;
      }
      if (t.type === "eof") this.unexpected(t, context);
      pipe.cmds.push(this.parseCommand(context, inParens));
      const after = this.peekNonSpace();
      if (after.type === "pipe") {
        this.nextNonSpace();
        const following = this.peekNonSpace();
        if (following.type === "rightDelim" || following.type === "rightParen") {
          throw new TemplateSyntaxError("missing command", following.pos);
        }
      }
    }
    if (pipe.cmds.length === 0) {
      if (context === "command") throw new TemplateSyntaxError("missing value for command", start.pos);
      throw new TemplateSyntaxError(`missing value for ${context}`, start.pos);
    }
    for (let i = 1; i < pipe.cmds.length; i++) {
      const first = pipe.cmds[i]!.args[0]!;
      if (["bool", "dot", "nil", "number", "string"].includes(first.kind)) {
        throw new TemplateSyntaxError(`non executable command in pipeline stage ${i + 1}`, first.pos);
      }
    }
    return pipe;
  }

  /** `$x :=` / `$x =` / `$i, $v :=` at the start of a pipeline. */
  private parseDeclarations(pipe: PipeNode, context: string): void {
    const save = this.i;
    const v1 = this.nextNonSpace();
    if (v1.type !== "variable") {
      this.i = save;
      return;
    }
    let op = this.nextNonSpace();
    const names = [v1];
    if (op.type === "comma" && context === "range") {
      const v2 = this.nextNonSpace();
      if (v2.type !== "variable")
        throw new TemplateSyntaxError(`range can only initialize variables`, v2.pos);
      names.push(v2);
      op = this.nextNonSpace();
    }
    if (op.type !== "declare" && op.type !== "assign") {
      this.i = save;
      return;
    }
    pipe.isAssign = op.type === "assign";
    for (const n of names) {
      const node: VariableNode = { kind: "variable", pos: n.pos, ident: [n.value] };
      pipe.decl.push(node);
      if (pipe.isAssign) {
        if (!this.hasVar(n.value)) throw new TemplateSyntaxError(`undefined variable "${n.value}"`, n.pos);
      } else {
        this.vars[this.vars.length - 1]!.push(n.value);
      }
    }
  }

  private hasVar(name: string): boolean {
    return this.vars[this.vars.length - 1]!.includes(name);
  }

  private parseCommand(context: string, inParens: boolean): CommandNode {
    const first = this.peekNonSpace();
    const cmd: CommandNode = { kind: "command", pos: first.pos, args: [] };
    for (;;) {
      const t = this.peek();
      if (t.type === "space") {
        this.next();
        continue;
      }
      if (t.type === "rightDelim" || t.type === "pipe" || (inParens && t.type === "rightParen")) break;
      if (t.type === "rightParen") throw new TemplateSyntaxError("unexpected right paren", t.pos);
      const operand = this.parseOperand(context);
      if (!operand) this.unexpected(t, "operand");
      cmd.args.push(operand);
      const after = this.peek();
      if (
        after.type !== "space" &&
        after.type !== "rightDelim" &&
        after.type !== "pipe" &&
        after.type !== "rightParen"
      ) {
        this.unexpected(after, "operand");
      }
    }
    if (cmd.args.length === 0) throw new TemplateSyntaxError("empty command", first.pos);
    return cmd;
  }

  private parseOperand(context: string): ArgNode | undefined {
    let node = this.parseTerm(context);
    if (!node) return undefined;
    // Field chain on a term: (x).a.b, $v.a is lexed as variable + field tokens.
    const fields: string[] = [];
    while (this.peek().type === "field") fields.push(this.next().value.slice(1));
    if (fields.length > 0) {
      switch (node.kind) {
        case "field":
          node = { ...node, ident: [...node.ident, ...fields] };
          break;
        case "variable":
          node = { ...node, ident: [...node.ident, ...fields] };
          break;
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          throw new TemplateSyntaxError(
            `unexpected . after term "${node.kind === "string" ? node.quoted : node.kind}"`,
            node.pos,
          );
        default:
          node = { kind: "chain", pos: node.pos, node, field: fields };
      }
    }
    return node;
  }

  private parseTerm(context: string): ArgNode | undefined {
    const t = this.next();
    switch (t.type) {
      case "identifier":
        if (!this.isFunc(t.value)) throw new TemplateSyntaxError(`function "${t.value}" not defined`, t.pos);
        return { kind: "identifier", pos: t.pos, name: t.value };
      case "dot":
        return { kind: "dot", pos: t.pos };
      case "nil":
        return { kind: "nil", pos: t.pos };
      case "variable":
        if (!this.hasVar(t.value)) throw new TemplateSyntaxError(`undefined variable "${t.value}"`, t.pos);
        return { kind: "variable", pos: t.pos, ident: [t.value] };
      case "field":
        return { kind: "field", pos: t.pos, ident: [t.value.slice(1)] };
      case "bool":
        return { kind: "bool", pos: t.pos, value: t.value === "true" };
      case "char":
      case "number":
        return parseNumber(t);
      case "string":
      case "rawString":
        return { kind: "string", pos: t.pos, quoted: t.value, text: unquote(t) } satisfies StringNode;
      case "leftParen": {
        const pipe = this.parsePipeline(context, false, true);
        return pipe;
      }
      case "keyword":
        throw new TemplateSyntaxError(
          `unexpected <${t.value}> in ${context === "command" ? "command" : context}`,
          t.pos,
        );
      default:
        this.i--;
        return undefined;
    }
  }
}

/** Decode a Go string literal (interpreted or raw). */
export function unquote(t: Token): string {
  if (t.type === "rawString") return t.value.slice(1, -1).replace(/\r/g, "");
  return decodeEscapes(t.value.slice(1, -1), t.pos, '"');
}

function decodeEscapes(body: string, pos: number, quote: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = {
      a: "\x07",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "\t",
      v: "\v",
      "\\": "\\",
    };
    if (e !== undefined && e in simple) {
      out += simple[e];
    } else if (e === quote) {
      out += quote;
    } else if (e === "x" || e === "u" || e === "U") {
      const len = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len)
        throw new TemplateSyntaxError("invalid syntax", pos);
      const code = Number.parseInt(hex, 16);
      out += e === "x" ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += len;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new TemplateSyntaxError("invalid syntax", pos);
      out += String.fromCharCode(Number.parseInt(oct, 8));
      i += 2;
    } else {
      throw new TemplateSyntaxError("invalid syntax", pos);
    }
  }
  return out;
}

/** Go's number constant rules: which of int/float a literal can be. */
function parseNumber(t: Token): NumberNode {
  const node: NumberNode = {
    kind: "number",
    pos: t.pos,
    text: t.value,
    isInt: false,
    isFloat: false,
    int: 0n,
    float: 0,
    isChar: false,
  };
  if (t.type === "char") {
    const body = decodeEscapes(t.value.slice(1, -1), t.pos, "'");
    if ([...body].length !== 1)
      throw new TemplateSyntaxError(`malformed character constant: ${t.value}`, t.pos);
    const code = body.codePointAt(0)!;
    return { ...node, isInt: true, isFloat: true, int: BigInt(code), float: code, isChar: true };
  }
  const text = t.value.replace(/_/g, "");
  if (text.endsWith("i"))
    throw new TemplateSyntaxError(`complex constants are not supported: ${t.value}`, t.pos);
  const sign = text.startsWith("-") ? -1n : 1n;
  const unsigned = text.replace(/^[+-]/, "");
  const isIntSyntax =
    /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$/.test(unsigned) && !/^0[0-9]*[89]/.test(unsigned);
  if (isIntSyntax) {
    let digits = unsigned;
    if (/^0[oO]/.test(digits)) digits = `0o${digits.slice(2)}`;
    else if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
    const value = sign * BigInt(digits);
    if (value < -(2n ** 63n) || value >= 2n ** 64n)
      throw new TemplateSyntaxError(`integer overflow: ${t.value}`, t.pos);
    return { ...node, isInt: value < 2n ** 63n, isFloat: true, int: value, float: Number(value) };
  }
  const f = (/^0[xX]/.test(unsigned) ? hexFloat(unsigned) : Number(unsigned)) * Number(sign);
  if (!Number.isFinite(f)) throw new TemplateSyntaxError(`illegal number syntax: "${t.value}"`, t.pos);
  const isInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
  return { ...node, isFloat: true, isInt, int: isInt ? BigInt(f) : 0n, float: f };
}

/** Go hex float literal (`0x1p-2`, `0x1.8p3`): hex mantissa times a power of two. */
function hexFloat(text: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(text);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) return Number.NaN;
  const frac = m[2] ?? "";
  const mantissa = Number.parseInt(`${m[1]}${frac}` || "0", 16) / 16 ** frac.length;
  return mantissa * 2 ** Number(m[3]);
}
