/** Hostile input to the JSON and TOML functions: clean Go-worded errors, never a stack overflow. */
import { describe, expect, test } from "bun:test";
import { goJsonSyntaxError } from "../../../src/chart/engine/funcs/json-syntax.ts";
import { fromJson, fromJsonArray } from "../../../src/chart/engine/funcs/serialize.ts";
import { fromToml, toToml } from "../../../src/chart/engine/funcs/toml.ts";
import { newGoMap } from "../../../src/chart/engine/value.ts";

describe("JSON and TOML functions on hostile input", () => {
  test("JSON nested past Go's depth bound is refused with its message", () => {
    expect(goJsonSyntaxError(`${"[".repeat(10_000)}${"]".repeat(10_000)}`)).toBeNull();
    expect(fromJsonArray(`${"[".repeat(200_000)}`)).toEqual(["exceeded max depth"]);
    expect(fromJson(`${'{"a":'.repeat(200_000)}`)).toEqual(
      Object.assign(newGoMap(), { Error: "exceeded max depth" }),
    );
  });

  test("JSON syntax errors name the character and the place, as Go's scanner does", () => {
    expect(goJsonSyntaxError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goJsonSyntaxError("[1 2]")).toBe("invalid character '2' after array element");
    expect(goJsonSyntaxError('"\\q"')).toBe("invalid character 'q' in string escape code");
    expect(goJsonSyntaxError("tru")).toBe("invalid character ' ' in literal true (expecting 'e')");
    expect(goJsonSyntaxError("[1,")).toBe("unexpected end of JSON input");
    expect(goJsonSyntaxError("trUe")).toBe("invalid character 'U' in literal true (expecting 'u')");
    expect(goJsonSyntaxError("-")).toBe("invalid character ' ' in numeric literal");
    expect(goJsonSyntaxError("1.e3")).toBe("invalid character 'e' after decimal point in numeric literal");
  });

  test("TOML: values TOML cannot hold give the encoder's error text; bad documents an Error key", () => {
    expect(toToml(Object.assign(newGoMap(), { a: ["x", null] }))).toBe(
      "toml: cannot encode array with nil element",
    );
    expect(toToml([newGoMap()])).toBe("toml: top-level values must be Go maps or structs");
    const bad = fromToml(`a = ${"[".repeat(100_000)}`) as Record<string, unknown>;
    expect(String(bad.Error)).toStartWith("toml: ");
  });
});
