/**
 * Helm 4's post-rendering of rendered template files. Every document (hooks included) is tagged
 * with an annotation naming the file it came from, the whole stream goes through the
 * post-renderer, and its output is split back into files by that annotation (which is removed).
 * Documents the post-renderer adds without the annotation become `generated-by-postrender-N.yaml`,
 * N being the document's position in the output. Documents are re-serialised keeping their
 * quoting, flow style and comments, as Helm's kyaml round trip does.
 */
import { type Document, isMap, isScalar, parseAllDocuments, parseDocument, Scalar, visit } from "yaml";
import { splitDocuments } from "./manifests.ts";

/** Runs a post-renderer over a YAML stream; resolves to its output. */
export type PostRenderer = (stream: string) => Promise<string>;

export const FILENAME_ANNOTATION = "postrenderer.helm.sh/postrender-filename";

export class PostRenderError extends Error {
  override name = "PostRenderError";
}

/** Post-render rendered files (chart-qualified path → text); returns the files Helm goes on with. */
export async function postRenderFiles(
  files: ReadonlyMap<string, string>,
  render: PostRenderer,
): Promise<Map<string, string>> {
  const input: string[] = [];
  for (const path of [...files.keys()].sort()) {
    for (const doc of parseFile(files.get(path) ?? "", path)) {
      if (!isMap(doc.contents))
        throw new PostRenderError(`error while running post render on files: ${path} is not a YAML object`);
      const quoted = new Scalar(path);
      quoted.type = "QUOTE_SINGLE";
      // A null `annotations:` is replaced by a map at the end of metadata, as kyaml does.
      const metadata = doc.get("metadata", true);
      if (!isMap(metadata)) doc.set("metadata", doc.createNode({}));
      else if (!isMap(metadata.get("annotations", true))) metadata.delete("annotations");
      doc.setIn(["metadata", "annotations", FILENAME_ANNOTATION], quoted);
      input.push(serialise(doc));
    }
  }
  const output = await render(input.map((doc) => `${doc}\n`).join("---\n"));
  return splitOutput(output);
}

function splitOutput(output: string): Map<string, string> {
  const docs = parseAllDocuments(output, { uniqueKeys: false, schema: "failsafe" });
  const files = new Map<string, string>();
  if (!Array.isArray(docs)) return files; // an empty stream
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) throw malformed(doc.errors[0]?.message ?? "");
    if (doc.contents === null) return;
    let file = `generated-by-postrender-${index}.yaml`;
    const tagged = doc.getIn(["metadata", "annotations", FILENAME_ANNOTATION]);
    if (typeof tagged === "string" && tagged !== "") {
      file = tagged;
      doc.deleteIn(["metadata", "annotations", FILENAME_ANNOTATION]);
      // Maps left empty by that go too (kyaml clears empty metadata fields).
      for (const path of [["metadata", "annotations"], ["metadata"]]) {
        const node = doc.getIn(path, true);
        if (isMap(node) && node.items.length === 0) doc.deleteIn(path);
      }
    }
    const text = serialise(doc);
    const before = files.get(file);
    files.set(file, before === undefined ? text : `${before}\n---\n${text}`);
  });
  return files;
}

function malformed(message: string): PostRenderError {
  const first = message.split("\n")[0] ?? message;
  return new PostRenderError(
    `error while parsing post rendered output: error parsing YAML: MalformedYAMLError: ${first}`,
  );
}

/**
 * The documents of a rendered file that hold something, split as Helm splits files. A block
 * scalar that ends the file without a line break loses its final break, as go-yaml reads it.
 */
function parseFile(text: string, path: string): Document[] {
  const parts = splitDocuments(text);
  const last = parts[parts.length - 1] ?? "";
  const endsWithBreak = text.slice(text.lastIndexOf(last) + last.length).includes("\n");
  const docs: Document[] = [];
  parts.forEach((part, i) => {
    const doc = parseDocument(part, { uniqueKeys: false, schema: "failsafe" });
    if (doc.errors.length > 0) {
      const why = doc.errors[0]?.message.split("\n")[0];
      throw new PostRenderError(
        `error while running post render on files: YAML parse error on ${path}: ${why}`,
      );
    }
    if (doc.contents === null) return; // comments only: nothing to post-render
    if (i === parts.length - 1 && !endsWithBreak) chompAtEnd(doc, part);
    docs.push(doc);
  });
  return docs;
}

/** A document as kyaml writes it: no line folding, `{a: b}` flow maps, lists not indented. */
function serialise(doc: Document): string {
  if (doc.directives) doc.directives.docStart = null; // documents are joined by the caller
  visit(doc, {
    Node(_, node) {
      node.spaceBefore = false; // go-yaml keeps comments but not blank lines
      if (isScalar(node) && typeof node.value === "string") node.type = emittableStyle(node.value, node.type);
    },
  });
  return doc
    .toString({
      lineWidth: 0,
      minContentWidth: 0,
      flowCollectionPadding: false,
      indentSeq: false,
      doubleQuotedAsJSON: true,
    })
    .replace(/\n+$/, "");
}

/**
 * The style go-yaml's emitter ends up with for a string: block styles cannot carry an empty
 * string or a space before a line break (or at the end), and single quotes cannot carry a
 * line break next to a space; those fall back to double quotes.
 */
function emittableStyle(value: string, style: Scalar.Type | undefined): Scalar.Type | undefined {
  const spaceBreak = / \n/.test(value);
  if (style === "BLOCK_LITERAL" || style === "BLOCK_FOLDED") {
    return value === "" || spaceBreak || value.endsWith(" ") ? "QUOTE_DOUBLE" : style;
  }
  if (style === "QUOTE_SINGLE" && (spaceBreak || /\n /.test(value))) return "QUOTE_DOUBLE";
  return style;
}

/** Drop the line break the parser gave a block scalar that ends the input. */
function chompAtEnd(doc: Document, text: string): void {
  visit(doc, {
    Scalar(_, node) {
      const end = node.range?.[1];
      const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
      if (block && end !== undefined && end >= text.length && typeof node.value === "string") {
        node.value = node.value.replace(/\n$/, "");
      }
    },
  });
}
