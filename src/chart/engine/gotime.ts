/**
 * Go's time.Time for templates: instants with a location (zones read from the system's TZif files,
 * as Go reads them), Go layouts for formatting and parsing (`2006-01-02 15:04:05 MST`), and
 * time.Duration's parser and printer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GoStruct } from "./value.ts";

interface ZoneType {
  offset: number;
  isDst: boolean;
  abbr: string;
}

/** A Go *time.Location: a name and its offset rules. */
export class Location {
  constructor(
    readonly name: string,
    private readonly types: readonly ZoneType[],
    private readonly transitions: readonly number[] = [],
    private readonly transitionTypes: readonly number[] = [],
  ) {}

  /** The zone in effect at a Unix time (seconds). */
  zoneAt(sec: number): ZoneType {
    const tr = this.transitions;
    if (tr.length === 0 || sec < tr[0]!) {
      return this.types.find((t) => !t.isDst) ?? this.types[0]!;
    }
    let lo = 0;
    let hi = tr.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (tr[mid]! <= sec) lo = mid;
      else hi = mid - 1;
    }
    return this.types[this.transitionTypes[lo]!]!;
  }
}

export const UTC = new Location("UTC", [{ offset: 0, isDst: false, abbr: "UTC" }]);

/** A zone with one fixed offset (Go's time.FixedZone). */
export function fixedZone(name: string, offset: number): Location {
  return new Location(name, [{ offset, isDst: false, abbr: name }]);
}

function parseTzif(name: string, data: Buffer): Location {
  if (data.subarray(0, 4).toString("latin1") !== "TZif") throw new Error("bad TZif");
  const header = (at: number) => ({
    isut: data.readUInt32BE(at + 20),
    isstd: data.readUInt32BE(at + 24),
    leap: data.readUInt32BE(at + 28),
    time: data.readUInt32BE(at + 32),
    type: data.readUInt32BE(at + 36),
    char: data.readUInt32BE(at + 40),
  });
  let h = header(0);
  let at = 44;
  let timeSize = 4;
  if (data[4]! >= 0x32) {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    at += h.time * 5 + h.type * 6 + h.char + h.leap * 8 + h.isstd + h.isut;
    h = header(at);
    at += 44;
    timeSize = 8;
  }
  const transitions: number[] = [];
  for (let i = 0; i < h.time; i++) {
    transitions.push(timeSize === 8 ? Number(data.readBigInt64BE(at)) : data.readInt32BE(at));
    at += timeSize;
  }
  const transitionTypes = [...data.subarray(at, at + h.time)];
  at += h.time;
  const raw: { offset: number; isDst: boolean; abbrAt: number }[] = [];
  for (let i = 0; i < h.type; i++) {
    raw.push({ offset: data.readInt32BE(at), isDst: data[at + 4] === 1, abbrAt: data[at + 5]! });
    at += 6;
  }
  const chars = data.subarray(at, at + h.char).toString("latin1");
  const types = raw.map((t) => ({
    offset: t.offset,
    isDst: t.isDst,
    abbr: chars.slice(t.abbrAt, chars.indexOf("\0", t.abbrAt)),
  }));
  return new Location(name, types, transitions, transitionTypes);
}

const zoneCache = new Map<string, Location | null>();

/** Go's time.LoadLocation: "" and "UTC" are UTC, "Local" the process's zone, else a TZif file. */
export function loadLocation(name: string): Location | undefined {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return localLocation();
  if (name.includes("..") || name.startsWith("/") || name.includes("\\")) return undefined;
  let loc = zoneCache.get(name);
  if (loc === undefined) {
    const dirs = [
      process.env.ZONEINFO,
      "/usr/share/zoneinfo",
      "/usr/share/lib/zoneinfo",
      "/usr/lib/locale/TZ",
    ];
    loc = null;
    for (const dir of dirs) {
      if (!dir) continue;
      try {
        loc = parseTzif(name, readFileSync(join(dir, name)));
        break;
      } catch {
        // not in this directory (or not a zone file)
      }
    }
    zoneCache.set(name, loc);
  }
  return loc ?? undefined;
}

let local: Location | undefined;

/** Go's time.Local: $TZ, else /etc/localtime, else UTC; named "Local". */
export function localLocation(): Location {
  if (local !== undefined) return local;
  const tz = process.env.TZ;
  let loc: Location | undefined;
  try {
    if (tz === undefined) loc = parseTzif("Local", readFileSync("/etc/localtime"));
    else if (tz !== "" && tz !== "UTC") loc = loadLocation(tz.replace(/^:/, ""));
  } catch {
    // no readable zone: UTC
  }
  local =
    loc === undefined ? new Location("Local", [{ offset: 0, isDst: false, abbr: "UTC" }]) : withName(loc);
  return local;
}

function withName(loc: Location): Location {
  return Object.assign(Object.create(Object.getPrototypeOf(loc) as object), loc, {
    name: "Local",
  }) as Location;
}

/** Go's time.Time: Unix seconds, nanoseconds within the second, and a location. */
export class GoTime extends GoStruct {
  readonly goType = "time.Time";
  override readonly goMethods: ReadonlySet<string> = new Set(["String", "Unix", "Year", "UTC"]);
  constructor(
    readonly sec: number,
    readonly nsec: number,
    readonly loc: Location,
  ) {
    super();
  }

  /** time.Time's String has a value receiver: it prints inside lists and structs too. */
  override get valueStringer(): boolean {
    return true;
  }

  static fromDate(d: Date, loc: Location): GoTime {
    const ms = d.getTime();
    const sec = Math.floor(ms / 1000);
    return new GoTime(sec, (ms - sec * 1000) * 1e6, loc);
  }

  in(loc: Location): GoTime {
    return new GoTime(this.sec, this.nsec, loc);
  }

  /** Add a duration in nanoseconds. */
  add(ns: bigint): GoTime {
    const total = BigInt(this.sec) * 1_000_000_000n + BigInt(this.nsec) + ns;
    const sec = total / 1_000_000_000n - (total % 1_000_000_000n < 0n ? 1n : 0n);
    return new GoTime(Number(sec), Number(total - sec * 1_000_000_000n), this.loc);
  }

  Unix(): bigint {
    return BigInt(this.sec);
  }

  Year(): bigint {
    return BigInt(fields(this).year);
  }

  UTC(): GoTime {
    return this.in(UTC);
  }

  String(): string {
    return formatTime(this, "2006-01-02 15:04:05.999999999 -0700 MST");
  }
}

/** The zero time.Time (January 1, year 1, 00:00:00 UTC). */
export const ZERO_TIME = new GoTime(-62135596800, 0, UTC);

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  weekday: number;
  yday: number;
  offset: number;
  abbr: string;
}

const DAY_MS = 86_400_000;

function fields(t: GoTime): Fields {
  const zone = t.loc.zoneAt(t.sec);
  const d = new Date((t.sec + zone.offset) * 1000);
  const year = d.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const startOfYear = new Date(start);
  startOfYear.setUTCFullYear(year);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yday: Math.floor((d.getTime() - startOfYear.getTime()) / DAY_MS) + 1,
    offset: zone.offset,
    abbr: zone.abbr,
  };
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** One element of a Go layout: literal text, or a standard field (Go's std chunks). */
type Chunk = { lit: string } | { std: string; digits?: number; sep?: string };

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Split a Go layout into literal text and standard fields, with Go's precedence. */
export function layoutChunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = "";
  const push = (c: Chunk) => {
    if (lit !== "") out.push({ lit });
    lit = "";
    out.push(c);
  };
  const has = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; ) {
    const c = layout[i]!;
    let std: string | undefined;
    let len = 0;
    if (c === "J" && has(i, "Jan")) [std, len] = has(i, "January") ? ["January", 7] : ["Jan", 3];
    else if (c === "M" && has(i, "Mon")) [std, len] = has(i, "Monday") ? ["Monday", 6] : ["Mon", 3];
    else if (c === "M" && has(i, "MST")) [std, len] = ["MST", 3];
    else if (c === "0" && i + 1 < layout.length && layout[i + 1]! >= "1" && layout[i + 1]! <= "6")
      [std, len] = [layout.slice(i, i + 2), 2];
    else if (c === "0" && has(i, "002")) [std, len] = ["002", 3];
    else if (c === "1") [std, len] = has(i, "15") ? ["15", 2] : ["1", 1];
    else if (c === "2") [std, len] = has(i, "2006") ? ["2006", 4] : ["2", 1];
    else if (c === "_" && has(i, "_2")) {
      if (has(i, "_2006")) {
        lit += "_";
        i++;
        continue;
      }
      [std, len] = ["_2", 2];
    } else if (c === "_" && has(i, "__2")) [std, len] = ["__2", 3];
    else if (c === "3" || c === "4" || c === "5") [std, len] = [c, 1];
    else if (c === "P" && has(i, "PM")) [std, len] = ["PM", 2];
    else if (c === "p" && has(i, "pm")) [std, len] = ["pm", 2];
    else if (c === "-" || c === "Z") {
      for (const z of ["070000", "07:00:00", "0700", "07:00", "07"]) {
        if (has(i + 1, z)) {
          [std, len] = [c + z, z.length + 1];
          break;
        }
      }
    } else if ((c === "." || c === ",") && (layout[i + 1] === "0" || layout[i + 1] === "9")) {
      const d = layout[i + 1]!;
      let j = i + 1;
      while (j < layout.length && layout[j] === d) j++;
      if (!isDigit(layout, j)) {
        push({ std: d === "0" ? "frac0" : "frac9", digits: j - i - 1, sep: c });
        i = j;
        continue;
      }
    }
    if (std !== undefined) {
      push({ std });
      i += len;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit !== "") out.push({ lit });
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function formatOffset(std: string, offset: number): string {
  if (std.startsWith("Z") && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600));
  const mm = pad(Math.floor(a / 60) % 60);
  const ss = pad(a % 60);
  switch (std.slice(1)) {
    case "07":
      return sign + hh;
    case "0700":
      return sign + hh + mm;
    case "07:00":
      return `${sign}${hh}:${mm}`;
    case "070000":
      return sign + hh + mm + ss;
    default:
      return `${sign}${hh}:${mm}:${ss}`;
  }
}

/** Go's Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const f = fields(t);
  let out = "";
  for (const c of layoutChunks(layout)) {
    if ("lit" in c) {
      out += c.lit;
      continue;
    }
    switch (c.std) {
      case "January":
        out += MONTHS[f.month - 1];
        break;
      case "Jan":
        out += MONTHS[f.month - 1]!.slice(0, 3);
        break;
      case "Monday":
        out += DAYS[f.weekday];
        break;
      case "Mon":
        out += DAYS[f.weekday]!.slice(0, 3);
        break;
      case "MST":
        out += f.abbr !== "" ? f.abbr : formatOffset("-0700", f.offset);
        break;
      case "01":
        out += pad(f.month);
        break;
      case "1":
        out += f.month;
        break;
      case "02":
        out += pad(f.day);
        break;
      case "2":
        out += f.day;
        break;
      case "_2":
        out += String(f.day).padStart(2, " ");
        break;
      case "002":
        out += pad(f.yday, 3);
        break;
      case "__2":
        out += String(f.yday).padStart(3, " ");
        break;
      case "03":
        out += pad(f.hour % 12 || 12);
        break;
      case "3":
        out += f.hour % 12 || 12;
        break;
      case "04":
        out += pad(f.min);
        break;
      case "4":
        out += f.min;
        break;
      case "05":
        out += pad(f.sec);
        break;
      case "5":
        out += f.sec;
        break;
      case "06":
        out += pad(f.year % 100);
        break;
      case "2006":
        out += f.year < 0 ? `-${pad(-f.year, 4)}` : pad(f.year, 4);
        break;
      case "15":
        out += pad(f.hour);
        break;
      case "PM":
        out += f.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += f.hour >= 12 ? "pm" : "am";
        break;
      case "frac0":
        out += c.sep + pad(t.nsec, 9).slice(0, c.digits);
        break;
      case "frac9": {
        const digits = pad(t.nsec, 9).slice(0, c.digits).replace(/0+$/, "");
        if (digits !== "") out += c.sep + digits;
        break;
      }
      default:
        out += formatOffset(c.std, f.offset);
    }
  }
  return out;
}

/** Go's time.ParseError, with its message forms. */
export class TimeParseError extends Error {}

function quoteGo(s: string): string {
  return JSON.stringify(s);
}

/** Go's time.ParseInLocation (the subset of layouts charts use: every numeric and named field, zones). */
export function parseTime(layout: string, value: string, loc: Location): GoTime {
  const whole = value;
  const fail = (layoutElem: string, valueElem: string): never => {
    throw new TimeParseError(
      `parsing time ${quoteGo(whole)} as ${quoteGo(layout)}: cannot parse ${quoteGo(valueElem)} as ${quoteGo(layoutElem)}`,
    );
  };
  const range = (what: string): never => {
    throw new TimeParseError(`parsing time ${quoteGo(whole)}: ${what} out of range`);
  };
  let year = 1;
  let month = 1;
  let day = 1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  /** A literal `Z` for an ISO 8601 zone: the time is in UTC itself, whatever the location. */
  let zulu = false;
  let abbr: string | undefined;
  let rest = value;
  const num = (stdName: string, fixed: boolean, max = 2): number => {
    let n = 0;
    while (n < max && n < rest.length && isDigit(rest, n)) n++;
    if (n === 0 || (fixed && n !== max)) fail(stdName, rest);
    const v = Number(rest.slice(0, n));
    rest = rest.slice(n);
    return v;
  };
  const lookup = (names: string[], stdName: string): number => {
    const i = names.findIndex((n) => rest.slice(0, n.length).toLowerCase() === n.toLowerCase());
    if (i < 0) fail(stdName, rest);
    rest = rest.slice(names[i]!.length);
    return i;
  };
  const chunks = layoutChunks(layout);
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k]!;
    if ("lit" in c) {
      // Go skips runs of spaces in layout and value alike.
      let l = c.lit;
      while (l.length > 0) {
        if (l[0] === " ") {
          if (rest.length > 0 && rest[0] !== " ") fail(c.lit, rest);
          l = l.trimStart();
          rest = rest.trimStart();
          continue;
        }
        if (rest[0] !== l[0]) fail(c.lit, rest);
        l = l.slice(1);
        rest = rest.slice(1);
      }
      continue;
    }
    const before = rest;
    switch (c.std) {
      case "2006":
        if (rest.length < 4 || !/^\d{4}/.test(rest)) fail("2006", rest);
        year = Number(rest.slice(0, 4));
        rest = rest.slice(4);
        break;
      case "06": {
        const y = num("06", true);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case "January":
        month = lookup(MONTHS, "January") + 1;
        break;
      case "Jan":
        month =
          lookup(
            MONTHS.map((m) => m.slice(0, 3)),
            "Jan",
          ) + 1;
        break;
      case "Monday":
        lookup(DAYS, "Monday");
        break;
      case "Mon":
        lookup(
          DAYS.map((d) => d.slice(0, 3)),
          "Mon",
        );
        break;
      case "01":
      case "1":
        month = num(c.std, c.std === "01");
        if (month < 1 || month > 12) range("month");
        break;
      case "02":
      case "2":
      case "_2":
        if (c.std === "_2" && rest[0] === " ") rest = rest.slice(1);
        day = num(c.std, c.std === "02");
        break;
      case "002":
      case "__2":
        if (c.std === "__2") rest = rest.replace(/^ {1,2}/, "");
        yday = num(c.std, c.std === "002", 3);
        break;
      case "15":
        hour = num("15", false);
        if (hour > 23) range("hour");
        break;
      case "03":
      case "3":
        hour = num(c.std, c.std === "03");
        if (hour > 12) range("hour");
        break;
      case "04":
      case "4":
        min = num(c.std, c.std === "04");
        if (min > 59) range("minute");
        break;
      case "05":
      case "5": {
        sec = num(c.std, c.std === "05");
        if (sec > 59) range("second");
        // Go accepts a fraction after seconds even when the layout has none.
        const next = chunks[k + 1];
        const m = /^[.,](\d+)/.exec(rest);
        if (m && !(next && "std" in next && next.std.startsWith("frac"))) {
          nsec = Number(m[1]!.slice(0, 9).padEnd(9, "0"));
          rest = rest.slice(m[0].length);
        }
        break;
      }
      case "PM":
      case "pm": {
        const p = rest.slice(0, 2).toUpperCase();
        if (p !== "AM" && p !== "PM") fail(c.std, rest);
        pm = p === "PM";
        rest = rest.slice(2);
        break;
      }
      case "frac0":
      case "frac9": {
        const m = /^[.,](\d+)/.exec(rest);
        if (c.std === "frac0") {
          if (!m || m[1]!.length < c.digits!) fail(c.sep + "0".repeat(c.digits!), rest);
          nsec = Number(m![1]!.slice(0, c.digits).padEnd(9, "0"));
          rest = rest.slice(1 + c.digits!);
        } else if (m) {
          nsec = Number(m[1]!.slice(0, 9).padEnd(9, "0"));
          rest = rest.slice(m[0].length);
        }
        break;
      }
      case "MST": {
        const m = /^(UTC|GMT[+-]\d{1,2}|GMT|[A-Z]{3,5}|[+-]\d{2,4})/.exec(rest);
        if (!m) fail("MST", rest);
        abbr = m![1]!;
        rest = rest.slice(abbr.length);
        break;
      }
      default: {
        if (c.std.startsWith("Z") && rest[0] === "Z") {
          rest = rest.slice(1);
          zulu = true;
          break;
        }
        const shape = c.std.slice(1).replace(/\d/g, "9");
        const re = new RegExp(`^[+-]${shape.replace(/9/g, "\\d")}`);
        const m = re.exec(rest);
        if (!m) fail(c.std, rest);
        const digits = m![0].slice(1).replace(/:/g, "");
        const h = Number(digits.slice(0, 2));
        const mi = Number(digits.slice(2, 4) || "0");
        const s = Number(digits.slice(4, 6) || "0");
        offset = (m![0][0] === "-" ? -1 : 1) * (h * 3600 + mi * 60 + s);
        rest = rest.slice(m![0].length);
      }
    }
    if (before === rest && c.std !== "frac9") fail(c.std, rest);
  }
  if (rest !== "") throw new TimeParseError(`parsing time ${quoteGo(whole)}: extra text: ${quoteGo(rest)}`);
  if (pm !== undefined) {
    if (pm && hour < 12) hour += 12;
    else if (!pm && hour === 12) hour = 0;
  }
  if (yday >= 0) {
    const d = new Date(Date.UTC(year, 0, 1) + (yday - 1) * DAY_MS);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysIn) range("day");
  const base = new Date(Date.UTC(2000, month - 1, day, hour, min, sec));
  base.setUTCFullYear(year);
  const wall = Math.floor(base.getTime() / 1000);
  if (zulu) return new GoTime(wall, nsec, UTC);
  if (offset !== undefined) {
    const local = loc.zoneAt(wall - offset);
    const zone = local.offset === offset ? loc : fixedZone("", offset);
    return new GoTime(wall - offset, nsec, zone);
  }
  if (abbr !== undefined) {
    const guess = loc.zoneAt(wall - loc.zoneAt(wall).offset);
    if (guess.abbr === abbr) return new GoTime(wall - guess.offset, nsec, loc);
    if (abbr === "UTC") return new GoTime(wall, nsec, UTC);
    return new GoTime(wall, nsec, fixedZone(abbr, 0));
  }
  // A wall time in loc: take the offset in effect at that wall time.
  const first = loc.zoneAt(wall).offset;
  const off = loc.zoneAt(wall - first).offset;
  return new GoTime(wall - off, nsec, loc);
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): bigint {
  const bad = (): never => {
    throw new Error(`time: invalid duration ${quoteGo(s)}`);
  };
  let rest = s;
  let neg = false;
  if (rest[0] === "-" || rest[0] === "+") {
    neg = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") bad();
  let total = 0n;
  while (rest !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (m[0] === "" || m[0] === ".") bad();
    rest = rest.slice(m[0].length);
    const u = /^[^\d.]+/.exec(rest);
    if (!u) throw new Error(`time: missing unit in duration ${quoteGo(s)}`);
    const unit = UNITS[u[0]];
    if (unit === undefined) throw new Error(`time: unknown unit ${quoteGo(u[0])} in duration ${quoteGo(s)}`);
    rest = rest.slice(u[0].length);
    const whole = BigInt(m[1] || "0") * unit;
    const frac = m[2] ?? "";
    const fracNs = frac === "" ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += whole + fracNs;
  }
  return neg ? -total : total;
}

/** Go's time.Duration.String. */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  const sign = neg ? "-" : "";
  const frac = (v: bigint, digits: number) => {
    const s = v.toString().padStart(digits, "0").replace(/0+$/, "");
    return s === "" ? "" : `.${s}`;
  };
  if (u < 1_000_000_000n) {
    if (u < 1000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) return `${sign}${u / 1000n}${frac(u % 1000n, 3)}µs`;
    return `${sign}${u / 1_000_000n}${frac(u % 1_000_000n, 6)}ms`;
  }
  const secs = u / 1_000_000_000n;
  const s = `${secs % 60n}${frac(u % 1_000_000_000n, 9)}s`;
  const mins = secs / 60n;
  if (mins === 0n) return sign + s;
  const m = `${mins % 60n}m`;
  const hours = mins / 60n;
  return hours === 0n ? sign + m + s : `${sign}${hours}h${m}${s}`;
}
