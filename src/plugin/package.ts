/**
 * `helm plugin package` and `helm plugin verify`: a plugin directory as `NAME-VERSION.tgz` (its
 * files under `NAME/`), signed into `NAME-VERSION.tgz.prov` with the chart provenance format
 * (the plugin's metadata, `...`, and the archive's sha256), and the check of such a pair.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { gzipForHelm, type TarFile, writeTar } from "../chart/tar-writer.ts";
import { atomicWriteFile } from "../repo/fs.ts";
import { isArchiveName } from "./archive.ts";
import { loadPluginDir, PLUGIN_FILE, PluginError } from "./plugins.ts";

export interface PluginPackageOptions {
  pluginPath: string;
  destination: string;
  sign: boolean;
  keyring: string;
  key: string;
  /** Reads the signing key's passphrase when one is needed. */
  passphrase: () => Promise<string | undefined>;
  out: (text: string) => void;
}

function statError(path: string, err: unknown): PluginError {
  const code = (err as NodeJS.ErrnoException).code;
  return new PluginError(
    `stat ${path}: ${code === "ENOENT" ? "no such file or directory" : (err as Error).message}`,
  );
}

/** Every regular file under `dir`, as archive entries below `prefix/`, in name order. */
function collectFiles(dir: string, prefix: string): TarFile[] {
  const files: TarFile[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    const st = lstatSync(path);
    if (st.isDirectory()) files.push(...collectFiles(path, `${prefix}/${entry}`));
    else if (st.isFile())
      files.push({
        name: `${prefix}/${entry}`,
        data: new Uint8Array(readFileSync(path)),
        modTime: Math.round(st.mtimeMs / 1000),
        mode: st.mode & 0o777,
      });
  }
  return files;
}

/** Package (and by default sign) a plugin directory; returns the archive's path. */
export async function packagePlugin(opts: PluginPackageOptions): Promise<string> {
  let isDir: boolean;
  try {
    isDir = statSync(opts.pluginPath).isDirectory();
  } catch (err) {
    throw statError(opts.pluginPath, err);
  }
  if (!isDir) throw new PluginError("plugin package only supports directories, not tarballs");
  let plugin: ReturnType<typeof loadPluginDir>;
  try {
    plugin = loadPluginDir(opts.pluginPath);
  } catch (err) {
    throw new PluginError(`invalid plugin directory: ${(err as Error).message}`);
  }
  mkdirSync(opts.destination, { recursive: true });
  if (opts.sign) {
    if (!existsSync(opts.keyring))
      throw new PluginError(`error reading from keyring: open ${opts.keyring}: no such file or directory`);
  } else {
    opts.out(
      "WARNING: Skipping plugin signing. This is not recommended for plugins intended for distribution.\n",
    );
  }
  const archive = gzipForHelm(writeTar(collectFiles(opts.pluginPath, plugin.name)));
  const archivePath = join(opts.destination, `${plugin.name}-${plugin.version}.tgz`);
  if (opts.sign) {
    const { clearSign, provenanceFiles } = await import("../repo/provenance.ts");
    const metadata = readFileSync(join(opts.pluginPath, PLUGIN_FILE), "utf8").trimEnd();
    const body = `${metadata}\n\n...\n${provenanceFiles(basename(archivePath), archive)}\n`;
    const signed = await clearSign(body, opts.keyring, opts.key, await opts.passphrase());
    atomicWriteFile(archivePath, archive);
    atomicWriteFile(`${archivePath}.prov`, signed);
    opts.out(`Successfully signed. Signature written to: ${archivePath}.prov\n`);
  } else {
    atomicWriteFile(archivePath, archive);
  }
  opts.out(`Successfully packaged plugin and saved it to: ${archivePath}\n`);
  return archivePath;
}

/** Check a plugin archive against its `.prov`; returns Helm's report lines. */
export async function verifyPluginArchive(path: string, keyring: string): Promise<string> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw statError(path, err);
  }
  if (isDir)
    throw new PluginError("directory verification not supported - only plugin tarballs can be verified");
  if (!isArchiveName(path)) throw new PluginError("plugin file must be a gzipped tarball (.tar.gz or .tgz)");
  const provPath = `${path}.prov`;
  if (!existsSync(provPath))
    throw new PluginError(
      `could not find provenance file ${provPath}: stat ${provPath}: no such file or directory`,
    );
  const { verifyProvenance } = await import("../repo/provenance.ts");
  const v = await verifyProvenance(
    new Uint8Array(readFileSync(path)),
    basename(path),
    readFileSync(provPath, "utf8"),
    keyring,
  );
  return `Signed by: ${v.signedBy}\nUsing Key With Fingerprint: ${v.fingerprint}\nPlugin Hash Verified: ${v.fileHash}\n`;
}
