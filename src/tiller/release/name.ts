/** Release names: Helm's rule (DNS-1123 subdomain, at most 53 characters) and `--generate-name`. */

/** Helm's release name pattern, quoted verbatim in its error message. */
export const RELEASE_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const RELEASE_NAME = new RegExp(RELEASE_NAME_PATTERN);
/** Longest release name: Helm keeps room for suffixes in object and record names. */
export const MAX_RELEASE_NAME = 53;

/** Throw Helm's error when `name` is not a valid release name. */
export function validateReleaseName(name: string): void {
  if (name === "" || name.length > MAX_RELEASE_NAME || !RELEASE_NAME.test(name)) {
    throw new Error(
      `release name check failed: release name "${name}": invalid release name, must match regex ${RELEASE_NAME_PATTERN} and the length must not be longer than ${MAX_RELEASE_NAME}`,
    );
  }
}

/** Helm's generated name: the chart's name, a dash and the Unix time in seconds. */
export function generateReleaseName(chartName: string, now: Date = new Date()): string {
  const base = chartName.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const suffix = `-${Math.floor(now.getTime() / 1000)}`;
  return `${base.slice(0, MAX_RELEASE_NAME - suffix.length)}${suffix}`;
}
