/**
 * `.Files`: a chart's non-template files as Helm's `engine.files` (a map of path to bytes) with
 * Get, GetBytes, Glob, Lines, AsConfig and AsSecrets.
 */
import type { ChartFile } from "../chart.ts";
import { toYaml } from "../engine/funcs/serialize.ts";
import {
  type GoMap,
  type GoValue,
  goString,
  newGoMap,
  sortedKeys,
  typedList,
  withMethods,
} from "../engine/value.ts";

/** gobwas/glob with `/` as separator: `*` and `?` stay within a segment, `**` crosses them. */
function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const close = pattern.indexOf("}", i);
      if (close < 0) re += "\\{";
      else {
        re += `(?:${pattern
          .slice(i + 1, close)
          .split(",")
          .map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("|")})`;
        i = close;
      }
    } else if (c === "[") {
      const close = pattern.indexOf("]", i);
      if (close < 0) re += "\\[";
      else {
        const cls = pattern.slice(i + 1, close);
        re += cls.startsWith("!") ? `[^${cls.slice(1)}]` : `[${cls}]`;
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** Build `.Files` over the given files. */
export function filesObject(files: readonly ChartFile[] | GoMap): GoMap {
  const map = newGoMap();
  if (Array.isArray(files)) for (const f of files) map[f.name] = f.data;
  else Object.assign(map, files);
  const text = (name: GoValue): string => {
    const v = map[String(name)];
    return v instanceof Uint8Array ? goString(v) : "";
  };
  return withMethods(map, {
    goType: "engine.files",
    methods: {
      Get: (name) => text(name),
      GetBytes: (name) =>
        map[String(name)] instanceof Uint8Array ? (map[String(name)] as Uint8Array) : new Uint8Array(),
      Glob: (pattern) => {
        const re = globRegExp(String(pattern));
        const out = newGoMap();
        for (const k of sortedKeys(map)) if (re.test(k)) out[k] = map[k]!;
        return filesObject(out);
      },
      Lines: (name) => {
        const s = text(name);
        if (s === "") return typedList([], "string");
        return typedList((s.endsWith("\n") ? s.slice(0, -1) : s).split("\n"), "string");
      },
      AsConfig: () => {
        const out = newGoMap();
        for (const k of sortedKeys(map)) out[basename(k)] = text(k);
        return Object.keys(out).length === 0 ? "" : toYaml(out);
      },
      AsSecrets: () => {
        const out = newGoMap();
        for (const k of sortedKeys(map))
          out[basename(k)] = Buffer.from(map[k] as Uint8Array).toString("base64");
        return Object.keys(out).length === 0 ? "" : toYaml(out);
      },
    },
  });
}
