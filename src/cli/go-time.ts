/**
 * Times as Go prints them, from the RFC 3339 strings release records carry (which may have
 * nanoseconds, more than a JS Date keeps): `time.Time.String()`, RFC3339Nano for JSON, and any
 * Go layout (`--time-format`).
 */
import { formatTime, GoTime, localLocation, ZERO_TIME } from "../chart/engine/gotime.ts";

interface Parts {
  date: Date;
  /** Fraction of a second as written, digits only (may be ""). */
  fraction: string;
}

function parts(iso: string | undefined): Parts | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const m = /T\d\d:\d\d:\d\d(?:\.(\d+))?/.exec(iso);
  return { date, fraction: (m?.[1] ?? "").replace(/0+$/, "") };
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

/** One formatter for zone abbreviations: building one costs about a millisecond. */
let zoneFormatter: Intl.DateTimeFormat | undefined;
function zoneNames(): Intl.DateTimeFormat {
  zoneFormatter ??= new Intl.DateTimeFormat("en-US", { timeZoneName: "short" });
  return zoneFormatter;
}

/** The local zone's offset (`+0000`) and abbreviation (`UTC`) at a date, as Go prints them. */
function zone(d: Date): { offset: string; name: string } {
  const minutes = -d.getTimezoneOffset();
  const offset = `${minutes < 0 ? "-" : "+"}${pad(Math.trunc(minutes / 60))}${pad(minutes % 60)}`;
  const name =
    zoneNames()
      .formatToParts(d)
      .find((p) => p.type === "timeZoneName")?.value ?? offset;
  return { offset, name: minutes === 0 && /^(GMT|UTC)$/.test(name) ? "UTC" : name };
}

/** Go's `time.Time.String()` in local time: `2026-11-24 20:26:49.874 +0000 UTC`. */
export function goTimeString(iso: string | undefined): string {
  const p = parts(iso);
  if (!p) return "0001-01-01 00:00:00 +0000 UTC";
  const d = p.date;
  const z = zone(d);
  const frac = p.fraction ? `.${p.fraction}` : "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac} ${z.offset} ${z.name}`;
}

/** A Go layout applied in local time (`--time-format "2006-01-02 15:04:05Z0700"`). */
export function goTimeLayout(iso: string | undefined, layout: string): string {
  const p = parts(iso);
  if (!p) return formatTime(ZERO_TIME, layout);
  const sec = Math.floor(p.date.getTime() / 1000);
  return formatTime(new GoTime(sec, Number(p.fraction.padEnd(9, "0")), localLocation()), layout);
}

/** RFC3339Nano as Go's JSON encoder writes it (trailing zeros of the fraction dropped). */
export function goRfc3339Nano(iso: string | undefined): string {
  const p = parts(iso);
  if (!p) return "0001-01-01T00:00:00Z";
  const base = p.date.toISOString().slice(0, 19);
  const offset = /([+-]\d\d:\d\d|Z)$/.exec(iso ?? "")?.[1] ?? "Z";
  if (offset !== "Z") return iso!; // kept as written: the record names its own zone
  return `${base}${p.fraction ? `.${p.fraction}` : ""}Z`;
}
