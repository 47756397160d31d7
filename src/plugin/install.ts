/**
 * `helm plugin install|uninstall|update`: Helm 4's installers and their messages. A local
 * directory is symlinked (development mode, never verified); a `.tgz` / `.tar.gz`, local or over
 * HTTP(S), is verified against its `.prov` unless `--verify=false`, then extracted; a git URL is
 * cloned (see vcs.ts; never verified, so it needs `--verify=false` as in Helm).
 *
 * Unlike Helm, nothing is left half-installed: archives are extracted into a staging directory
 * beside the target and moved into place only once `plugin.yaml` loads and validates, a plugin
 * that fails to load is never linked, and a failing install hook removes the plugin again.
 * Installs go to the first `$HELM_PLUGINS` path (Helm puts local installs under
 * `$HELM_DATA_HOME/plugins` even when `$HELM_PLUGINS` points elsewhere, where it cannot find them).
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, delimiter, join, resolve } from "node:path";
import { type HttpOptions, httpGet } from "../repo/http.ts";
import { slogLine } from "../repo/output.ts";
import { extractPluginArchive, isArchiveName, pluginNameOfArchive, pluginYamlInArchive } from "./archive.ts";
import { findPlugins, loadPluginDir, PLUGIN_FILE, type Plugin, PluginError, parsePlugin } from "./plugins.ts";
import { runHook } from "./subprocess.ts";
import { checkoutVcsSource, copyCheckout, isGitRemote, isVcsPlugin, updateVcsPlugin } from "./vcs.ts";

type Env = Record<string, string | undefined>;

export interface PluginInstallOptions {
  source: string;
  /** For VCS sources: a ref, or a semver constraint on the repository's tags. */
  version: string;
  /** `$HELM_CACHE_HOME`, where VCS sources are cloned. */
  cacheHome: string;
  verify: boolean;
  keyring: string;
  /** `$HELM_PLUGINS` (colon-separated); plugins are installed into its first path. */
  pluginPaths: string;
  /** TLS and credentials for an HTTP(S) archive. */
  http: HttpOptions;
  /** Environment for the install hook. */
  env: Env;
  out: (text: string) => void;
}

function installRoot(pluginPaths: string): string {
  return pluginPaths.split(delimiter).find(Boolean) ?? pluginPaths;
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function alreadyExists(path: string): PluginError {
  process.stderr.write(
    slogLine("WARN", "plugin already exists", [
      ["path", path],
      ["error", "<nil>"],
    ]),
  );
  return new PluginError("plugin already exists");
}

/** Install a plugin from a directory, an archive file or an archive URL; returns it loaded. */
export async function installPlugin(opts: PluginInstallOptions): Promise<Plugin> {
  const root = installRoot(opts.pluginPaths);
  const { source } = opts;
  let plugin: Plugin;
  if (source.startsWith("oci://")) {
    throw new PluginError(
      `cannot install plugin from "${source}": OCI plugin sources are not supported by helm-ts`,
    );
  } else if (pathExists(source)) {
    plugin = isArchiveName(source)
      ? await installArchive(
          resolve(source),
          () => new Uint8Array(readFileSync(source)),
          provFile(source),
          opts,
          root,
        )
      : installDirectory(resolve(source), opts, root);
  } else if (/^https?:\/\//.test(source) && isArchiveName(source)) {
    const fetchProv = async () => {
      try {
        return Buffer.from(await httpGet(`${source}.prov`, opts.http)).toString("utf8");
      } catch {
        return undefined;
      }
    };
    plugin = await installArchive(source, () => httpGet(source, opts.http), fetchProv, opts, root);
  } else if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(source) && isGitRemote(source)) {
    plugin = installVcs(opts, root);
  } else {
    throw new PluginError(
      `cannot get information about plugin source "${source}" (if it's a local directory, does it exist?), last error was: Cannot detect VCS`,
    );
  }
  try {
    await runHook(plugin, "install", opts.env);
  } catch (err) {
    rmSync(plugin.dir, { recursive: true, force: true });
    throw err;
  }
  opts.out(`Installed plugin: ${plugin.name}\n`);
  return plugin;
}

function installVcs(opts: PluginInstallOptions, root: string): Plugin {
  if (opts.verify)
    throw new PluginError(
      "plugin source does not support verification. Use --verify=false to skip verification",
    );
  opts.out("WARNING: Skipping plugin signature verification\n");
  const target = join(root, basename(opts.source));
  if (pathExists(target)) throw alreadyExists(target);
  const checkout = checkoutVcsSource(opts.source, opts.version, opts.cacheHome);
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, ".helm-plugin-install-"));
  try {
    copyCheckout(checkout, join(staging, "x"));
    loadChecked(join(staging, "x"), target);
    renameSync(join(staging, "x"), target);
    return loadPluginDir(target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function provFile(path: string) {
  return async () => (existsSync(`${path}.prov`) ? readFileSync(`${path}.prov`, "utf8") : undefined);
}

function installDirectory(src: string, opts: PluginInstallOptions, root: string): Plugin {
  opts.out("Installing plugin from local directory (development mode)\n");
  if (!statSync(src).isDirectory())
    throw new PluginError("expected plugin to be a directory (containing a file 'plugin.yaml')");
  if (!existsSync(join(src, PLUGIN_FILE))) throw new PluginError("plugin metadata (plugin.yaml) missing");
  const target = join(root, basename(src));
  if (pathExists(target)) throw alreadyExists(target);
  loadChecked(src, target);
  mkdirSync(root, { recursive: true });
  symlinkSync(src, target);
  return loadPluginDir(target);
}

/** Load the plugin at `dir`, reporting errors under the path it is being installed to. */
function loadChecked(dir: string, target: string): Plugin {
  try {
    return loadPluginDir(dir);
  } catch (err) {
    const reason = (err as Error).message.replace(
      `failed to load plugin "${dir}"`,
      `failed to load plugin "${target}"`,
    );
    throw new PluginError(`plugin is installed but unusable: ${reason}`);
  }
}

async function installArchive(
  source: string,
  fetch: () => Uint8Array | Promise<Uint8Array>,
  fetchProv: () => Promise<string | undefined>,
  opts: PluginInstallOptions,
  root: string,
): Promise<Plugin> {
  opts.out(
    opts.verify ? "Verifying plugin signature...\n" : "WARNING: Skipping plugin signature verification\n",
  );
  const target = join(root, pluginNameOfArchive(basename(source)));
  if (pathExists(target)) throw alreadyExists(target);
  const bytes = await fetch();
  const prov = await fetchProv();
  if (opts.verify) {
    if (prov === undefined)
      throw new PluginError("plugin verification failed: no provenance file (.prov) found");
    const { verifyProvenance } = await import("../repo/provenance.ts");
    try {
      const v = await verifyProvenance(bytes, basename(source), prov, opts.keyring);
      opts.out(
        `Signed by: ${v.signedBy}\nUsing Key With Fingerprint: ${v.fingerprint}\nPlugin Hash Verified: ${v.fileHash}\n`,
      );
    } catch (err) {
      throw new PluginError(`plugin verification failed: ${(err as Error).message}`);
    }
  }
  // Helm reads the metadata before extracting anything: a broken archive or plugin.yaml stops here.
  try {
    parsePlugin(pluginYamlInArchive(bytes), "");
  } catch (err) {
    throw new PluginError(`failed to extract plugin metadata from tarball: ${(err as Error).message}`);
  }
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, ".helm-plugin-install-"));
  try {
    try {
      extractPluginArchive(bytes, join(staging, "x"));
    } catch (err) {
      throw new PluginError(`failed to extract archive: ${(err as Error).message}`);
    }
    const extracted = join(staging, "x");
    const pluginRoot = existsSync(join(extracted, PLUGIN_FILE))
      ? extracted
      : join(extracted, pluginNameOfArchive(basename(source)));
    if (!existsSync(join(pluginRoot, PLUGIN_FILE)))
      throw new PluginError(`plugin.yaml not found in expected directory ${pluginRoot}`);
    const plugin = loadChecked(pluginRoot, target);
    renameSync(pluginRoot, target);
    // Helm keeps the archive (and its signature) beside the plugins, where `plugin list` reads it.
    const saved = join(root, `${plugin.name}-${plugin.version}.tgz`);
    writeFileSync(saved, bytes);
    if (prov !== undefined) writeFileSync(`${saved}.prov`, prov);
    return loadPluginDir(target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function byName(pluginPaths: string, name: string): Plugin | undefined {
  return findPlugins(pluginPaths).find((p) => p.name === name);
}

/**
 * Run `act` on each named plugin; a missing plugin or a failure (the message `act` throws or
 * returns) does not stop the others, and every one is reported together at the end, as Helm does.
 */
async function eachPlugin(
  names: string[],
  pluginPaths: string,
  act: (plugin: Plugin, name: string) => Promise<string | undefined>,
): Promise<void> {
  const errors: string[] = [];
  for (const name of names) {
    const plugin = byName(pluginPaths, name);
    if (!plugin) {
      errors.push(`plugin: ${name} not found`);
      continue;
    }
    const failure = await act(plugin, name);
    if (failure !== undefined) errors.push(failure);
  }
  if (errors.length > 0) throw new PluginError(errors.join("\n"));
}

/** Remove plugins by name, running each one's delete hook; every failure is reported together. */
export async function uninstallPlugins(
  names: string[],
  pluginPaths: string,
  env: Env,
  out: (t: string) => void,
) {
  await eachPlugin(names, pluginPaths, async (plugin, name) => {
    try {
      rmSync(plugin.dir, { recursive: true, force: true });
      await runHook(plugin, "delete", env);
      out(`Uninstalled plugin: ${name}\n`);
      return undefined;
    } catch (err) {
      return `Failed to uninstall plugin ${name}, got error (${(err as Error).message})`;
    }
  });
}

/**
 * Update plugins by name: those installed from a git repository are fetched (and pulled on a
 * branch) in place, then their update hook runs; for any other, Helm's error.
 */
export async function updatePlugins(
  names: string[],
  pluginPaths: string,
  env: Env,
  out: (t: string) => void,
) {
  await eachPlugin(names, pluginPaths, async (plugin, name) => {
    const location = realpathSync(plugin.dir);
    if (!isVcsPlugin(location)) {
      process.stderr.write(
        slogLine("WARN", "cannot get information about plugin source", [
          ["location", location],
          ["error", "Cannot detect VCS"],
        ]),
      );
      return `failed to update plugin ${name}, got error (cannot get information about plugin source)`;
    }
    try {
      updateVcsPlugin(location);
      await runHook(loadPluginDir(plugin.dir), "update", env);
      out(`Updated plugin: ${name}\n`);
      return undefined;
    } catch (err) {
      return `failed to update plugin ${name}, got error (${(err as Error).message})`;
    }
  });
}
