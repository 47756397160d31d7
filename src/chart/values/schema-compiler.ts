/**
 * The ajv compiler for values.schema.json: loaded only when a schema has no cached validator
 * (see schema-cache.ts), since ajv and its drafts cost tens of milliseconds at start-up.
 */
import Ajv, { type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019.js";
import Ajv2020 from "ajv/dist/2020.js";
import draft06Meta from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import standaloneCode from "ajv/dist/standalone/index.js";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Draft } from "./schema.ts";

/** An ajv for one draft, as Helm's validator behaves (`format` asserted up to draft-07 only). */
export function newAjv(draft: Draft, keepSource: boolean): Ajv {
  const opts = {
    code: { source: keepSource },
    allErrors: true,
    strict: false,
    verbose: true,
    logger: false as const,
    validateSchema: false,
    validateFormats: draft === "draft-04" || draft === "draft-06" || draft === "draft-07",
  };
  let ajv: Ajv;
  switch (draft) {
    case "draft-04":
      ajv = new AjvDraft04(opts) as unknown as Ajv;
      break;
    case "2019-09":
      ajv = new Ajv2019(opts);
      break;
    case "2020-12":
      ajv = new Ajv2020(opts);
      break;
    default:
      ajv = new Ajv(opts);
      if (draft === "draft-06") ajv.addMetaSchema(draft06Meta);
  }
  addFormats(ajv);
  return ajv;
}

/** The standalone module source of a validator compiled by `ajv` (made with `keepSource`). */
export function validatorSource(ajv: Ajv, validate: ValidateFunction): string {
  return standaloneCode(ajv, validate);
}
