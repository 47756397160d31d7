import { describe, expect, test } from "bun:test";
import { parseNumber } from "../../../src/chart/engine/parser.ts";

describe("parseNumber: Go's number constants", () => {
  test.each([
    ["0", { isInt: true, isUint: true, isFloat: true, int: 0n, float: 0, ideal: 0n }],
    ["42", { isInt: true, isUint: true, isFloat: true, int: 42n, float: 42, ideal: 42n }],
    ["-7", { isInt: true, isUint: false, isFloat: true, int: -7n, float: -7, ideal: -7n }],
    ["-0", { isInt: true, isUint: true, isFloat: true, int: 0n, float: 0, ideal: 0n }],
    [
      "999999999999999",
      {
        isInt: true,
        isUint: true,
        isFloat: true,
        int: 999999999999999n,
        float: 999999999999999,
        ideal: 999999999999999n,
      },
    ],
    [
      "9223372036854775807",
      {
        isInt: true,
        isUint: true,
        isFloat: true,
        int: 9223372036854775807n,
        float: 2 ** 63,
        ideal: 9223372036854775807n,
      },
    ],
    ["010", { isInt: true, isUint: true, isFloat: true, int: 8n, float: 8, ideal: 8n }],
    ["1_000", { isInt: true, isUint: true, isFloat: true, int: 1000n, float: 1000, ideal: 1000n }],
    ["1.5", { isInt: false, isUint: false, isFloat: true, int: 0n, float: 1.5, ideal: 1.5 }],
  ])("%s", (text, expected) => {
    const got = parseNumber("number", text);
    expect(got).toEqual(expected);
    if (typeof got !== "string") expect(Object.is(got.float, -0)).toBe(false);
  });

  test("overflow and bad syntax are errors", () => {
    expect(parseNumber("number", "99999999999999999999")).toBe('integer overflow: "99999999999999999999"');
    expect(parseNumber("number", "0x")).toBe('illegal number syntax: "0x"');
  });
});
