/**
 * Liquid templates for charts that opt in (beyond Helm): rendered by liquidjs with the same
 * built-in objects Go templates get (`Values`, `Release`, `Chart`, `Capabilities`, `Template`,
 * `Files`), with strict filters, no filesystem (`include`/`render` resolve only the chart's own
 * templates), and bounds on parse size, render time and memory.
 */
import type { Liquid } from "liquidjs";
import { GoStruct, type GoValue, isGoMap } from "./value.ts";

/** The Chart.yaml annotation that makes every template of a chart Liquid. */
export const LIQUID_ANNOTATION = "helm-ts/engine";
/** A template whose name ends so is Liquid, and renders under the name without it. */
export const LIQUID_SUFFIX = ".liquid";

export interface LiquidLimits {
  /** Longest render of one template, in ms (default 10 s). */
  renderMs?: number;
  /** Largest memory liquidjs may allocate for strings and arrays, in units of its own (default 64 Mi). */
  memory?: number;
}

/** A Liquid render error, naming the template, line and column. */
export class LiquidTemplateError extends Error {}

/** Go values as plain JS data for Liquid: maps and structs to objects, int64 to numbers, bytes to text. */
export function liquidData(v: GoValue | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (Array.isArray(v)) return v.map(liquidData);
  if (isGoMap(v) || v instanceof GoStruct) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "goType" || k === "goMethods" || typeof x === "function") continue;
      out[k] = liquidData(x as GoValue);
    }
    return out;
  }
  return v;
}

let liquidjs: typeof import("liquidjs") | undefined;

/** Load liquidjs; it costs ~30 ms of start-up, so it is loaded only for charts that use Liquid. */
export async function loadLiquid(): Promise<void> {
  liquidjs ??= await import("liquidjs");
}

/**
 * Renders the Liquid templates of one chart; `partials` are the chart's templates by path.
 * {@link loadLiquid} must have been awaited.
 */
export class LiquidRenderer {
  private readonly engine: Liquid;

  constructor(partials: ReadonlyMap<string, string>, limits: LiquidLimits = {}) {
    if (!liquidjs) throw new Error("Liquid templates: liquidjs was not loaded (await loadLiquid() first)");
    this.engine = new liquidjs.Liquid({
      strictFilters: true,
      ownPropertyOnly: true,
      relativeReference: false,
      extname: "",
      parseLimit: 10 * 1024 * 1024,
      renderLimit: limits.renderMs ?? 10_000,
      memoryLimit: limits.memory ?? 64 * 1024 * 1024,
      // Partials come from the chart itself, never from disk.
      templates: Object.fromEntries(partials),
    });
  }

  /** Render `source` (named `name` in errors) with the built-in objects. */
  render(name: string, source: string, data: GoValue): string {
    try {
      const tpl = this.engine.parse(source, name);
      return this.engine.renderSync(tpl, liquidData(data) as object) as string;
    } catch (err) {
      const e = err as Error & { token?: { getPosition(): [number, number] } };
      const at = e.token?.getPosition?.();
      const where = at ? `${name}:${at[0]}:${at[1]}` : name;
      const message = e.message.replace(/, line:\d+, col:\d+$/, "");
      throw new LiquidTemplateError(`liquid error at (${where}): ${message}`);
    }
  }
}
