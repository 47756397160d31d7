/**
 * Reading rendered manifests and CRD files as Helm's linter does: the stream is cut into documents
 * at `---` lines, and each document is decoded into a stub holding apiVersion, kind and metadata
 * name/namespace, with Go's JSON decoding errors.
 */

import { parseYamlNodes, type YNode, yNodeToGo } from "../engine/yaml.ts";
import { formatFloat32 } from "../metadata.ts";

/** The fields the linter reads from an object. */
export interface ObjectStub {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
}

/**
 * Split a YAML stream at lines that are `---` plus optional trailing space; empty parts dropped.
 * A `---#comment` line (a template trimming the break after `---`) is cut there too: Helm's
 * splitter keeps it in the document, but go-yaml then reads it without error, which cutting it
 * reproduces without emulating that parser quirk.
 */
export function splitYamlDocuments(text: string): string[] {
  const docs: string[] = [];
  let current = "";
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    if (line.startsWith("---") && (line.slice(3).trim() === "" || line[3] === "#")) {
      if (current !== "") docs.push(current);
      current = "";
      continue;
    }
    current += line;
  }
  if (current !== "") docs.push(current);
  return docs;
}

class StubError extends Error {}

function stringField(n: YNode, field: string): string {
  if (n.kind === "null") return "";
  if (n.kind === "str") return n.value;
  // YAML scalars bound for a string field keep their spelling, as sigs.k8s.io/yaml converts them.
  if (n.kind === "bool") return n.value ? "true" : "false";
  if (n.kind === "int") return n.value.toString();
  if (n.kind === "float") return formatFloat32(n.value);
  throw new StubError(`json: cannot unmarshal ${kindOf(n)} into Go struct field ${field} of type string`);
}

function kindOf(n: YNode): string {
  return {
    null: "null",
    bool: "bool",
    int: "number",
    float: "number",
    str: "string",
    seq: "array",
    map: "object",
  }[n.kind];
}

/** Go's encoding/json matches field names case-insensitively; keys arrive sorted (via JSON). */
function fields(n: Extract<YNode, { kind: "map" }>): [string, YNode][] {
  return [...n.entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k.toLowerCase(), v]);
}

function decodeStub(n: YNode): ObjectStub {
  if (n.kind !== "map")
    throw new StubError(`json: cannot unmarshal ${kindOf(n)} into Go value of type rules.k8sYamlStruct`);
  const stub: ObjectStub = { apiVersion: "", kind: "", metadata: { name: "", namespace: "" } };
  let firstError: StubError | null = null;
  const attempt = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof StubError)) throw err;
      firstError ??= err;
    }
  };
  for (const [key, value] of fields(n)) {
    if (key === "apiversion")
      attempt(() => (stub.apiVersion = stringField(value, "k8sYamlStruct.apiVersion")));
    else if (key === "kind") attempt(() => (stub.kind = stringField(value, "k8sYamlStruct.Kind")));
    else if (key === "metadata") {
      if (value.kind === "null") continue;
      if (value.kind !== "map") {
        attempt(() => {
          throw new StubError(
            `json: cannot unmarshal ${kindOf(value)} into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata`,
          );
        });
        continue;
      }
      for (const [k, v] of fields(value)) {
        if (k === "name") attempt(() => (stub.metadata.name = stringField(v, "k8sYamlStruct.Metadata.Name")));
        else if (k === "namespace")
          attempt(() => (stub.metadata.namespace = stringField(v, "k8sYamlStruct.Metadata.Namespace")));
      }
    }
  }
  if (firstError !== null) throw firstError;
  return stub;
}

/** One decoded document: the stub (null for an empty document) or Helm's parse error text. */
export type DocumentResult = { stub: ObjectStub | null } | { error: string };

/** Decode one document as the linter does; errors read `error converting YAML to JSON: …` etc. */
export function decodeDocument(doc: string): DocumentResult {
  let node: YNode;
  try {
    node = parseYamlNodes(doc)[0] ?? { kind: "null" };
    yNodeToGo(node);
  } catch (err) {
    return { error: `error converting YAML to JSON: ${(err as Error).message}` };
  }
  if (node.kind === "null") return { stub: null };
  try {
    return { stub: decodeStub(node) };
  } catch (err) {
    if (err instanceof StubError)
      return { error: `error unmarshaling JSON: while decoding JSON: ${err.message}` };
    throw err;
  }
}

/** The first document of `text` as a Go value, or undefined when it does not parse. */
export function firstDocument(text: string): unknown {
  try {
    const node = parseYamlNodes(text)[0];
    return node === undefined ? null : yNodeToGo(node);
  } catch {
    return undefined;
  }
}
