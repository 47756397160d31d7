/** Sprig's list and dict functions (dicts are Go maps; merge follows mergo's rules). */

import { type GoMap, type GoValue, isGoMap, newGoMap, sortedKeys, typedList } from "../value.ts";
import { asInt, asList, asString, isEmpty } from "./convert.ts";
import { deepEqualValues } from "./reflect.ts";
import { func, type TemplateFunc } from "./types.ts";

const ANY = "interface {}" as const;
const MAP = "map[string]interface {}" as const;

/** A nil map reads as empty, as in Go. */
function readable(v: GoValue): GoMap {
  return v === null ? newGoMap() : (v as GoMap);
}

/** Sprig's deep copy of values. */
export function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isGoMap(v)) {
    const m = newGoMap();
    for (const k of Object.keys(v)) m[k] = deepCopy(v[k]!);
    return m;
  }
  return v;
}

/** mergo.Merge: fill keys missing (or empty) in dst from src, recursing into maps. */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const k of Object.keys(src)) {
    const s = src[k]!;
    const d = dst[k];
    if (isGoMap(d) && isGoMap(s)) mergeInto(d, s, overwrite);
    else if (!(k in dst) || (overwrite ? !isEmpty(s) || d === undefined : isEmpty(d ?? null)))
      dst[k] = deepCopy(s);
  }
}

/** merge / mergeOverwrite: fold every source map into the first (which is returned). */
function mergeFunc(overwrite: boolean): TemplateFunc {
  return func(
    [MAP],
    (dst, ...srcs) => {
      for (const s of srcs) if (isGoMap(s)) mergeInto(dst as GoMap, s, overwrite);
      return dst;
    },
    ANY,
  );
}

function uniq(list: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const x of list) if (!out.some((y) => deepEqualValues(x, y))) out.push(x);
  return out;
}

function untilStep(start: bigint, stop: bigint, step: bigint): GoValue[] {
  const out: GoValue[] = [];
  if (step === 0n) return out;
  if (start < stop && step > 0n) for (let i = start; i < stop; i += step) out.push(i);
  if (start > stop && step < 0n) for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

/** List and dict functions by name; each `mustX` returns the error its `X` would swallow. */
export function collectionFuncs(): [string, TemplateFunc][] {
  const listFn = (
    name: string,
    f: (l: GoValue[], ...rest: GoValue[]) => GoValue,
    extra: (typeof ANY)[] = [],
  ) => {
    const run = (v: GoValue, ...rest: GoValue[]) => f(asList(v, name), ...rest);
    return [
      [
        name,
        func([ANY, ...extra], (v, ...rest) => {
          try {
            return run(v, ...rest);
          } catch {
            return null;
          }
        }),
      ],
      [`must${name[0]!.toUpperCase()}${name.slice(1)}`, func([ANY, ...extra], run)],
    ] as [string, TemplateFunc][];
  };
  return [
    ["list", func([], (...a) => a, ANY)],
    ["tuple", func([], (...a) => a, ANY)],
    ...listFn("first", (l) => (l.length > 0 ? l[0]! : null)),
    ...listFn("last", (l) => (l.length > 0 ? l[l.length - 1]! : null)),
    ...listFn("rest", (l) => l.slice(1)),
    ...listFn("initial", (l) => l.slice(0, -1)),
    ...listFn("reverse", (l) => [...l].reverse()),
    ...listFn("uniq", uniq),
    ...listFn("compact", (l) => l.filter((x) => !isEmpty(x))),
    ...listFn("append", (l, x) => [...l, x!], [ANY]),
    ...listFn("push", (l, x) => [...l, x!], [ANY]),
    ...listFn("prepend", (l, x) => [x!, ...l], [ANY]),
    // has takes the needle first: `has "x" $list`.
    [
      "has",
      func([ANY, ANY], (x, l) => (l === null ? false : asList(l, "has").some((y) => deepEqualValues(x, y)))),
    ],
    [
      "mustHas",
      func([ANY, ANY], (x, l) => (l === null ? false : asList(l, "has").some((y) => deepEqualValues(x, y)))),
    ],
    [
      "without",
      func(
        [ANY],
        (v, ...omit) => asList(v, "without").filter((x) => !omit.some((o) => deepEqualValues(o, x))),
        ANY,
      ),
    ],
    ["concat", func([], (...lists) => lists.flatMap((l) => (Array.isArray(l) ? l : [])), ANY)],
    [
      "slice",
      func(
        [ANY],
        (v, ...idx) => {
          const l = asList(v, "slice");
          const a = idx.length > 0 ? Number(asInt(idx[0]!)) : 0;
          const b = idx.length > 1 ? Number(asInt(idx[1]!)) : l.length;
          return l.slice(a, b);
        },
        ANY,
      ),
    ],
    ["until", func(["int"], (n) => untilStep(0n, n as bigint, (n as bigint) >= 0n ? 1n : -1n))],
    ["untilStep", func(["int", "int", "int"], (a, b, c) => untilStep(a as bigint, b as bigint, c as bigint))],
    [
      "chunk",
      func(["int", ANY], (size, v) => {
        const l = asList(v, "chunk");
        const n = Number(size);
        const out: GoValue[] = [];
        for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
        return out;
      }),
    ],
    [
      "dict",
      func(
        [],
        (...kv) => {
          const m = newGoMap();
          for (let i = 0; i < kv.length; i += 2) m[asString(kv[i]!)] = i + 1 < kv.length ? kv[i + 1]! : "";
          return m;
        },
        ANY,
      ),
    ],
    [
      "get",
      func([MAP, "string"], (mp, k) =>
        Object.hasOwn(readable(mp), k as string) ? readable(mp)[k as string]! : "",
      ),
    ],
    [
      "set",
      func([MAP, "string", ANY], (m, k, v) => {
        (m as GoMap)[k as string] = v;
        return m;
      }),
    ],
    [
      "unset",
      func([MAP, "string"], (m, k) => {
        delete (m as GoMap)[k as string];
        return m;
      }),
    ],
    ["hasKey", func([MAP, "string"], (mp, k) => Object.hasOwn(readable(mp), k as string))],
    [
      "pluck",
      func(
        ["string"],
        (k, ...maps) =>
          maps
            .filter((m) => isGoMap(m) && Object.hasOwn(m, k as string))
            .map((m) => (m as GoMap)[k as string]!),
        MAP,
      ),
    ],
    [
      "keys",
      func(
        [],
        (...maps) =>
          typedList(
            maps.flatMap((m) => (isGoMap(m) ? Object.keys(m) : [])),
            "string",
          ),
        MAP,
      ),
    ],
    ["values", func([MAP], (mp) => Object.keys(readable(mp)).map((k) => readable(mp)[k]!))],
    [
      "pick",
      func(
        [MAP],
        (m, ...ks) => {
          const out = newGoMap();
          for (const k of ks)
            if (Object.hasOwn(m as GoMap, k as string)) out[k as string] = (m as GoMap)[k as string]!;
          return out;
        },
        "string",
      ),
    ],
    [
      "omit",
      func(
        [MAP],
        (m, ...ks) => {
          const out = newGoMap();
          for (const k of sortedKeys(m as GoMap)) if (!ks.includes(k)) out[k] = (m as GoMap)[k]!;
          return out;
        },
        "string",
      ),
    ],
    ["merge", mergeFunc(false)],
    ["mergeOverwrite", mergeFunc(true)],
    ["mustMerge", mergeFunc(false)],
    ["mustMergeOverwrite", mergeFunc(true)],
    ["deepCopy", func([ANY], deepCopy)],
    [
      "mustDeepCopy",
      func([ANY], (v) => {
        if (v === null) throw new Error("copy: cannot copy nil");
        return deepCopy(v);
      }),
    ],
    [
      "dig",
      func(
        [ANY],
        (...args) => {
          const m = args[args.length - 1]!;
          const def = args[args.length - 2]!;
          let cur: GoValue = m;
          for (const k of args.slice(0, -2)) {
            if (!isGoMap(cur) || !Object.hasOwn(cur, asString(k))) return def;
            cur = cur[asString(k)]!;
          }
          return cur;
        },
        ANY,
      ),
    ],
  ];
}
