import { expect, test } from "bun:test";
import { generateReleaseName, validateReleaseName } from "../../src/tiller/release/name.ts";

test("release names follow Helm's DNS-1123 rule and 53-character limit", () => {
  for (const ok of ["a", "my-app", "app.v2", "a".repeat(53), "0x"])
    expect(() => validateReleaseName(ok)).not.toThrow();
  for (const bad of ["", "Bad_Name", "-a", "a-", "a..b", "a".repeat(54), "UPPER"]) {
    expect(() => validateReleaseName(bad)).toThrow(
      `release name "${bad}": invalid release name, must match regex`,
    );
  }
});

test("generated names are chart name plus Unix seconds, within the limit", () => {
  expect(generateReleaseName("hello", new Date(1795536142_000))).toBe("hello-1795536142");
  const long = generateReleaseName("x".repeat(80), new Date(1_000_000_000_000));
  expect(long.length).toBeLessThanOrEqual(53);
  expect(() => validateReleaseName(long)).not.toThrow();
});
