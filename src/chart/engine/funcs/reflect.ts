/** Sprig's type and reflection functions: typeOf, kindOf, kindIs, typeIs, deepEqual. */
import { goTypeOf } from "../fmt.ts";
import { GoStruct, type GoValue, isGoMap } from "../value.ts";
import { func, type TemplateFunc } from "./types.ts";

/** Go's reflect.Kind name of a value (a basic type's kind is its type name). */
export function kindOf(v: GoValue): string {
  if (v === null) return "invalid";
  if (typeof v !== "object") return goTypeOf(v);
  if (v instanceof Uint8Array || Array.isArray(v)) return "slice";
  if (v instanceof GoStruct) return v.goType.startsWith("*") ? "ptr" : "struct";
  return "map";
}

/** reflect.DeepEqual over the value model. */
export function deepEqualValues(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqualValues(x, b[i]!));
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  if (isGoMap(a)) {
    if (!isGoMap(b)) return false;
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => Object.hasOwn(b, k) && deepEqualValues(a[k]!, b[k]!))
    );
  }
  return false;
}

export function reflectFuncs(): [string, TemplateFunc][] {
  const ANY = "interface {}" as const;
  return [
    ["typeOf", func([ANY], (v) => goTypeOf(v))],
    ["typeIs", func(["string", ANY], (t, v) => goTypeOf(v) === t)],
    ["typeIsLike", func(["string", ANY], (t, v) => goTypeOf(v) === t || goTypeOf(v) === `*${t}`)],
    ["kindOf", func([ANY], (v) => kindOf(v))],
    ["kindIs", func(["string", ANY], (k, v) => kindOf(v) === k)],
    ["deepEqual", func([ANY, ANY], (a, b) => deepEqualValues(a, b))],
  ];
}
