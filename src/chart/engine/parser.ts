/**
 * Parser for Go's text/template: tokens → trees. One call parses one source text into its own
 * tree and the trees it `define`s or `block`s, with Go's rules and messages: functions and
 * variables must be known (`function "x" not defined`, `undefined variable "$x"`), `{{break}}` only
 * inside `{{range}}`, two non-empty definitions of one name in one text are an error. A parse error
 * reports the line of the furthest token read, as Go does.
 */
import type {
  ArgNode,
  CommandNode,
  IfNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  RangeNode,
  TemplateNode,
  VariableNode,
  WithNode,
} from "./ast.ts";
import { isEmptyTree, nodeString } from "./ast.ts";
import { isKeywordToken, lex, TemplateSyntaxError, type Token, type TokenType } from "./lexer.ts";
import { goQuote, goQuotePrefix } from "./quote.ts";
import { goBytes, goString } from "./value.ts";

/** The trees one text defines: its own (under the name it was parsed as) and its `define`s. */
export type TreeSet = Map<string, ListNode>;

export interface ParseOptions {
  /** Whether an identifier names a function (else `function "x" not defined`). */
  isFunc: (name: string) => boolean;
  leftDelim?: string;
  rightDelim?: string;
}

/** Parse `text` as the template `name`. Throws TemplateSyntaxError with Go's message and line. */
export function parse(name: string, text: string, opts: ParseOptions): TreeSet {
  const tokens = lex(text, opts.leftDelim, opts.rightDelim);
  try {
    return new Parser(tokens, opts.isFunc).parseText(name);
  } catch (err) {
    // Nesting deep enough to exhaust the JS stack (thousands of ifs or parentheses) is refused
    // cleanly, as Go refuses parentheses nested deeper than its parser's stack bound.
    if (err instanceof RangeError) throw new TemplateSyntaxError("max expression depth exceeded", 1);
    throw err;
  }
}

/** Go's bound on nested parenthesized pipelines. */
const MAX_PAREN_DEPTH = 10000;

/**
 * Bound on nested if/range/with/block bodies. Go has none (its stacks grow), but a JS stack
 * overflows somewhere past a few thousand levels, at a depth that depends on the runtime, and
 * slowly; a fixed bound fails such a template at once and always at the same depth.
 */
const MAX_LIST_DEPTH = 2000;

/** `{{end}}` / `{{else}}`: they close a list rather than being part of it. */
interface Closer {
  readonly kind: "end" | "else";
  readonly pos: number;
}

type Item = Node | Closer;

function isCloser(n: Item): n is Closer {
  return n.kind === "end" || n.kind === "else";
}

const OPERAND_START: ReadonlySet<TokenType> = new Set<TokenType>([
  "bool",
  "charConstant",
  "complex",
  "dot",
  "field",
  "identifier",
  "number",
  "nil",
  "rawString",
  "string",
  "variable",
  "leftParen",
]);

class Parser {
  private i = 0;
  /** Furthest token index read: parse errors report its line. */
  private seen = 0;
  /** Variables in scope, innermost last. */
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  private parenDepth = 0;
  private listDepth = 0;
  /** Line of the action being parsed (0 outside one), for "… in action started at …". */
  private actionLine = 0;
  private parseName = "";
  private readonly treeSet: TreeSet = new Map();

  constructor(
    private readonly tokens: Token[],
    private readonly isFunc: (name: string) => boolean,
  ) {}

  parseText(name: string): TreeSet {
    this.parseName = name;
    const root: ListNode = { kind: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== "eof") {
      if (this.peek().type === "leftDelim") {
        const delim = this.i;
        this.next();
        if (this.nextNonSpace().type === "define") {
          this.parseDefinition();
          continue;
        }
        this.i = delim;
      }
      const n = this.textOrAction();
      if (isCloser(n)) this.errorf(`unexpected {{${n.kind}}}`);
      else root.nodes.push(n);
    }
    this.add(name, root);
    return this.treeSet;
  }

  // --- tokens -------------------------------------------------------------------------------

  private peek(): Token {
    // Reading past the end keeps returning eof (backup still steps back one read).
    const i = Math.min(this.i, this.tokens.length - 1);
    if (i > this.seen) this.seen = i;
    return this.tokens[i]!;
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private backup(): void {
    this.i--;
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === "space") t = this.next();
    return t;
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private errorf(message: string, line = this.tokens[this.seen]!.line): never {
    throw new TemplateSyntaxError(message, line);
  }

  /** Go's item.String() for "unexpected" messages. */
  private tokenString(t: Token): string {
    if (t.type === "eof") return "EOF";
    if (t.type === "error") return t.value;
    if (isKeywordToken(t.type)) return `<${t.value}>`;
    if (Buffer.byteLength(t.value) > 10) return `${goQuotePrefix(t.value, 10)}...`;
    return goQuote(t.value);
  }

  private unexpected(t: Token, context: string): never {
    if (t.type === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        // Avoid "unclosed action in action started at …".
        if (t.value.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(t.value + extra);
    }
    this.errorf(`unexpected ${this.tokenString(t)} in ${context}`);
  }

  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  // --- trees --------------------------------------------------------------------------------

  /** Record a finished tree; an empty body never replaces a definition from the same text. */
  private add(name: string, root: ListNode, line?: number): void {
    const existing = this.treeSet.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.treeSet.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(name)}`, line);
  }

  /** Parse a nested tree (define or block body) with its own variables and loop depth. */
  private subtree(): { root: ListNode; end: Closer } {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth, actionLine: this.actionLine };
    this.vars = ["$"];
    this.rangeDepth = 0;
    this.actionLine = 0;
    try {
      const [root, end] = this.itemList();
      return { root, end };
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
      this.actionLine = saved.actionLine;
    }
  }

  private parseDefinition(): void {
    const context = "define clause";
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== "string" && nameTok.type !== "rawString") this.unexpected(nameTok, context);
    const name = this.unquote(nameTok);
    this.expect("rightDelim", context);
    const { root, end } = this.subtree();
    if (end.kind !== "end") this.errorf(`unexpected {{${end.kind}}} in ${context}`);
    this.add(name, root);
  }

  /** Nodes up to an `{{end}}` or `{{else}}`, which is returned with them. */
  private itemList(): [ListNode, Closer] {
    if (this.listDepth >= MAX_LIST_DEPTH) this.errorf("max expression depth exceeded");
    this.listDepth++;
    const list: ListNode = { kind: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (isCloser(n)) {
        this.listDepth--;
        return [list, n];
      }
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Item {
    const t = this.nextNonSpace();
    if (t.type === "text") return { kind: "text", pos: t.pos, text: t.value };
    if (t.type !== "leftDelim") this.unexpected(t, "input");
    this.actionLine = t.line;
    try {
      return this.action();
    } finally {
      this.actionLine = 0;
    }
  }

  private action(): Item {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "block":
        return this.blockControl();
      case "break":
      case "continue":
        return this.loopControl(t);
      case "else":
        return this.elseControl();
      case "end":
        return { kind: "end", pos: this.expect("rightDelim", "end").pos };
      case "if":
      case "range":
      case "with":
        return this.control(t.type);
      case "template":
        return this.templateControl();
    }
    this.backup();
    const first = this.peek();
    return { kind: "action", pos: first.pos, pipe: this.pipeline("command", "rightDelim") };
  }

  private loopControl(t: Token): Node {
    const kind = t.type as "break" | "continue";
    const after = this.nextNonSpace();
    if (after.type !== "rightDelim") this.unexpected(after, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { kind, pos: t.pos };
  }

  private elseControl(): Closer {
    const t = this.peekNonSpace();
    // `{{else if …}}` / `{{else with …}}`: leave the keyword for the enclosing control.
    if (t.type === "if" || t.type === "with") return { kind: "else", pos: t.pos };
    return { kind: "else", pos: this.expect("rightDelim", "else").pos };
  }

  private control(kind: "if" | "range" | "with"): IfNode | RangeNode | WithNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, "rightDelim");
      if (kind === "range") this.rangeDepth++;
      const [list, closer] = this.itemList();
      if (kind === "range") this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (closer.kind === "else") {
        const t = this.peek();
        if (kind !== "range" && t.type === kind) {
          // `{{if a}}…{{else if b}}…{{end}}` is `{{if a}}…{{else}}{{if b}}…{{end}}{{end}}`.
          this.next();
          // A chain of else-ifs nests like bodies do (in the tree and on the stack).
          if (this.listDepth >= MAX_LIST_DEPTH) this.errorf("max expression depth exceeded");
          this.listDepth++;
          elseList = { kind: "list", pos: closer.pos, nodes: [this.control(kind)] };
          this.listDepth--;
        } else {
          const [tail, end] = this.itemList();
          if (end.kind !== "end") this.errorf(`expected end; found {{${end.kind}}}`);
          elseList = tail;
        }
      }
      return { kind, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== "string" && t.type !== "rawString") this.unexpected(t, context);
    return this.unquote(t);
  }

  private templateControl(): TemplateNode {
    const context = "template clause";
    const nameTok = this.nextNonSpace();
    const name = this.templateName(nameTok, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { kind: "template", pos: nameTok.pos, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = "block clause";
    const nameTok = this.nextNonSpace();
    const name = this.templateName(nameTok, context);
    const pipe = this.pipeline(context, "rightDelim");
    // An error about the block's own end is reported by the enclosing tree, at its last token.
    const ownLine = this.tokens[this.seen]!.line;
    const { root, end } = this.subtree();
    if (end.kind !== "end") this.errorf(`unexpected {{${end.kind}}} in ${context}`, ownLine);
    this.add(name, root);
    return { kind: "template", pos: nameTok.pos, name, pipe };
  }

  // --- pipelines ----------------------------------------------------------------------------

  private pipeline(context: string, end: "rightDelim" | "rightParen"): PipeNode {
    const decl: VariableNode[] = [];
    let isAssign = false;
    const pos = this.peekNonSpace().pos;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== "variable") break;
      const at = this.i;
      this.next();
      const op = this.peekNonSpace();
      if (op.type === "assign" || op.type === "declare") {
        isAssign = op.type === "assign";
        this.nextNonSpace();
        decl.push({ kind: "variable", pos: v.pos, ident: [v.value] });
        this.vars.push(v.value);
        break;
      }
      if (op.type === "char" && op.value === ",") {
        this.nextNonSpace();
        decl.push({ kind: "variable", pos: v.pos, ident: [v.value] });
        this.vars.push(v.value);
        if (context === "range" && decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === "variable" || t === "rightDelim" || t === "rightParen") continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      }
      // Not a declaration: the variable is the first operand.
      this.i = at;
      break;
    }
    const pipe: PipeNode = { kind: "pipe", pos, decl, isAssign, cmds: [] };
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!OPERAND_START.has(t.type)) this.unexpected(t, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      switch (pipe.cmds[i]!.args[0]!.kind) {
        case "bool":
        case "dot":
        case "nil":
        case "number":
        case "string":
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === "space") continue;
      if (t.type === "rightDelim" || t.type === "rightParen") this.backup();
      else if (t.type !== "pipe") this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null || this.peek().type !== "field") return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === "field") fields.push(this.next().value.slice(1));
    switch (node.kind) {
      case "field":
        return { kind: "field", pos, ident: [...node.ident, ...fields] };
      case "variable":
        return { kind: "variable", pos, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
    }
    return { kind: "chain", pos, node, field: fields };
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "identifier":
        if (!this.isFunc(t.value)) this.errorf(`function ${goQuote(t.value)} not defined`);
        return { kind: "identifier", pos: t.pos, name: t.value };
      case "dot":
        return { kind: "dot", pos: t.pos };
      case "nil":
        return { kind: "nil", pos: t.pos };
      case "variable":
        if (!this.vars.includes(t.value)) this.errorf(`undefined variable ${goQuote(t.value)}`);
        return { kind: "variable", pos: t.pos, ident: [t.value] };
      case "field":
        return { kind: "field", pos: t.pos, ident: [t.value.slice(1)] };
      case "bool":
        return { kind: "bool", pos: t.pos, value: t.value === "true" };
      case "charConstant":
      case "complex":
      case "number":
        return this.number(t);
      case "leftParen": {
        if (this.parenDepth >= MAX_PAREN_DEPTH) this.errorf("max expression depth exceeded");
        this.parenDepth++;
        try {
          return this.pipeline("parenthesized pipeline", "rightParen");
        } finally {
          this.parenDepth--;
        }
      }
      case "string":
      case "rawString":
        return { kind: "string", pos: t.pos, quoted: t.value, text: this.unquote(t) };
    }
    this.backup();
    return null;
  }

  private unquote(t: Token): string {
    const s = unquoteGo(t.value);
    if (s === null) this.errorf("invalid syntax");
    return s;
  }

  private number(t: Token): NumberNode {
    const r = parseNumber(t.type, t.value);
    if (typeof r === "string") this.errorf(r);
    return { kind: "number", pos: t.pos, text: t.value, ...r };
  }
}

// --- literals ---------------------------------------------------------------------------------

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
};

/**
 * One character of a Go quoted literal starting at `i` (strconv.UnquoteChar): its code point (or
 * byte, for \x and octal escapes: `isByte`) and the index after it; null when malformed.
 */
function unquoteChar(
  s: string,
  i: number,
  quote: string,
): { value: number; isByte: boolean; end: number } | null {
  const c = s[i];
  if (c === undefined) return null;
  if (c === quote && (quote === "'" || quote === '"')) return null;
  if (c !== "\\") {
    const cp = s.codePointAt(i)!;
    return { value: cp, isByte: false, end: i + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[i + 1];
  if (e === undefined) return null;
  if (e in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[e]!, isByte: false, end: i + 2 };
  if (e === "'" || e === '"')
    return e === quote ? { value: e.charCodeAt(0), isByte: false, end: i + 2 } : null;
  if (e === "x" || e === "u" || e === "U") {
    const n = e === "x" ? 2 : e === "u" ? 4 : 8;
    const digits = s.slice(i + 2, i + 2 + n);
    if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) return null;
    const v = Number.parseInt(digits, 16);
    if (e === "x") return { value: v, isByte: true, end: i + 2 + n };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
    return { value: v, isByte: false, end: i + 2 + n };
  }
  if (e >= "0" && e <= "7") {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) return null;
    const v = Number.parseInt(digits, 8);
    if (v > 255) return null;
    return { value: v, isByte: true, end: i + 4 };
  }
  return null;
}

/** strconv.Unquote for template string literals ("…" or `…`); null when malformed. */
export function unquoteGo(lit: string): string | null {
  if (lit.startsWith("`")) return lit.slice(1, -1).replace(/\r/g, "");
  const body = lit.slice(1, -1);
  if (!body.includes("\\")) return body;
  let out = "";
  let bytes = false;
  for (let i = 0; i < body.length; ) {
    const r = unquoteChar(body, i, '"');
    if (r === null) return null;
    if (r.isByte && r.value >= 0x80) {
      // A raw byte: keep it as Go keeps it (see goString), merged with its neighbours below.
      out += String.fromCharCode(0xdc00 + r.value);
      bytes = true;
    } else {
      out += String.fromCodePoint(r.value);
    }
    i = r.end;
  }
  return bytes ? goString(goBytes(out)) : out;
}

const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;

/** Digits with Go's underscore rule: `_` only between digits (or after a base prefix). */
function underscoresOk(s: string): boolean {
  if (!s.includes("_")) return true;
  let body = s.replace(/^[+-]/, "");
  let prev = "digit";
  if (/^0[xXbBoO]/.test(body)) body = body.slice(2);
  else if (body.startsWith("0")) body = body.slice(1);
  for (const c of body) {
    if (c === "_") {
      if (prev !== "digit") return false;
      prev = "_";
    } else if (/[0-9a-fA-F]/.test(c)) {
      prev = "digit";
    } else {
      if (prev === "_") return false;
      prev = "other";
    }
  }
  return prev !== "_";
}

/** strconv.ParseUint(s, 0, 64). */
function parseUint(s: string): bigint | null {
  if (!underscoresOk(s)) return null;
  const t = s.replace(/_/g, "");
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[bB][01]+$/.test(t)) v = BigInt(t);
  else if (/^0[oO][0-7]+$/.test(t)) v = BigInt(`0o${t.slice(2)}`);
  else if (/^0[0-9]/.test(t)) {
    // A leading 0 means octal.
    if (!/^0[0-7]+$/.test(t)) return null;
    v = BigInt(`0o${t.slice(1)}`);
  } else if (/^[0-9]+$/.test(t)) v = BigInt(t);
  else return null;
  return v <= MAX_UINT64 ? v : null;
}

/** strconv.ParseInt(s, 0, 64). */
function parseInt64(s: string): bigint | null {
  const neg = s.startsWith("-");
  const u = parseUint(s.startsWith("-") || s.startsWith("+") ? s.slice(1) : s);
  if (u === null) return null;
  const v = neg ? -u : u;
  return v > MAX_INT64 || v < -(MAX_INT64 + 1n) ? null : v;
}

/** strconv.ParseFloat(s, 64) for number tokens (decimal or hex with a p exponent); null if invalid or out of range. */
function parseFloat64(s: string): number | null {
  if (!underscoresOk(s)) return null;
  const t = s.replace(/_/g, "");
  let v: number;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(t);
  if (hex) {
    const [, sign, int = "", frac = ""] = hex;
    if (int === "" && frac === "") return null;
    const mant = Number.parseInt(`${int}${frac}` || "0", 16) / 16 ** frac.length;
    v = (sign === "-" ? -1 : 1) * mant * 2 ** Number(hex[4]);
  } else if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) {
    v = Number(t);
  } else {
    return null;
  }
  return Number.isFinite(v) ? v : null;
}

type NumberFields = Omit<NumberNode, "kind" | "pos" | "text">;

/** A decimal integer well inside int64 (no sign but `-`, no leading zero, no underscore). */
const SMALL_DECIMAL = /^-?(?:0|[1-9][0-9]{0,14})$/;

/** Go's rules for what a number constant can be; a string is the error message. */
export function parseNumber(type: TokenType, text: string): NumberFields | string {
  if (type === "complex" || text.endsWith("i"))
    return `complex constants are not supported: ${goQuote(text)}`;
  if (type === "charConstant") {
    const r = unquoteChar(text, 1, "'");
    if (r === null) return "invalid syntax";
    if (text.slice(r.end) !== "'") return `malformed character constant: ${text}`;
    const v = BigInt(r.value);
    return { isInt: true, isUint: true, isFloat: true, int: v, float: r.value, ideal: v };
  }
  if (SMALL_DECIMAL.test(text)) {
    // Most constants in charts: what the general rules below conclude, without their regexes.
    const int = BigInt(text);
    return { isInt: true, isUint: int >= 0n, isFloat: true, int, float: Number(int), ideal: int };
  }
  const u = parseUint(text);
  const i = parseInt64(text);
  let isInt = i !== null;
  let isUint = u !== null || i === 0n;
  let int = i ?? 0n;
  let float = 0;
  let isFloat = false;
  if (isInt) {
    isFloat = true;
    float = Number(int);
  } else if (isUint) {
    isFloat = true;
    float = Number(u);
  } else {
    const f = parseFloat64(text);
    if (f !== null) {
      // Parsed as a float but written as an integer: too large for int64/uint64.
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${goQuote(text)}`;
      isFloat = true;
      float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        isInt = true;
        int = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) isUint = true;
    }
  }
  if (!isInt && !isUint && !isFloat) return `illegal number syntax: ${goQuote(text)}`;
  // Go's untyped value: a float when written like one (not hex ints, not chars), else an int.
  const isHexInt = /^0[xX]/.test(text) && !/[pP]/.test(text);
  let ideal: bigint | number | null = null;
  if (isFloat && !isHexInt && /[.eEpP]/.test(text)) ideal = float;
  else if (isInt) ideal = int;
  return { isInt, isUint, isFloat, int, float, ideal };
}
