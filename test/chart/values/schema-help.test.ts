/** `show values --schema` rows and lint's misspelt-key warnings (beyond Helm), from the module and the binary. */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newGoMap } from "../../../src/chart/engine/value.ts";
import { parseValues } from "../../../src/chart/engine/yaml.ts";
import {
  misspelledKeys,
  parseSchema,
  SchemaHelpError,
  schemaRows,
} from "../../../src/chart/values/schema-help.ts";
import { helmTs, runExe } from "../../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";

const SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  definitions: {
    port: {
      type: "object",
      properties: {
        name: { type: "string", description: "port name" },
        number: { type: "integer" },
      },
    },
  },
  properties: {
    replicaCount: { type: "integer", description: "how many pods\n  to run" },
    image: {
      type: "object",
      properties: {
        repository: { type: "string", description: "image repository" },
        tag: { type: "string" },
        pullPolicy: { type: "string", default: "Always" },
      },
    },
    ports: { type: "array", items: { $ref: "#/definitions/port" } },
    extra: { type: "object", additionalProperties: true, properties: { known: { type: "string" } } },
    mode: { anyOf: [{ type: "string" }, { type: "null" }] },
    both: { allOf: [{ $ref: "#/definitions/port" }, { properties: { more: { type: "boolean" } } }] },
  },
};

const VALUES = `replicaCount: 2
image:
  repository: nginx
  tagg: "1.25"
replicaCont: 3
ports:
  - name: http
    nmae: web
extra:
  knwon: 1
databases: []
database: x
unrelated: true
`;

const schemaBytes = () => new TextEncoder().encode(JSON.stringify(SCHEMA));

describe("schemaRows", () => {
  test("flattens nested objects, follows $ref and allOf, marks array items with [] and takes defaults from values", () => {
    const rows = schemaRows(parseSchema(schemaBytes()), parseValues(VALUES));
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(rows.map((r) => r.key)).toEqual([
      "replicaCount",
      "image",
      "image.repository",
      "image.tag",
      "image.pullPolicy",
      "ports",
      "ports[]",
      "ports[].name",
      "ports[].number",
      "extra",
      "extra.known",
      "mode",
      "both",
      "both.name",
      "both.number",
      "both.more",
    ]);
    expect(byKey.replicaCount).toEqual({
      key: "replicaCount",
      type: "integer",
      default: "2",
      description: "how many pods to run",
    });
    expect(byKey["image.repository"]!.default).toBe('"nginx"');
    expect(byKey["image.pullPolicy"]!.default).toBe('"Always"'); // the schema's default when values.yaml has none
    expect(byKey["ports[]"]!.type).toBe("object");
    expect(byKey["ports[].name"]!.description).toBe("port name");
    expect(byKey.mode!.type).toBe("string|null");
    expect(byKey.ports!.default).toBe('[{"name":"http","nmae":"web"}]');
  });

  test("a $ref cycle ends", () => {
    const schema = {
      definitions: { n: { type: "object", properties: { next: { $ref: "#/definitions/n" } } } },
      $ref: "#/definitions/n",
    };
    const rows = schemaRows(schema, newGoMap());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
  });

  test("bad JSON is a clear error", () => {
    expect(() => parseSchema(new TextEncoder().encode("{nope"))).toThrow(SchemaHelpError);
    expect(() => parseSchema(new TextEncoder().encode("[1]"))).toThrow(
      "values.schema.json: the schema is not a JSON object",
    );
  });
});

describe("misspelledKeys", () => {
  test("reports undeclared keys close to a declared sibling, with the path and the likely name", () => {
    const found = misspelledKeys(parseSchema(schemaBytes()), parseValues(VALUES));
    expect(found).toEqual([
      { path: "image.tagg", suggestion: "tag" },
      { path: "ports[0].nmae", suggestion: "name" },
      { path: "replicaCont", suggestion: "replicaCount" },
    ]);
  });

  test("leaves alone open objects, plurals and keys unlike any declared one", () => {
    const found = misspelledKeys(parseSchema(schemaBytes()), parseValues(VALUES)).map((f) => f.path);
    expect(found).not.toContain("extra.knwon"); // additionalProperties stated
    expect(found).not.toContain("databases");
    expect(found).not.toContain("unrelated");
  });
});

describe("the binary", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), "helmts-schema-"));
    env = isolatedHelmEnv(join(root, "home"));
    dir = join(root, "app");
    mkdirSync(join(dir, "templates"), { recursive: true });
    writeFileSync(
      join(dir, "Chart.yaml"),
      "apiVersion: v2\nname: app\nversion: 0.1.0\nicon: https://x.invalid/i.png\n",
    );
    writeFileSync(join(dir, "values.yaml"), "replicaCount: 2\nimage:\n  repository: nginx\n");
    writeFileSync(join(dir, "values.schema.json"), JSON.stringify(SCHEMA));
    mkdirSync(join(root, "plain", "templates"), { recursive: true });
    writeFileSync(join(root, "plain", "Chart.yaml"), "apiVersion: v2\nname: plain\nversion: 0.1.0\n");
  });

  test("show values --schema prints the table", () => {
    const r = helmTs(["show", "values", "--schema", dir], env);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^KEY\s+\tTYPE\s+\tDEFAULT\s+\tDESCRIPTION\s*$/);
    expect(lines[1]).toMatch(/^replicaCount\s+\tinteger\s+\t2\s+\thow many pods to run\s*$/);
    expect(r.stdout).toContain("ports[].name");
  });

  test("show values --schema on a chart without a schema says so and fails", () => {
    const r = helmTs(["show", "values", "--schema", join(dir, "..", "plain")], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Error: chart "plain" has no values.schema.json\n');
    expect(r.stdout).toBe("");
  });

  test("lint warns on a misspelt --set key, without changing Helm's exit code (even with --strict)", () => {
    const args = ["lint", dir, "--set", "image.tagg=1", "--strict"];
    const ours = helmTs(args, env);
    const theirs = runExe(oraclePaths().helm, args, env);
    const advisory =
      '[WARNING] values.yaml: key "image.tagg" is not declared in values.schema.json; did you mean "tag"?\n';
    expect(ours.stdout).toContain(advisory);
    expect(ours.stdout.replace(advisory, "")).toBe(theirs.stdout);
    expect(ours.status).toBe(theirs.status);
    expect(ours.status).toBe(0);
  });

  test("lint output is Helm's when every key is declared", () => {
    const ours = helmTs(["lint", dir], env);
    const theirs = runExe(oraclePaths().helm, ["lint", dir], env);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(theirs.status);
  });
});
