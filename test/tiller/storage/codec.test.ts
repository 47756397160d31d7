import { describe, expect, test } from "bun:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { decodeRelease, encodeRelease } from "../../../src/tiller/storage/codec.ts";
import { sampleRelease } from "./contract.ts";

describe("release codec", () => {
  test("encodes as base64(gzip(JSON)) without the labels, and decodes back", () => {
    const rls = { ...sampleRelease("c", 3, "deployed"), labels: { team: "a" } };
    const body = encodeRelease(rls);
    const raw = Buffer.from(body, "base64");
    expect([...raw.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    const json = JSON.parse(gunzipSync(raw).toString());
    expect(json.labels).toBeUndefined();
    expect(Object.keys(json)).toEqual([
      "name",
      "namespace",
      "version",
      "info",
      "chart",
      "config",
      "manifest",
    ]);
    const { labels: _l, ...withoutLabels } = rls;
    expect(decodeRelease(body, "x")).toEqual(withoutLabels);
  });

  test("accepts bodies that are not gzipped, as Helm does", () => {
    const plain = Buffer.from(JSON.stringify(sampleRelease("p", 1, "deployed"))).toString("base64");
    expect(decodeRelease(plain, "p").name).toBe("p");
  });

  test("refuses corrupt, non-object and incomplete bodies with the record named", () => {
    expect(() =>
      decodeRelease(Buffer.from([0x1f, 0x8b, 0x08, 1, 2, 3]).toString("base64"), "ns/r.v1"),
    ).toThrow("release record ns/r.v1: cannot decompress body");
    expect(() => decodeRelease(Buffer.from("[1]").toString("base64"), "r")).toThrow("not a JSON object");
    expect(() => decodeRelease(Buffer.from("{nope").toString("base64"), "r")).toThrow("not valid JSON");
    expect(() => decodeRelease(Buffer.from('{"name":"x"}').toString("base64"), "r")).toThrow("lacks name");
  });

  test("refuses a gzip bomb instead of inflating it", () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 }).toString("base64");
    expect(() => decodeRelease(bomb, "bomb")).toThrow("cannot decompress body");
  });
});
