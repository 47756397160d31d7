/**
 * The parse tree of a template: plain data, every node with its source offset (`pos`, a UTF-16
 * index into the text its template was parsed from). `nodeString` prints a node the way Go's
 * text/template does inside errors (`executing "x" at <.Values.foo>`).
 */
import { goQuote } from "./quote.ts";

/** A node that can appear in a template body. */
export type Node =
  | ListNode
  | TextNode
  | ActionNode
  | IfNode
  | RangeNode
  | WithNode
  | TemplateNode
  | BreakNode
  | ContinueNode;

/** A node that can be an operand of a command. */
export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

/** Anything the executor can point at in an error. */
export type AnyNode = Node | ArgNode | CommandNode;

export interface ListNode {
  readonly kind: "list";
  readonly pos: number;
  readonly nodes: Node[];
}

export interface TextNode {
  readonly kind: "text";
  readonly pos: number;
  readonly text: string;
}

/** `{{pipeline}}`: evaluates and prints, unless the pipeline declares variables. */
export interface ActionNode {
  readonly kind: "action";
  readonly pos: number;
  readonly pipe: PipeNode;
}

interface BranchNode {
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}

export interface IfNode extends BranchNode {
  readonly kind: "if";
}

export interface RangeNode extends BranchNode {
  readonly kind: "range";
}

export interface WithNode extends BranchNode {
  readonly kind: "with";
}

/** `{{template "name" pipeline}}` (also what `{{block}}` leaves in place). */
export interface TemplateNode {
  readonly kind: "template";
  readonly pos: number;
  readonly name: string;
  readonly pipe: PipeNode | null;
}

export interface BreakNode {
  readonly kind: "break";
  readonly pos: number;
}

export interface ContinueNode {
  readonly kind: "continue";
  readonly pos: number;
}

/** A pipeline: optional variable declarations/assignments, then commands separated by `|`. */
export interface PipeNode {
  readonly kind: "pipe";
  readonly pos: number;
  /** Variables declared (`:=`) or assigned (`=`), each a one-element ident. */
  readonly decl: VariableNode[];
  readonly isAssign: boolean;
  readonly cmds: CommandNode[];
}

/** One command: its first operand (function, field, value) and the arguments after it. */
export interface CommandNode {
  readonly kind: "command";
  readonly pos: number;
  readonly args: ArgNode[];
}

/** `.a.b.c` → ident ["a", "b", "c"]. */
export interface FieldNode {
  readonly kind: "field";
  readonly pos: number;
  readonly ident: string[];
}

/** `$x.a.b` → ident ["$x", "a", "b"]. */
export interface VariableNode {
  readonly kind: "variable";
  readonly pos: number;
  readonly ident: string[];
}

/** Fields applied to another term: `(pipeline).a.b`, `fn.a`. */
export interface ChainNode {
  readonly kind: "chain";
  readonly pos: number;
  readonly node: ArgNode;
  readonly field: string[];
}

/** A function name. */
export interface IdentifierNode {
  readonly kind: "identifier";
  readonly pos: number;
  readonly name: string;
}

export interface DotNode {
  readonly kind: "dot";
  readonly pos: number;
}

export interface NilNode {
  readonly kind: "nil";
  readonly pos: number;
}

export interface BoolNode {
  readonly kind: "bool";
  readonly pos: number;
  readonly value: boolean;
}

/**
 * A numeric constant with the interpretations Go allows for it (a constant can be int and float
 * at once: `1e3`, `'a'`). `isUint` marks values that fit uint64 but not int64.
 */
export interface NumberNode {
  readonly kind: "number";
  readonly pos: number;
  /** The source text. */
  readonly text: string;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly int: bigint;
  readonly float: number;
  /** Go's untyped value of the constant (an int, or a float64 when written as one). */
  readonly ideal: bigint | number | null;
}

export interface StringNode {
  readonly kind: "string";
  readonly pos: number;
  /** The source text, quotes included. */
  readonly quoted: string;
  readonly text: string;
}

/** A node as Go prints it in errors. */
export function nodeString(n: AnyNode): string {
  switch (n.kind) {
    case "field":
      return `.${n.ident.join(".")}`;
    case "variable":
      return n.ident.join(".");
    case "chain":
      return (
        (n.node.kind === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node)) + `.${n.field.join(".")}`
      );
    case "identifier":
      return n.name;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) s = `${n.decl.map(nodeString).join(", ")}${n.isAssign ? " = " : " := "}`;
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => (a.kind === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "text":
      return n.text;
    case "list":
      return n.nodes.map(nodeString).join("");
    case "if":
    case "range":
    case "with": {
      const body = `{{${n.kind} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      return n.elseList ? `${body}{{else}}${nodeString(n.elseList)}{{end}}` : `${body}{{end}}`;
    }
    case "template":
      return n.pipe
        ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}`
        : `{{template ${goQuote(n.name)}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
  }
}

/**
 * Go's parse.IsEmptyTree: a body made only of whitespace text (and comments, which the parser
 * drops). Such a body never replaces an existing template of the same name.
 */
export function isEmptyTree(list: ListNode): boolean {
  for (const n of list.nodes) {
    if (n.kind !== "text" || !isBlank(n.text)) return false;
  }
  return true;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // bytes.TrimSpace: Unicode white space.
    if (c !== 32 && !(c >= 9 && c <= 13) && c !== 0x85 && c !== 0xa0 && !/\s/.test(s[i]!)) return false;
  }
  return true;
}
