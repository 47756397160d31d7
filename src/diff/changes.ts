/**
 * Per-resource changes between two sets of documents: each object that is added, removed or
 * changed, with a line diff of its text. The order is helm-diff's: changed objects, then removed,
 * then added, each sorted by key. Secret values are masked here, before any text leaves the service.
 */
import { diffLines } from "diff";
import { type DocumentPair, documentKey, documentText, type ResourceDocument } from "./documents.ts";
import { maskSecretPair } from "./secrets.ts";

export type ChangeType = "ADD" | "REMOVE" | "MODIFY";

/** One line of a diff: unchanged (` `), removed (`-`) or added (`+`). */
export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

/** One object that changes, in the shape the service returns and `-o json` prints. */
export interface ResourceChange {
  /** `NAMESPACE, NAME, KIND (API)`. */
  key: string;
  api: string;
  kind: string;
  namespace: string;
  name: string;
  change: ChangeType;
  lines: DiffLine[];
}

/** What a diff found: the changes, and anything the user should know about how they were found. */
export interface DiffReport {
  changes: ResourceChange[];
  /** One line each, e.g. an object compared as `--force-conflicts` would apply it. */
  warnings: string[];
}

export interface CompareOptions {
  /** Print Secret values instead of masking them. */
  showSecrets?: boolean;
}

/** The lines of a text, without the empty line after a final newline. */
function linesOf(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A line diff of two texts: every line of both, marked unchanged, removed or added. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const out: DiffLine[] = [];
  const norm = (t: string) => (t === "" || t.endsWith("\n") ? t : `${t}\n`);
  for (const part of diffLines(norm(before), norm(after))) {
    const op = part.added ? "+" : part.removed ? "-" : " ";
    for (const text of linesOf(part.value)) out.push({ op, text });
  }
  return out;
}

function texts(pair: DocumentPair, opts: CompareOptions): { before: string; after: string } {
  const isSecret = (pair.old ?? pair.new)?.kind === "Secret";
  if (isSecret && !opts.showSecrets) {
    const m = maskSecretPair(pair.old?.object, pair.new?.object);
    return {
      before: pair.old && m.old ? documentText(pair.old, m.old) : "",
      after: pair.new && m.new ? documentText(pair.new, m.new) : "",
    };
  }
  return {
    before: pair.old ? documentText(pair.old) : "",
    after: pair.new ? documentText(pair.new) : "",
  };
}

/** The changes between the old and new side of each pair; unchanged objects are left out. */
export function compareDocuments(
  pairs: readonly DocumentPair[],
  opts: CompareOptions = {},
): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const pair of pairs) {
    const doc = (pair.new ?? pair.old) as ResourceDocument | undefined;
    if (!doc) continue;
    const { before, after } = texts(pair, opts);
    if (pair.old && pair.new && before === after) continue;
    const lines = lineDiff(before, after);
    if (pair.old && pair.new && lines.every((l) => l.op === " ")) continue;
    changes.push({
      key: documentKey(doc),
      api: doc.api,
      kind: doc.kind,
      namespace: doc.namespace,
      name: doc.name,
      change: !pair.old ? "ADD" : !pair.new ? "REMOVE" : "MODIFY",
      lines,
    });
  }
  const rank: Record<ChangeType, number> = { MODIFY: 0, REMOVE: 1, ADD: 2 };
  return changes.sort(
    (a, b) => rank[a.change] - rank[b.change] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
