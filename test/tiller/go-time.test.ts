import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const module = join(import.meta.dir, "..", "..", "src", "tiller", "release", "go-time.ts");

/** An expression over go-time.ts's exports, evaluated in a fresh process whose local zone is `tz`. */
function evalIn(tz: string, expression: string): string {
  const code = `import * as t from ${JSON.stringify(module)}; process.stdout.write(${expression});`;
  const r = spawnSync(process.execPath, ["-e", code], { env: { ...process.env, TZ: tz }, encoding: "utf8" });
  expect(r.stderr).toBe("");
  return r.stdout;
}

const timeString = (tz: string, iso: string) => evalIn(tz, `t.goTimeString(${JSON.stringify(iso)})`);

describe("record times printed as Go prints a decoded time.Time", () => {
  test("an offset the local zone has at that instant takes the zone's name, winter and summer", () => {
    expect(timeString("Europe/Berlin", "2020-01-01T01:00:00.123456789+01:00")).toBe(
      "2020-01-01 01:00:00.123456789 +0100 CET",
    );
    expect(timeString("Europe/Berlin", "2020-07-01T02:00:00+02:00")).toBe("2020-07-01 02:00:00 +0200 CEST");
    expect(timeString("Asia/Kolkata", "2020-07-01T05:30:00.5+05:30")).toBe("2020-07-01 05:30:00.5 +0530 IST");
  });

  test("other offsets stay nameless fixed zones, and Z stays UTC whatever the local zone", () => {
    expect(timeString("UTC", "2020-01-01T01:00:00+01:00")).toBe("2020-01-01 01:00:00 +0100 +0100");
    expect(timeString("Europe/Berlin", "2020-01-01T00:00:00Z")).toBe("2020-01-01 00:00:00 +0000 UTC");
    expect(evalIn("Europe/Berlin", `t.goAnsic("2026-11-02T08:05:09+01:00")`)).toBe(
      "Mon Nov  2 08:05:09 2026",
    );
  });

  test("a missing or unreadable value is Go's zero time", () => {
    expect(timeString("UTC", "")).toBe("0001-01-01 00:00:00 +0000 UTC");
    expect(timeString("UTC", "not a time")).toBe("0001-01-01 00:00:00 +0000 UTC");
  });

  test("times written into records use the local zone as Go's time.Now() does", () => {
    const at = `new Date("2026-07-01T10:00:00.250Z")`;
    expect(evalIn("UTC", `t.goJsonTime(${at})`)).toBe("2026-07-01T10:00:00.25Z");
    expect(evalIn("Europe/Berlin", `t.goJsonTime(${at})`)).toBe("2026-07-01T12:00:00.25+02:00");
    expect(evalIn("America/New_York", `t.goRfc3339Nano(t.goJsonTime(${at}))`)).toBe(
      "2026-07-01T06:00:00.25-04:00",
    );
  });
});
