/**
 * An on-disk cache of compiled `values.schema.json` validators. Compiling a big schema with ajv
 * (and its metaschema, to check the schema) costs more than rendering most charts, and the same
 * schemas come back on every run; so the first run saves ajv's standalone code for the schema under
 * `<dir>/<sha256>.js` and later runs evaluate that file instead of compiling. Only schemas that
 * compiled and passed their metaschema are saved. An unreadable, unwritable or stale cache is
 * ignored: validation then compiles as if there were no cache.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import equal from "ajv/dist/runtime/equal.js";
import ucs2length from "ajv/dist/runtime/ucs2length.js";
import uri from "ajv/dist/runtime/uri.js";
import validationError from "ajv/dist/runtime/validation_error.js";
import ajvPackage from "ajv/package.json" with { type: "json" };
import { fullFormats } from "ajv-formats/dist/formats.js";

/** Bump when the options or keywords the validators are compiled with change. */
const CACHE_FORMAT = "1";

/** A CommonJS module as `require` returns it: its default import is `exports.default` under Bun, `exports` under Deno. */
function asExports(imported: unknown): unknown {
  return typeof imported === "object" && imported !== null && "default" in imported
    ? imported
    : { default: imported };
}

/** The modules standalone code may `require`, by the names ajv writes. */
const RUNTIME: Record<string, unknown> = {
  "ajv/dist/runtime/equal": asExports(equal),
  "ajv/dist/runtime/ucs2length": asExports(ucs2length),
  "ajv/dist/runtime/uri": asExports(uri),
  "ajv/dist/runtime/validation_error": asExports(validationError),
  "ajv-formats/dist/formats": { fullFormats },
};

function runtimeRequire(name: string): unknown {
  const mod = RUNTIME[name];
  if (mod === undefined) throw new Error(`compiled schema needs unknown module ${name}`);
  return mod;
}

/** The cache file of a schema text. */
export function schemaCacheKey(schemaText: string): string {
  return createHash("sha256")
    .update(`helm-ts schema ${CACHE_FORMAT} ajv ${ajvPackage.version}\0${schemaText}`)
    .digest("hex");
}

function evaluate(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  new Function("require", "module", "exports", code)(runtimeRequire, module, module.exports);
  return module.exports as ValidateFunction;
}

/** Validators loaded in this process, by file: preparing a render and validating both ask. */
const loaded = new Map<string, ValidateFunction>();

/** The cached validator of a schema, or null when there is none (or it cannot be used). */
export function loadCachedValidator(dir: string, key: string): ValidateFunction | null {
  const file = join(dir, `${key}.js`);
  const known = loaded.get(file);
  if (known) return known;
  let code: string;
  try {
    code = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const validate = evaluate(code);
    loaded.set(file, validate);
    return validate;
  } catch {
    return null;
  }
}

/**
 * Save a validator's standalone source (made by `source()`, which may throw). The file is written
 * whole under a temporary name then renamed, so a concurrent run never reads half of it.
 */
export function storeValidator(dir: string, key: string, source: () => string): void {
  const tmp = join(dir, `${key}.${process.pid}.tmp`);
  let written = false;
  try {
    const code = source();
    evaluate(code); // only code this module can load again is kept
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, code);
    written = true;
    renameSync(tmp, join(dir, `${key}.js`));
  } catch {
    if (written) rmSync(tmp, { force: true });
  }
}
