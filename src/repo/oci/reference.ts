/**
 * OCI references as Helm reads them: `[oci://]registry/repository[:tag][@digest]`, with the
 * distribution spec's grammar for each part and Helm's convention that a `+` in a chart version
 * becomes `_` in a tag (OCI tags cannot hold `+`). Errors use ORAS's `invalid reference: …` words.
 */

export const OCI_SCHEME = "oci://";

/** A parsed reference; `tag` and `digest` may both be empty (then the caller picks a tag). */
export interface OciReference {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
// A host name or IPv4/[IPv6] address with an optional port; no scheme, user info or path.
const REGISTRY =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** True for `oci://…` chart references. */
export function isOci(ref: string): boolean {
  return ref.startsWith(OCI_SCHEME);
}

/** A chart version as an OCI tag (`1.0.0+build` → `1.0.0_build`). */
export function versionToTag(version: string): string {
  return version.replaceAll("+", "_");
}

/** An OCI tag as a chart version (`1.0.0_build` → `1.0.0+build`). */
export function tagToVersion(tag: string): string {
  return tag.replaceAll("_", "+");
}

/** Check a registry host (as `helm registry login` takes it). */
export function validateRegistry(host: string): void {
  if (!REGISTRY.test(host)) throw new Error(`invalid reference: invalid registry "${host}"`);
}

/** Parse a reference; `+` in the tag is mapped to `_`. */
export function parseReference(raw: string): OciReference {
  const text = raw.startsWith(OCI_SCHEME) ? raw.slice(OCI_SCHEME.length) : raw;
  const slash = text.indexOf("/");
  if (slash <= 0) throw new Error(`invalid reference: missing repository in "${text}"`);
  const registry = text.slice(0, slash);
  validateRegistry(registry);
  let rest = text.slice(slash + 1);
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`invalid reference: invalid digest "${digest}"`);
  }
  let tag = "";
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    tag = versionToTag(rest.slice(colon + 1));
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new Error(`invalid reference: invalid tag "${tag}"`);
  }
  if (!REPOSITORY.test(rest)) throw new Error(`invalid reference: invalid repository "${rest}"`);
  return { registry, repository: rest, tag, digest };
}

/** `registry/repository:tag` or `…@digest` (the digest wins, as in ORAS). */
export function referenceString(ref: OciReference): string {
  const base = `${ref.registry}/${ref.repository}`;
  if (ref.digest) return `${base}@${ref.digest}`;
  return ref.tag ? `${base}:${ref.tag}` : base;
}
