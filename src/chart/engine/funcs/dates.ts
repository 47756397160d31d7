/** Sprig's date functions on Go's time.Time (see gotime.ts): formatting, zones, parsing, durations. */
import {
  formatDuration,
  formatTime,
  GoTime,
  loadLocation,
  localLocation,
  parseDuration,
  parseTime,
  UTC,
  ZERO_TIME,
} from "../gotime.ts";
import type { GoValue } from "../value.ts";
import { func, type TemplateFunc } from "./types.ts";

const ANY = "interface {}" as const;
const S = "string" as const;
const TIME = "time.Time" as const;

/**
 * Sprig's date argument: a time.Time, or Unix seconds as an integer; anything else (a string, a
 * float64 from values) means now, as in Sprig.
 */
function asTime(v: GoValue, now: () => GoTime): GoTime {
  if (v instanceof GoTime) return v;
  if (typeof v === "bigint") return new GoTime(Number(v), 0, localLocation());
  return now();
}

function inZone(layout: string, v: GoValue, zone: string, now: () => GoTime): string {
  return formatTime(asTime(v, now).in(loadLocation(zone) ?? UTC), layout);
}

/** Sprig's durationRound: the largest whole unit (y, mo, d, h, m, s) of a duration. */
function roundDuration(v: GoValue, now: () => GoTime): string {
  let ns = 0n;
  if (typeof v === "string") {
    try {
      ns = parseDuration(v);
    } catch {
      ns = 0n;
    }
  } else if (typeof v === "bigint") ns = v;
  else if (v instanceof GoTime) ns = sinceNs(v, now());
  const u = ns < 0n ? -ns : ns;
  const second = 1_000_000_000n;
  const units: [bigint, string][] = [
    [second * 3600n * 24n * 365n, "y"],
    [second * 3600n * 24n * 30n, "mo"],
    [second * 3600n * 24n, "d"],
    [second * 3600n, "h"],
    [second * 60n, "m"],
    [second, "s"],
  ];
  for (const [size, name] of units) if (u > size) return `${u / size}${name}`;
  return "0s";
}

function sinceNs(t: GoTime, now: GoTime): bigint {
  return (BigInt(now.sec) - BigInt(t.sec)) * 1_000_000_000n + BigInt(now.nsec - t.nsec);
}

export function dateFuncs(nowDate: () => Date): [string, TemplateFunc][] {
  const now = () => GoTime.fromDate(nowDate(), localLocation());
  const modify = (must: boolean) =>
    func([S, TIME], (d, t) => {
      try {
        return (t as GoTime).add(parseDuration(d as string));
      } catch (err) {
        if (must) throw err;
        return t;
      }
    });
  const toDate = (must: boolean) =>
    func([S, S], (layout, s) => {
      try {
        return parseTime(layout as string, s as string, localLocation());
      } catch (err) {
        if (must) throw err;
        return ZERO_TIME;
      }
    });
  return [
    ["now", func([], () => now())],
    ["ago", func([ANY], (d) => formatDuration(roundToSecond(sinceNs(asTime(d, now), now()))))],
    ["date", func([S, ANY], (layout, d) => inZone(layout as string, d, "Local", now))],
    ["dateInZone", func([S, ANY, S], (layout, d, z) => inZone(layout as string, d, z as string, now))],
    ["date_in_zone", func([S, ANY, S], (layout, d, z) => inZone(layout as string, d, z as string, now))],
    ["htmlDate", func([ANY], (d) => inZone("2006-01-02", d, "Local", now))],
    ["htmlDateInZone", func([ANY, S], (d, z) => inZone("2006-01-02", d, z as string, now))],
    ["unixEpoch", func([TIME], (t) => String((t as GoTime).sec))],
    ["dateModify", modify(false)],
    ["date_modify", modify(false)],
    ["mustDateModify", modify(true)],
    ["must_date_modify", modify(true)],
    ["toDate", toDate(false)],
    ["mustToDate", toDate(true)],
    [
      "duration",
      func([ANY], (v) => {
        let n = 0n;
        if (typeof v === "bigint") n = v;
        else if (typeof v === "string") n = /^[+-]?\d+$/.test(v) ? BigInt.asIntN(64, BigInt(v)) : 0n;
        return formatDuration(BigInt.asIntN(64, n * 1_000_000_000n));
      }),
    ],
    ["durationRound", func([ANY], (v) => roundDuration(v, now))],
  ];
}

/** Go's Duration.Round(time.Second). */
function roundToSecond(ns: bigint): bigint {
  const s = 1_000_000_000n;
  const r = ns % s;
  if (r < 0n) return -roundToSecond(-ns);
  return r + r < s ? ns - r : ns + s - r;
}
