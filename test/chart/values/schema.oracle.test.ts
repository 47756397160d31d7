/** Differential: the recorded schema cases still match real Helm v4.1.4. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runHelm, tempDir } from "../support.ts";
import { SCHEMA_CASES, sameLines } from "./schema-cases.ts";

describe("schema cases against real Helm", () => {
  test("every recorded case", () => {
    const wrong: string[] = [];
    for (const [schema, values, expected] of SCHEMA_CASES) {
      const dir = join(tempDir(), "c");
      mkdirSync(join(dir, "templates"), { recursive: true });
      writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
      writeFileSync(join(dir, "templates", "t.yaml"), "x: 1\n");
      writeFileSync(join(dir, "values.schema.json"), schema);
      writeFileSync(join(dir, "values.yaml"), values);
      const r = runHelm(["template", "x", dir]);
      const got =
        r.status === 0
          ? null
          : r.stderr
              .replace(
                /^Error: values don't meet the specifications of the schema\(s\) in the following chart\(s\):\nc:\n/,
                "",
              )
              .replace(/\n$/, "");
      // Remote references name the machine's resolver in their text; only check they still fail.
      const fine = expected?.startsWith("failing loading")
        ? got?.startsWith("failing loading")
        : sameLines(got, expected);
      if (!fine) wrong.push(`${schema} | ${values}\n  helm now: ${got}\n  recorded: ${expected}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
