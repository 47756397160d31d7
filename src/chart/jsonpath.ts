/**
 * The kubectl JSONPath templates `helm show values --jsonpath` accepts: literal text, and actions in
 * braces — `$`/`@`, `.field`, `['field']`, `.*`, `..field` (recursive), `[n]`, `[a:b:s]`, `[*]`,
 * unions `[a,b]`, filters `[?(@.x == "y")]`, string literals and `range … end`. Output as kubectl
 * prints it: maps and lists as JSON, other values with Go's `%v`, results of one action separated
 * by spaces. A path that finds nothing fails the whole template, which Helm prints as nothing.
 * Maps are walked in sorted key order where kubectl's order is Go's random map order.
 */
import { formatValue } from "./engine/fmt.ts";
import { toJson } from "./engine/funcs/serialize.ts";
import { type GoValue, isGoMap, sortedKeys } from "./engine/value.ts";

/** A template that does not parse; the message is kubectl's. */
export class JsonPathParseError extends Error {}
class NotFound extends Error {}

type Step =
  | { t: "field"; name: string }
  | { t: "wildcard" }
  | { t: "recursive" }
  | { t: "index"; start: number | null; end: number | null; step: number | null; single: boolean }
  | { t: "union"; keys: Step[] }
  | { t: "filter"; left: Path; op: string; right: Path | GoValue | undefined };

interface Path {
  root: "$" | "@";
  steps: Step[];
}

type Node =
  | { t: "text"; text: string }
  | { t: "path"; path: Path }
  | { t: "range"; path: Path; body: Node[] };

function parseIndexPart(text: string, whole: string): number | null {
  const s = text.trim();
  if (s === "") return null;
  if (!/^-?\d+$/.test(s)) throw new JsonPathParseError(`invalid array index ${whole}`);
  return Number(s);
}

/** Parse one bracket body (without the brackets). */
function parseBracket(body: string): Step {
  const b = body.trim();
  if (b === "*") return { t: "wildcard" };
  if (b.startsWith("?(") && b.endsWith(")")) return parseFilter(b.slice(2, -1));
  if (b.includes(",")) return { t: "union", keys: b.split(",").map((part) => parseBracket(part)) };
  const quoted = /^'(.*)'$/.exec(b);
  if (quoted) return { t: "field", name: quoted[1]! };
  const parts = b.split(":");
  if (parts.length > 3) throw new JsonPathParseError(`invalid array index ${b}`);
  const [start, end, step] = parts.map((p) => parseIndexPart(p, b));
  return {
    t: "index",
    start: start ?? null,
    end: end ?? null,
    step: step ?? null,
    single: parts.length === 1,
  };
}

function parseFilter(expr: string): Step {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(expr);
  if (!m) return { t: "filter", left: parsePath(expr.trim()), op: "exists", right: undefined };
  const rightText = m[3]!.trim();
  let right: Path | GoValue;
  if (/^(['"]).*\1$/.test(rightText)) right = rightText.slice(1, -1);
  else if (/^-?\d+(\.\d+)?$/.test(rightText)) right = Number(rightText);
  else if (rightText === "true" || rightText === "false") right = rightText === "true";
  else right = parsePath(rightText);
  return { t: "filter", left: parsePath(m[1]!.trim()), op: m[2]!, right };
}

/** Parse a path expression such as `$.a['b'][0]..c`. */
function parsePath(text: string): Path {
  let i = 0;
  let root: "$" | "@" = "@";
  if (text[0] === "$" || text[0] === "@") {
    root = text[0] === "$" ? "$" : "@";
    i = 1;
  }
  const steps: Step[] = [];
  while (i < text.length) {
    const c = text[i]!;
    if (c === ".") {
      if (text[i + 1] === ".") {
        steps.push({ t: "recursive" });
        i += 2;
        continue;
      }
      i++;
      if (text[i] === "*") {
        steps.push({ t: "wildcard" });
        i++;
        continue;
      }
      const m = /^[^.[\s]*/.exec(text.slice(i))!;
      if (m[0] !== "") steps.push({ t: "field", name: m[0] });
      i += m[0].length;
    } else if (c === "[") {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === "[") depth++;
        else if (text[j] === "]" && --depth === 0) break;
      }
      if (j >= text.length) throw new JsonPathParseError("unterminated array");
      steps.push(parseBracket(text.slice(i + 1, j)));
      i = j + 1;
    } else if (c === "*") {
      steps.push({ t: "wildcard" });
      i++;
    } else {
      const m = /^[^.[\s]+/.exec(text.slice(i))!;
      steps.push({ t: "field", name: m[0] });
      i += m[0].length;
    }
  }
  return { root, steps };
}

function unquote(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    throw new JsonPathParseError(`invalid string literal ${literal}`);
  }
}

/** Parse a whole template into nodes. */
export function parseJsonPath(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) {
      stack.at(-1)!.push({ t: "text", text: template.slice(i) });
      break;
    }
    if (open > i) stack.at(-1)!.push({ t: "text", text: template.slice(i, open) });
    let close = open + 1;
    let quote = "";
    for (; close < template.length; close++) {
      const ch = template[close]!;
      if (quote !== "") {
        if (ch === "\\") close++;
        else if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "}") break;
    }
    if (close >= template.length) {
      // kubectl reads the action before noticing the missing brace, so its errors come first.
      parsePath(template.slice(open + 1).trim());
      throw new JsonPathParseError("unclosed action");
    }
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (action === "end") {
      if (stack.length === 1) throw new JsonPathParseError("not in range, nothing to end");
      stack.pop();
    } else if (action.startsWith("range ")) {
      const node: Node = { t: "range", path: parsePath(action.slice(6).trim()), body: [] };
      stack.at(-1)!.push(node);
      stack.push(node.body);
    } else if (action.startsWith('"')) {
      stack.at(-1)!.push({ t: "text", text: unquote(action) });
    } else if (action !== "") {
      stack.at(-1)!.push({ t: "path", path: parsePath(action) });
    }
  }
  if (stack.length > 1) throw new JsonPathParseError("unclosed range");
  return root;
}

function children(v: GoValue): GoValue[] {
  if (Array.isArray(v)) return v;
  if (isGoMap(v)) return sortedKeys(v).map((k) => v[k]!);
  return [];
}

function descendants(v: GoValue): GoValue[] {
  const out: GoValue[] = [v];
  for (const c of children(v)) out.push(...descendants(c));
  return out;
}

function compare(a: GoValue, op: string, b: GoValue): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === ">" ? x > y : op === "<=" ? x <= y : x >= y;
}

function applyStep(values: GoValue[], step: Step, root: GoValue): GoValue[] {
  const out: GoValue[] = [];
  for (const v of values) {
    switch (step.t) {
      case "field":
        if (isGoMap(v)) {
          if (!Object.hasOwn(v, step.name)) throw new NotFound(`${step.name} is not found`);
          out.push(v[step.name]!);
        } else if (step.name !== "") throw new NotFound(`${step.name} is not found`);
        break;
      case "wildcard":
        out.push(...children(v));
        break;
      case "recursive":
        out.push(...descendants(v));
        break;
      case "union":
        for (const k of step.keys) out.push(...applyStep([v], k, root));
        break;
      case "index": {
        if (!Array.isArray(v)) throw new NotFound("not an array");
        const len = v.length;
        const norm = (n: number) => (n < 0 ? n + len : n);
        if (step.single) {
          const idx = norm(step.start ?? 0);
          if (idx < 0 || idx >= len) throw new NotFound("array index out of bounds");
          out.push(v[idx]!);
          break;
        }
        const start = Math.max(0, Math.min(len, norm(step.start ?? 0)));
        const end = Math.max(0, Math.min(len, norm(step.end ?? len)));
        const by = step.step ?? 1;
        for (let k = start; k < end; k += by > 0 ? by : 1) out.push(v[k]!);
        break;
      }
      case "filter":
        for (const item of children(v)) {
          let left: GoValue[];
          try {
            left = evalPath(step.left, root, item);
          } catch {
            continue;
          }
          if (step.op === "exists") {
            if (left.length > 0) out.push(item);
            continue;
          }
          const right = isPath(step.right) ? evalPathSafe(step.right, root, item) : [step.right as GoValue];
          if (left.some((l) => right.some((r) => compare(l, step.op, r)))) out.push(item);
        }
        break;
    }
  }
  return out;
}

function isPath(v: unknown): v is Path {
  return typeof v === "object" && v !== null && "steps" in v && "root" in v;
}

function evalPathSafe(path: Path, root: GoValue, current: GoValue): GoValue[] {
  try {
    return evalPath(path, root, current);
  } catch {
    return [];
  }
}

function evalPath(path: Path, root: GoValue, current: GoValue): GoValue[] {
  let values = [path.root === "$" ? root : current];
  for (const step of path.steps) values = applyStep(values, step, root);
  return values;
}

function printValue(v: GoValue): string {
  if (Array.isArray(v) || isGoMap(v)) return toJson(v);
  return formatValue(v);
}

function render(nodes: Node[], root: GoValue, current: GoValue): string {
  let out = "";
  for (const n of nodes) {
    if (n.t === "text") out += n.text;
    else if (n.t === "path") out += evalPath(n.path, root, current).map(printValue).join(" ");
    else {
      for (const result of evalPath(n.path, root, current)) {
        // Ranging over one list walks its items.
        for (const item of Array.isArray(result) ? result : [result]) out += render(n.body, root, item);
      }
    }
  }
  return out;
}

/** Execute a parsed template against `data`: its text, or "" when a path finds nothing (as Helm prints). */
export function executeJsonPath(nodes: Node[], data: GoValue): string {
  try {
    return render(nodes, data, data);
  } catch (err) {
    if (err instanceof NotFound) return "";
    throw err;
  }
}
