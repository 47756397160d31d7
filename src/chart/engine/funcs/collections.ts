/** Sprig's list and dict functions (dicts are Go maps; merge follows mergo's rules). */

import { goTypeOf } from "../fmt.ts";
import {
  type GoMap,
  type GoValue,
  isGoMap,
  mapMethodsOf,
  newGoMap,
  sortedKeys,
  typedList,
} from "../value.ts";
import { asInt, asList, asString, isEmpty } from "./convert.ts";
import { deepEqualValues } from "./reflect.ts";
import { func, type TemplateFunc } from "./types.ts";

const ANY = "interface {}" as const;
const MAP = "map[string]interface {}" as const;

/** A nil map reads as empty, as in Go. */
function readable(v: GoValue): GoMap {
  return v === null ? newGoMap() : (v as GoMap);
}

const NIL_REFLECT = "reflect: call of reflect.Value.Type on zero Value";

/** A Go type assertion to map[string]interface {}, with Go's message when it fails. */
function asPlainMap(v: GoValue): GoMap {
  if (isGoMap(v) && mapMethodsOf(v) === undefined) return v;
  throw new Error(`interface conversion: interface {} is ${goTypeOf(v)}, not map[string]interface {}`);
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
    // mergo copies references (no deep copy) and, when overwriting, copies empty values too.
    if (isGoMap(d) && isGoMap(s)) mergeInto(d, s, overwrite);
    else if (!(k in dst) || overwrite || isEmpty(d ?? null)) dst[k] = s;
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
  // Sprig's list functions panic on a non-list (the `must` twin returns the same error).
  const listFn = (
    name: string,
    f: (l: GoValue[], ...rest: GoValue[]) => GoValue,
    extra: (typeof ANY)[] = [],
    notList?: (type: string) => string,
  ) => {
    const run = func([ANY, ...extra], (v, ...rest) => f(asList(v, name, notList), ...rest));
    return [
      [name, run],
      [`must${name[0]!.toUpperCase()}${name.slice(1)}`, run],
    ] as [string, TemplateFunc][];
  };
  const cannot = (verb: string) => (type: string) => `Cannot ${verb} on type ${type}`;
  return withPanickingMustVariants([
    ["list", func([], (...a) => a, ANY)],
    ["tuple", func([], (...a) => a, ANY)],
    ...listFn("first", (l) => (l.length > 0 ? l[0]! : null)),
    ...listFn("last", (l) => (l.length > 0 ? l[l.length - 1]! : null)),
    ...listFn("rest", (l) => l.slice(1)),
    ...listFn("initial", (l) => l.slice(0, -1)),
    ...listFn("reverse", (l) => [...l].reverse()),
    ...listFn("uniq", uniq),
    ...listFn("compact", (l) => l.filter((x) => !isEmpty(x)), [], cannot("compact")),
    ...listFn("append", (l, x) => [...l, x!], [ANY], cannot("push")),
    ...listFn("push", (l, x) => [...l, x!], [ANY], cannot("push")),
    ...listFn("prepend", (l, x) => [x!, ...l], [ANY], cannot("prepend")),
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
    [
      "concat",
      func(
        [],
        (...lists) =>
          lists.flatMap((l) => asList(l, "concat", (type) => `Cannot concat type ${type} as list`)),
        ANY,
      ),
    ],
    [
      "slice",
      func(
        [ANY],
        (v, ...idx) => {
          const l = asList(v, "slice", (type) => `list should be type of slice or array but ${type}`);
          const a = idx.length > 0 ? Number(asInt(idx[0]!)) : 0;
          const b = idx.length > 1 ? Number(asInt(idx[1]!)) : l.length;
          if (a < 0 || b < a || b > l.length)
            throw new Error("reflect.Value.Slice: slice index out of bounds");
          return l.slice(a, b);
        },
        ANY,
      ),
    ],
    [
      "until",
      func(["int"], (n) => typedList(untilStep(0n, n as bigint, (n as bigint) >= 0n ? 1n : -1n), "int")),
    ],
    [
      "untilStep",
      func(["int", "int", "int"], (a, b, c) =>
        typedList(untilStep(a as bigint, b as bigint, c as bigint), "int"),
      ),
    ],
    [
      "chunk",
      func(["int", ANY], (size, v) => {
        const l = asList(v, "chunk", (type) => `Cannot chunk type ${type}`);
        const n = Number(size);
        if (n <= 0) throw new Error("runtime error: makeslice: len out of range");
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
    [
      "deepCopy",
      func([ANY], (v) => {
        if (v === null) throw new Error(NIL_REFLECT);
        return deepCopy(v);
      }),
    ],
    [
      "mustDeepCopy",
      func([ANY], (v) => {
        if (v === null) throw new Error(NIL_REFLECT);
        return deepCopy(v);
      }),
    ],
    [
      "dig",
      func(
        [ANY],
        (...args) => {
          if (args.length < 3) throw new Error("dig needs at least three arguments");
          const def = args[args.length - 2]!;
          let cur: GoValue = asPlainMap(args[args.length - 1]!);
          const path = args.slice(0, -2);
          for (let i = 0; i < path.length; i++) {
            const k = asString(path[i]!);
            if (!Object.hasOwn(cur as GoMap, k)) return def;
            cur = (cur as GoMap)[k]!;
            if (i < path.length - 1) cur = asPlainMap(cur);
          }
          return cur;
        },
        ANY,
      ),
    ],
  ]);
}

/** Sprig's `without`, `slice` and `chunk` panic where their `must` twins return the error: same behaviour here. */
function withPanickingMustVariants(funcs: [string, TemplateFunc][]): [string, TemplateFunc][] {
  const twins = ["without", "slice", "chunk"];
  return funcs.flatMap(([name, f]) =>
    twins.includes(name)
      ? [
          [name, f] as [string, TemplateFunc],
          [`must${name[0]!.toUpperCase()}${name.slice(1)}`, f] as [string, TemplateFunc],
        ]
      : [[name, f] as [string, TemplateFunc]],
  );
}
