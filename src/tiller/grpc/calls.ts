/**
 * The extension service's one method: run a named ReleaseService method with options sent as
 * wire JSON (and, for install, upgrade and diffUpgrade, a chart sent as a hapi Chart). Used by the server; the
 * client builds the same requests in client.ts.
 */
import type { GoMap } from "../../chart/engine/value.ts";
import type { ReleaseService } from "../service.ts";
import type { hapi } from "./gen/protos.js";
import { chartFromHapi } from "./hapi.ts";
import { goValueFromWire } from "./wire-json.ts";

export const CALL_METHODS = [
  "install",
  "upgrade",
  "rollback",
  "uninstall",
  "test",
  "history",
  "get",
  "status",
  "list",
  "diffUpgrade",
  "diffRollback",
  "diffRevisions",
] as const;
export type CallMethod = (typeof CALL_METHODS)[number];

export class BadRequestError extends Error {
  override name = "BadRequestError";
}

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new BadRequestError(`field "${key}" must be a string`);
  return v;
}

function num(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new BadRequestError(`field "${key}" must be a number`);
  return v;
}

/** Run one call; resolves to the JSON-able result. */
export async function dispatchCall(
  service: ReleaseService,
  method: string,
  opts: Record<string, unknown>,
  chart: hapi.chart.IChart | null | undefined,
): Promise<unknown> {
  if (!(CALL_METHODS as readonly string[]).includes(method))
    throw new BadRequestError(`unknown method "${method}"`);
  const m = method as CallMethod;
  const deploy = () => {
    str(opts, "name");
    str(opts, "namespace");
    num(opts, "timeoutMs");
    const values = goValueFromWire(opts.values ?? {});
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
      throw new BadRequestError('field "values" must be an object');
    }
    return { ...opts, values: values as GoMap, chart: chartFromHapi(chart) };
  };
  switch (m) {
    case "install":
      return service.install(deploy() as never);
    case "upgrade":
      return service.upgrade(deploy() as never);
    case "rollback":
      str(opts, "name");
      num(opts, "revision");
      return service.rollback(opts as never);
    case "uninstall":
      str(opts, "name");
      return service.uninstall(opts as never);
    case "test": {
      str(opts, "name");
      const result = await service.test(opts as never);
      return { ...result, error: result.error?.message };
    }
    case "history":
      return service.history(str(opts, "name"), str(opts, "namespace"));
    case "get":
      return service.get(str(opts, "name"), str(opts, "namespace"), num(opts, "revision"));
    case "status":
      return service.status(str(opts, "name"), str(opts, "namespace"), num(opts, "revision"));
    case "list":
      str(opts, "namespace");
      return service.list(opts as never);
    case "diffUpgrade":
      return service.diffUpgrade(deploy() as never);
    case "diffRollback":
      str(opts, "name");
      str(opts, "namespace");
      num(opts, "revision");
      return service.diffRollback(opts as never);
    case "diffRevisions":
      str(opts, "name");
      str(opts, "namespace");
      num(opts, "from");
      if (opts.to !== undefined) num(opts, "to");
      return service.diffRevisions(opts as never);
  }
}
