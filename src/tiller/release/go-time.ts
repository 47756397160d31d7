/**
 * Times as Go prints them, from the RFC 3339 strings release records carry (which may have
 * nanoseconds, more than a JS Date keeps): `time.Time.String()`, RFC3339Nano for JSON, and any
 * Go layout (`--time-format`). As in Go, a time keeps the zone it was written with: `Z` stays
 * UTC, an offset that the local zone has at that instant takes the local zone's name, and any
 * other offset stays a nameless fixed zone.
 */
import { formatTime, GoTime, localLocation, parseTime, ZERO_TIME } from "../../chart/engine/gotime.ts";

const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

/** The time a record's string holds, as Go's JSON decoder reads it; the zero time if unreadable. */
function goTime(iso: string | undefined): GoTime {
  if (!iso) return ZERO_TIME;
  try {
    return parseTime(RFC3339_NANO, iso, localLocation());
  } catch {
    return ZERO_TIME;
  }
}

/** Go's `time.Time.String()`: `2026-11-24 20:26:49.874 +0000 UTC`. */
export function goTimeString(iso: string | undefined): string {
  return goTimeLayout(iso, "2006-01-02 15:04:05.999999999 -0700 MST");
}

/** A Go layout applied to the time (`--time-format "2006-01-02 15:04:05Z0700"`). */
export function goTimeLayout(iso: string | undefined, layout: string): string {
  return formatTime(goTime(iso), layout);
}

/** RFC3339Nano as Go's JSON encoder writes it (trailing zeros of the fraction dropped). */
export function goRfc3339Nano(iso: string | undefined): string {
  return goTimeLayout(iso, RFC3339_NANO);
}

/** Go's `time.Time.Format(time.ANSIC)`: `Mon Jan  2 15:04:05 2006`. */
export function goAnsic(iso: string | undefined): string {
  return goTimeLayout(iso, "Mon Jan _2 15:04:05 2006");
}

/**
 * A moment as Go's JSON encoder writes `time.Now()`: RFC3339Nano in the local zone (`Z` when that
 * is UTC, else its offset), so records read back exactly as Helm's do.
 */
export function goJsonTime(d: Date): string {
  const ms = d.getTime();
  const sec = Math.floor(ms / 1000);
  return formatTime(new GoTime(sec, (ms - sec * 1000) * 1_000_000, localLocation()), RFC3339_NANO);
}
