/**
 * The contract between the template executor and the function library (Sprig, Helm's functions).
 * A function declares its Go signature so the executor can check and convert arguments the way
 * text/template does (untyped constants take the parameter's type; a float64 passed where `int`
 * is declared is "wrong type for value; expected int; got float64").
 */
import type { GoValue } from "../value.ts";

/** Go parameter types a template function may declare. `interface {}` accepts anything, nil included. */
export type ParamType =
  | "interface {}"
  | "string"
  | "bool"
  | "int"
  | "int64"
  | "uint32"
  | "float64"
  | "[]interface {}"
  | "map[string]interface {}"
  | "[]string"
  | "[]byte"
  /** Go's time.Time (gotime.ts). */
  | "time.Time"
  /** Masterminds' semver version (semver-version.ts). */
  | "*semver.Version"
  /**
   * text/template's own builtins (index, len, eq…) take reflect.Value: the argument arrives
   * unchecked, and may be `undefined` — Go's invalid Value, what a nil pipeline result or the
   * `nil` literal becomes — where a nil taken from a map or list arrives as `null`.
   */
  | "reflect.Value";

/** One template function. */
export interface TemplateFunc {
  /** Declared parameter types, in order (Go signature). */
  readonly params: readonly ParamType[];
  /** Element type of a trailing variadic parameter (`...T`), if the Go function has one. */
  readonly variadic?: ParamType;
  /** The implementation. Throw an Error to return a Go error: the executor reports `error calling NAME: MESSAGE`. */
  readonly fn: (...args: GoValue[]) => GoValue;
}

/** Functions by name, as registered with a template set. */
export type FuncMap = ReadonlyMap<string, TemplateFunc>;

/** Shorthand for declaring a function. */
export function func(
  params: readonly ParamType[],
  fn: (...args: GoValue[]) => GoValue,
  variadic?: ParamType,
): TemplateFunc {
  return variadic === undefined ? { params, fn } : { params, fn, variadic };
}
