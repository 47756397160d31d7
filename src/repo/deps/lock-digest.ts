/**
 * The `digest` of Chart.lock / requirements.lock as Helm computes it: sha256 over Go's JSON of
 * the pair `[declared dependencies, locked dependencies]` (Helm 3/4), or of
 * `{"dependencies": declared}` for locks Helm 2 wrote. `dependency build` compares it with the
 * lock to tell whether Chart.yaml changed since `dependency update`.
 */
import { createHash } from "node:crypto";
import type { Dependency } from "../../chart/chart.ts";
import { dependencyJson } from "../../chart/metadata-json.ts";
import { goJson } from "../output.ts";

function sha256Text(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** Helm's HashReq: the digest a lock records for `declared` resolved to `locked`. */
export function lockDigest(declared: Dependency[] | null, locked: Dependency[]): string {
  // Go marshals a nil list (a chart that declares no dependencies) as null.
  return sha256Text(goJson([declared?.map(dependencyJson) ?? null, locked.map(dependencyJson)]));
}

/** Helm 2's digest of requirements.yaml alone (still accepted for apiVersion v1 charts). */
export function helm2LockDigest(declared: Dependency[] | null): string {
  return sha256Text(goJson({ dependencies: declared?.map(dependencyJson) ?? null }));
}

/** Go's time.Now() as RFC 3339 with nanoseconds (trailing zeros trimmed), in the local zone. */
export function goNow(now = new Date()): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const off = -now.getTimezoneOffset();
  const zone =
    off === 0
      ? "Z"
      : `${off > 0 ? "+" : "-"}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  const frac = pad(now.getMilliseconds(), 3).replace(/0+$/, "");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}${frac ? `.${frac}` : ""}${zone}`;
}
