/**
 * Kubernetes object-name rules as the API server applies them per kind, with its messages, for
 * Helm's `metadata.name` lint warning.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const tooLong = (max: number) => `must be no more than ${max} characters`;

function dnsSubdomain(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 253) errs.push(tooLong(253));
  if (!DNS1123_SUBDOMAIN.test(name)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errs;
}

function dnsLabel(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push(tooLong(63));
  if (DNS1123_SUBDOMAIN.test(name) && name.includes(".")) errs.push("must not contain dots");
  else if (!DNS1123_LABEL.test(name)) {
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

function dns1035Label(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push(tooLong(63));
  if (!DNS1035_LABEL.test(name)) {
    errs.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

function pathSegment(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  return ["/", "%"].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

function nameRule(kind: string): (name: string) => string[] {
  switch (kind.toLowerCase()) {
    case "service":
      return dns1035Label;
    case "namespace":
      return dnsLabel;
    case "certificatesigningrequest":
      return () => [];
    case "role":
    case "clusterrole":
    case "rolebinding":
    case "clusterrolebinding":
      return pathSegment;
    default:
      return dnsSubdomain;
  }
}

/** The warning for an object name its kind does not allow, or null. */
export function metadataNameProblem(kind: string, name: string): string | null {
  const errs = nameRule(kind)(name).map((m) => `metadata.name: Invalid value: ${JSON.stringify(name)}: ${m}`);
  if (errs.length === 0) return null;
  const aggregate = errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`;
  return `object name does not conform to Kubernetes naming requirements: ${JSON.stringify(name)}: ${aggregate}`;
}
