/** The deprecated-API warning for a rendered object, for the Kubernetes version being targeted. */
import { DEPRECATED_APIS } from "./deprecated-apis.ts";

interface Deprecation {
  major: number;
  minor: number;
  message: string;
}

const BY_GVK = new Map<string, Deprecation>(
  DEPRECATED_APIS.map((message) => {
    const m = /^(\S+ \S+) is deprecated in v(\d+)\.(\d+)\+/.exec(message)!;
    return [m[1]!, { major: Number(m[2]), minor: Number(m[3]), message }];
  }),
);

/**
 * Kubernetes' warning when `apiVersion kind` is deprecated in the given version (major.minor as
 * integers), else null.
 */
export function deprecationWarning(
  apiVersion: string,
  kind: string,
  major: number,
  minor: number,
): string | null {
  if (apiVersion === "" || kind === "") return null;
  const d = BY_GVK.get(`${apiVersion} ${kind}`);
  if (d === undefined) return null;
  if (d.major > major || (d.major === major && d.minor > minor)) return null;
  return d.message;
}
