/**
 * The parse tree of a template: plain data, every node with its source offset. `nodeString`
 * prints a node as Go does in error messages (`at <.Values.foo>`).
 */

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

export interface ListNode {
  kind: "list";
  pos: number;
  nodes: Node[];
}
export interface TextNode {
  kind: "text";
  pos: number;
  text: string;
}
export interface ActionNode {
  kind: "action";
  pos: number;
  pipe: PipeNode;
}
export interface BranchFields {
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface IfNode extends BranchFields {
  kind: "if";
}
export interface RangeNode extends BranchFields {
  kind: "range";
}
export interface WithNode extends BranchFields {
  kind: "with";
}
export interface TemplateNode {
  kind: "template";
  pos: number;
  name: string;
  pipe: PipeNode | null;
}
export interface BreakNode {
  kind: "break";
  pos: number;
}
export interface ContinueNode {
  kind: "continue";
  pos: number;
}

export interface PipeNode {
  kind: "pipe";
  pos: number;
  /** Variables declared (`:=`) or assigned (`=`) by this pipeline. */
  decl: VariableNode[];
  isAssign: boolean;
  cmds: CommandNode[];
}
export interface CommandNode {
  kind: "command";
  pos: number;
  args: ArgNode[];
}

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

export interface FieldNode {
  kind: "field";
  pos: number;
  /** Field names without dots: `.a.b` → ["a", "b"]. */
  ident: string[];
}
export interface VariableNode {
  kind: "variable";
  pos: number;
  /** `$x.a.b` → ["$x", "a", "b"]. */
  ident: string[];
}
export interface ChainNode {
  kind: "chain";
  pos: number;
  node: ArgNode;
  field: string[];
}
export interface IdentifierNode {
  kind: "identifier";
  pos: number;
  name: string;
}
export interface DotNode {
  kind: "dot";
  pos: number;
}
export interface NilNode {
  kind: "nil";
  pos: number;
}
export interface BoolNode {
  kind: "bool";
  pos: number;
  value: boolean;
}
/** A number constant, with the kinds Go's parser determines for it. */
export interface NumberNode {
  kind: "number";
  pos: number;
  text: string;
  isInt: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
  /** Character constants ('a') are ints that print as such. */
  isChar: boolean;
}
export interface StringNode {
  kind: "string";
  pos: number;
  /** The source text, quotes included. */
  quoted: string;
  text: string;
}

/** A node as Go prints it in errors. */
export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.kind) {
    case "field":
      return n.ident.map((i) => `.${i}`).join("");
    case "variable":
      return n.ident.join(".");
    case "chain": {
      const inner = n.node.kind === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + n.field.map((f) => `.${f}`).join("");
    }
    case "identifier":
      return n.name;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return String(n.value);
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "pipe": {
      const decl =
        n.decl.length > 0 ? `${n.decl.map(nodeString).join(", ")} ${n.isAssign ? "=" : ":="} ` : "";
      return decl + n.cmds.map(nodeString).join(" | ");
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
    case "with":
      return `{{${n.kind} ${nodeString(n.pipe)}}}`;
    case "template":
      return `{{template "${n.name}"${n.pipe ? ` ${nodeString(n.pipe)}` : ""}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
  }
}
