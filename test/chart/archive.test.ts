import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import {
  ArchiveError,
  MAX_DECOMPRESSED_FILE_SIZE,
  readChartArchive,
  readTar,
} from "../../src/chart/archive.ts";
import { loadArchive } from "../../src/chart/loader.ts";
import { chartTgz, makeTar, makeTgz } from "./tar.ts";
import { prng } from "./values/strvals-helpers.ts";

const names = (bytes: Uint8Array) =>
  readChartArchive(bytes)
    .map((f) => f.name)
    .sort();

describe("archive: reading", () => {
  test("drops the base directory, skips directories, keeps the last of repeated names", () => {
    const files = readChartArchive(
      makeTgz([
        { name: "c/", type: "5" },
        { name: "c/Chart.yaml", data: "x" },
        { name: "c/./a/./b.txt", data: "1" },
        { name: "c/v.txt", data: "1" },
        { name: "c/v.txt", data: "22" },
        { name: "c/" + "d/".repeat(60) + "deep.txt", data: "pax" },
        { name: "c/gnu/" + "g".repeat(120), data: "gnu", gnuLongName: true },
      ]),
    );
    const byName = Object.fromEntries(files.map((f) => [f.name, new TextDecoder().decode(f.data)]));
    expect(byName["a/b.txt"]).toBe("1");
    expect(byName["v.txt"]).toBe("22");
    expect(byName[`${"d/".repeat(60)}deep.txt`]).toBe("pax");
    expect(byName[`gnu/${"g".repeat(120)}`]).toBe("gnu");
    expect(Object.keys(byName)).not.toContain("");
  });

  test("any base directory name is accepted, as in Helm", () => {
    expect(
      names(
        makeTgz([
          { name: "x/Chart.yaml", data: "" },
          { name: "y/other.txt", data: "" },
        ]),
      ),
    ).toEqual(["Chart.yaml", "other.txt"]);
  });

  test("Helm's exact limits: a file of exactly 5 MiB is fine", () => {
    const data = new Uint8Array(MAX_DECOMPRESSED_FILE_SIZE);
    expect(names(makeTgz([{ name: "c/big.bin", data }]))).toEqual(["big.bin"]);
  });
});

describe("archive: hostile input is refused with one-line errors", () => {
  const cases: [string, Uint8Array, string][] = [
    [
      "parent directory",
      makeTgz([{ name: "c/../../evil.yaml", data: "x" }]),
      "chart illegally references parent directory",
    ],
    [
      "parent inside",
      makeTgz([{ name: "c/templates/../../c/x", data: "x" }]),
      "chart illegally references parent directory",
    ],
    [
      "parent via PAX path",
      makeTgz([{ name: "c/../evil", data: "x", pax: true }]),
      "chart illegally references parent directory",
    ],
    [
      "parent via GNU long name",
      makeTgz([{ name: "c/../evil", data: "x", gnuLongName: true }]),
      "chart illegally references parent directory",
    ],
    [
      "absolute path",
      makeTgz([{ name: "/etc/passwd", data: "x" }]),
      "chart illegally contains absolute paths",
    ],
    [
      "double slash",
      makeTgz([{ name: "c//Chart.yaml", data: "x" }]),
      "chart illegally contains absolute paths",
    ],
    [
      "no base directory",
      makeTgz([{ name: "Chart.yaml", data: "x" }]),
      'chart illegally contains content outside the base directory: "Chart.yaml"',
    ],
    [
      "symlink",
      makeTgz([{ name: "c/l", type: "2", linkname: "/etc/passwd" }]),
      'chart archive entry "c/l" is a symbolic link',
    ],
    [
      "hard link",
      makeTgz([{ name: "c/h", type: "1", linkname: "c/Chart.yaml" }]),
      'chart archive entry "c/h" is a hard link',
    ],
    ["character device", makeTgz([{ name: "c/d", type: "3" }]), "is a character device"],
    ["block device", makeTgz([{ name: "c/d", type: "4" }]), "is a block device"],
    ["FIFO", makeTgz([{ name: "c/p", type: "6" }]), "is a FIFO"],
    ["sparse file", makeTgz([{ name: "c/s", type: "S" }]), 'has unsupported type "S"'],
    ["empty archive", makeTgz([]), "no files in chart archive"],
    ["not gzip", new TextEncoder().encode("plain text"), "gzip: invalid header"],
    ["truncated gzip", chartTgz("c").subarray(0, 60), "unexpected EOF"],
    [
      "file over 5 MiB",
      makeTgz([{ name: "c/big.bin", data: new Uint8Array(MAX_DECOMPRESSED_FILE_SIZE + 1) }]),
      'decompressed chart file "c/big.bin" is larger than the maximum file size 5242880',
    ],
  ];
  for (const [label, bytes, message] of cases) {
    test(label, () => {
      let err: unknown;
      try {
        readChartArchive(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ArchiveError);
      expect((err as Error).message).toContain(message);
      expect((err as Error).message).not.toContain("\n");
    });
  }

  test("a decompression bomb stops at the chart size limit (Helm's 100 MiB)", () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(101 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(200_000);
    expect(() => readChartArchive(bomb)).toThrow(
      "decompressed chart is larger than the maximum size 104857600",
    );
  });

  test("limits can be lowered", () => {
    const bytes = makeTgz([{ name: "c/a.bin", data: new Uint8Array(2048) }]);
    expect(() => readChartArchive(bytes, { maxFileSize: 1024 })).toThrow(
      "larger than the maximum file size 1024",
    );
    expect(() => readChartArchive(bytes, { maxChartSize: 2048 })).toThrow(
      "larger than the maximum size 2048",
    );
  });

  test("a corrupt header checksum is refused", () => {
    const tar = makeTar([{ name: "c/Chart.yaml", data: "x" }]);
    tar[0] = "d".charCodeAt(0);
    expect(() => readTar(tar)).toThrow("archive/tar: invalid tar header");
  });

  test("a size field past the data is refused, not read out of bounds", () => {
    const tar = makeTar([{ name: "c/a", data: "x" }]);
    // Rewrite the size to 8 GiB in base-256 and fix the checksum.
    tar.fill(0, 124, 136);
    tar[124] = 0x80;
    tar[131] = 0x02;
    tar.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += tar[i]!;
    tar.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
    expect(() => readTar(tar)).toThrow(ArchiveError);
  });
});

describe("archive: fuzz", () => {
  const valid = chartTgz("fz", [
    { name: "fz/charts/sub/Chart.yaml", data: "apiVersion: v2\nname: sub\nversion: 1.0.0\n" },
    { name: "fz/values.schema.json", data: "{}" },
  ]);
  const validTar = makeTar([
    { name: "fz/Chart.yaml", data: "apiVersion: v2\nname: fz\nversion: 0.1.0\n" },
    { name: "fz/templates/t.yaml", data: "x" },
    { name: `fz/${"p/".repeat(70)}x`, data: "pax" },
  ]);

  /** Loading either succeeds or fails with a one-line Error that is not a programming error. */
  function clean(bytes: Uint8Array): void {
    try {
      loadArchive(bytes);
    } catch (err) {
      if (
        !(err instanceof Error) ||
        err instanceof TypeError ||
        err instanceof RangeError ||
        err instanceof ReferenceError
      ) {
        throw new Error(`unclean failure: ${err}`);
      }
      if (err.message === "" || err.message.includes("\n"))
        throw new Error(`bad message: ${JSON.stringify(err.message)}`);
    }
  }

  test("random bytes", () => {
    const rand = prng(1);
    for (let i = 0; i < 3000; i++) {
      const b = new Uint8Array(Math.floor(rand() * 600));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rand() * 256);
      if (rand() < 0.5 && b.length > 2) {
        b[0] = 0x1f;
        b[1] = 0x8b;
      }
      clean(b);
    }
  });

  test("mutated gzip streams", () => {
    const rand = prng(2);
    for (let i = 0; i < 3000; i++) {
      const b = new Uint8Array(valid);
      const flips = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < flips; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      clean(b);
    }
  });

  test("mutated tar streams (gzipped again)", () => {
    const rand = prng(3);
    for (let i = 0; i < 3000; i++) {
      const t = new Uint8Array(validTar);
      const flips = 1 + Math.floor(rand() * 6);
      for (let j = 0; j < flips; j++) t[Math.floor(rand() * t.length)] = Math.floor(rand() * 256);
      const cut = rand() < 0.2 ? t.subarray(0, Math.floor(rand() * t.length)) : t;
      clean(new Uint8Array(gzipSync(cut)));
    }
  });
});
