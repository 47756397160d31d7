import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseValues } from "../../../src/chart/engine/yaml.ts";
import { loadSchemaCompiler, validateAgainstSchema } from "../../../src/chart/values/schema.ts";
import { schemaCacheKey } from "../../../src/chart/values/schema-cache.ts";
import { SCHEMA_CASES } from "./schema-cases.ts";

await loadSchemaCompiler();

const tempDir = () => mkdtempSync(join(tmpdir(), "helmts-schema-cache-"));

describe("schema cache: a cached validator says what a compiled one says", () => {
  const dir = tempDir();
  for (const [schema, values] of SCHEMA_CASES) {
    test(`${schema.slice(0, 80)} | ${values.replaceAll("\n", "\\n")}`, () => {
      const data = parseValues(values);
      const compiled = validateAgainstSchema(schema, data);
      expect(validateAgainstSchema(schema, data, dir)).toBe(compiled); // compiles and stores
      expect(validateAgainstSchema(schema, data, dir)).toBe(compiled); // loads, when stored
    });
  }
});

describe("schema cache: files", () => {
  const schema = '{"properties":{"a":{"type":"string","format":"date"},"b":{"uniqueItems":true}}}';
  const values = parseValues("a: 1\nb: [1, 1]");
  const expected = validateAgainstSchema(schema, values);

  test("a usable schema is stored once, under the hash of its text", () => {
    const dir = tempDir();
    validateAgainstSchema(schema, values, dir);
    validateAgainstSchema(schema, values, dir);
    expect(readdirSync(dir)).toEqual([`${schemaCacheKey(schema)}.js`]);
  });

  test("an unusable schema is not stored", () => {
    const dir = tempDir();
    const bad = '{"$schema":"http://json-schema.org/draft-07/schema#","type":12}';
    const problem = validateAgainstSchema(bad, values, dir);
    expect(problem).toContain("is not valid against metaschema");
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a damaged cache file is ignored", () => {
    const dir = tempDir();
    writeFileSync(join(dir, `${schemaCacheKey(schema)}.js`), "module.exports = (");
    expect(validateAgainstSchema(schema, values, dir)).toBe(expected);
  });

  test("a cache directory that cannot be created is ignored", () => {
    const file = join(tempDir(), "file");
    writeFileSync(file, "");
    expect(validateAgainstSchema(schema, values, join(file, "schemas"))).toBe(expected);
  });
});
