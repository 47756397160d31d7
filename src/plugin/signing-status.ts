/**
 * The PROVENANCE column of `helm plugin list`, worked out as Helm 4 does: by plugin name under
 * `$HELM_DATA_HOME/plugins` — a symlink is `local dev`, a directory is `signed` only when
 * `NAME.tgz.prov` beside it is a clear-signed document listing file checksums.
 */
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function signingStatus(dataPluginsDir: string, name: string): string {
  let isLink: boolean;
  try {
    isLink = lstatSync(join(dataPluginsDir, name)).isSymbolicLink();
  } catch {
    return "unknown";
  }
  if (isLink) return "local dev";
  let prov: string;
  try {
    prov = readFileSync(join(dataPluginsDir, `${name}.tgz.prov`), "utf8");
  } catch {
    return "unsigned";
  }
  const body =
    /-----BEGIN PGP SIGNED MESSAGE-----\n(?:Hash:[^\n]*\n)*\n([\s\S]*?)\n-----BEGIN PGP SIGNATURE-----/.exec(
      prov,
    );
  if (!body) return "invalid provenance";
  return /\n\.\.\.\n[\s\S]*files:\s*\n\s+\S/.test(body[1]!) ? "signed" : "mismatched provenance";
}
