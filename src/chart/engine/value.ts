/**
 * The data model templates see: Go values as Helm hands them to text/template, mapped onto JS.
 *
 * | Go                          | JS                                   |
 * | --------------------------- | ------------------------------------ |
 * | nil (interface)             | `null`                               |
 * | bool                        | `boolean`                            |
 * | string                      | `string`                             |
 * | float64                     | `number`                             |
 * | int, int64 (and other ints) | `bigint` (kept in int64 range)        |
 * | []interface{} / []T         | `GoValue[]` (see {@link typedList})   |
 * | map[string]interface{}      | plain object, see {@link GoMap}       |
 * | []byte                      | `Uint8Array`                          |
 * | struct / pointer to struct  | instance of a {@link GoStruct} class  |
 *
 * Helm decodes values files through JSON, so YAML numbers arrive as float64 (`number`);
 * `--set` and Sprig's integer functions produce int64 (`bigint`). Keeping the two kinds apart
 * is what lets `{{ 1000000 }}` print `1000000` while `.Values.big` prints `1e+06`, as Helm does.
 */
import type { ParamType } from "./funcs/types.ts";

export type GoValue = null | boolean | string | number | bigint | GoValue[] | GoMap | Uint8Array | GoStruct;

/** A Go `map[string]interface{}`: a plain (or null-prototype) object, iterated in sorted key order. */
export interface GoMap {
  [key: string]: GoValue;
}

/**
 * A Go struct exposed to templates (`.Release`, `.Chart`, `.Capabilities`, `.Files`…).
 * Exported fields are own properties with Go's capitalised names; methods are methods on the class,
 * listed in `goMethods` so the executor can call them with template arguments. Accessing a missing
 * field of a struct is an error in Go, unlike a missing map key. Field names starting with a
 * lower-case letter are unexported: fmt prints them, templates cannot read them.
 *
 * A struct whose Go type has a `String()` method lists `String` in `goMethods`. Printing the struct
 * itself calls it (`{{ .Capabilities.KubeVersion }}` → `v1.35.0`), but `%v` of an enclosing struct
 * prints its fields (`{v1.35.0 v1.35.0 1 35}`): Helm's String methods have pointer receivers.
 */
export abstract class GoStruct {
  /** Go type name as `printf "%T"` shows it, e.g. `*chart.Metadata`. */
  abstract readonly goType: string;
  /** Names of methods callable from templates (e.g. `Get`, `Has`). */
  readonly goMethods: ReadonlySet<string> = new Set();
  /**
   * Go parameter types of a method, for argument checking; undefined means one `interface {}` per
   * declared JS parameter. (A method, not a field: fields are what fmt prints.)
   */
  goMethodSignature(_name: string): MethodSignature | undefined {
    return undefined;
  }
  /** What json.Marshal writes for it when the Go type has a MarshalJSON method (else its exported fields). */
  goJSON(): GoValue | undefined {
    return undefined;
  }
  /** Whether `String` has a value receiver, so the value prints through it inside lists and structs too. */
  get valueStringer(): boolean {
    return false;
  }
}

/** Element type of a typed list, e.g. `string` for Go's `[]string` (default: `interface {}`). */
export const listElemType: unique symbol = Symbol("goListElemType");

/** Marks a JS array as a Go slice of a concrete element type (`[]string` from `splitList`, `keys`…). */
export function typedList<T extends GoValue>(items: T[], elemType: string): T[] {
  Object.defineProperty(items, listElemType, { value: elemType, enumerable: false });
  return items;
}

/** Go's element type of a list: `interface {}` unless marked by {@link typedList}. */
export function elemTypeOf(list: GoValue[]): string {
  return (list as unknown as { [listElemType]?: string })[listElemType] ?? "interface {}";
}

/** True for a Go map (plain or null-prototype object), false for structs, arrays, bytes. */
export function isGoMap(v: unknown): v is GoMap {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A new empty Go map; null prototype so keys like `__proto__` from input stay ordinary keys. */
export function newGoMap(): GoMap {
  return Object.create(null) as GoMap;
}

/** Sorted keys of a Go map, in Go's byte order (as `range` and `fmt` iterate maps). */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

/** Go's string ordering: by UTF-8 bytes, which for well-formed text equals code point order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order differs from code point order only for astral vs BMP-high characters.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Clamp a bigint to Go's int64 wrap-around semantics. */
export function toInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/**
 * A Go named map or slice type with methods, such as Helm's `.Files` (`engine.files`: `Get`, `Glob`,
 * `Lines`, `AsConfig`…), `.Values` (`common.Values`) or `.Capabilities.APIVersions`
 * (`common.VersionSet`: `Has`). Its contents are data — `range`, `index`, `len` and printing treat it
 * as the map or slice it is — while `.Name args…` calls a method when one is defined (a method wins
 * over a key of the same name, as in Go).
 */
export interface GoMapMethods {
  /** Go type name for `printf "%T"` / `typeOf`, e.g. `engine.files`. */
  goType: string;
  methods: Readonly<Record<string, (...args: GoValue[]) => GoValue>>;
  /** Go parameter types of methods, for argument checking (default: `interface {}` per JS parameter). */
  signatures?: Readonly<Record<string, MethodSignature>>;
  /** Element type, e.g. `[]uint8` for `engine.files` (default `interface {}`). */
  elemType?: string;
  /** What a missing key reads as under `missingkey=zero`: the element type's zero value (default nil). */
  elemZero?: GoValue;
}

/** The Go signature of a method callable from templates (see {@link GoMapMethods}, {@link GoStruct}). */
export interface MethodSignature {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
}

const mapMethodsKey: unique symbol = Symbol("goMapMethods");

/** Give a Go map or slice a named type with methods (see {@link GoMapMethods}); returns the same value. */
export function withMethods<M extends GoMap | GoValue[]>(map: M, info: GoMapMethods): M {
  Object.defineProperty(map, mapMethodsKey, { value: info, enumerable: false });
  return map;
}

/** The named type and methods of a map or slice, when it has them. */
export function mapMethodsOf(map: GoMap | GoValue[]): GoMapMethods | undefined {
  return (map as unknown as { [mapMethodsKey]?: GoMapMethods })[mapMethodsKey];
}

/**
 * Go strings are bytes; ours are UTF-16. Bytes that are not valid UTF-8 (a binary file read with
 * `.Files.Get`) are kept as lone surrogates U+DC80–U+DCFF, one per byte, so converting back with
 * {@link goBytes} restores them exactly (base64, hashes and output see the original bytes).
 */
export function goString(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    let out = "";
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      const len =
        b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      if (len > 0 && i + len <= bytes.length) {
        try {
          out += new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(i, i + len));
          i += len;
          continue;
        } catch {
          // not a valid sequence: keep the byte as an escape
        }
      }
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
    return out;
  }
}

/** The bytes of a Go string made by {@link goString} (UTF-8, escaped bytes restored). */
export function goBytes(s: string): Buffer {
  if (!/[\udc80-\udcff]/.test(s)) return Buffer.from(s, "utf8");
  const parts: Buffer[] = [];
  let run = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (c >= 0xdc80 && c <= 0xdcff && !(prev >= 0xd800 && prev <= 0xdbff)) {
      parts.push(Buffer.from(run, "utf8"), Buffer.from([c - 0xdc00]));
      run = "";
    } else run += s[i];
  }
  parts.push(Buffer.from(run, "utf8"));
  return Buffer.concat(parts);
}
