/**
 * Plugins from git repositories, with the `git` CLI, as Helm's VCS installer does it: the
 * repository is cloned (or fetched) into `$HELM_CACHE_HOME/plugins/KEY`, `--version` picks a
 * ref or the highest tag satisfying a semver constraint, and the checkout (with its `.git`) is
 * copied into the plugins directory. `plugin update` fetches and, on a branch, pulls in place.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Constraint, compareSemver, parseSemver, type Version } from "../chart/engine/funcs/semver.ts";
import { PLUGIN_FILE, PluginError } from "./plugins.ts";

/** Run git in `cwd`; its trimmed stdout, or an error with its first stderr line. */
function git(args: string[], cwd?: string): string {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new PluginError(
      missing ? "git is not installed: plugins from VCS repositories need it" : r.error.message,
    );
  }
  if (r.status !== 0) {
    const reason = r.stderr.trim().split("\n").at(-1) ?? "";
    throw new PluginError(`git ${args[0]} failed: ${reason}`);
  }
  return r.stdout.trim();
}

/** Helm's cache key for a source URL: its scheme, then host and path with `/` as `-`. */
export function vcsCacheKey(source: string): string {
  try {
    const u = new URL(source);
    return `${u.protocol.replace(/:$/, "")}-${(u.host + u.pathname).replaceAll("/", "-")}`;
  } catch {
    return source.replace(/[^A-Za-z0-9._-]/g, "-");
  }
}

/** True when git can reach a repository at `source` (Helm's "can it detect a VCS" check). */
export function isGitRemote(source: string): boolean {
  const r = spawnSync("git", ["ls-remote", "--quiet", source, "HEAD"], {
    encoding: "utf8",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
    timeout: 60_000,
  });
  return r.status === 0;
}

/** Clone or fetch `source` into the cache and check out `version`; returns the checkout. */
export function checkoutVcsSource(source: string, version: string, cacheHome: string): string {
  const checkout = join(cacheHome, "plugins", vcsCacheKey(source));
  if (existsSync(checkout)) git(["fetch", "--tags", "origin"], checkout);
  else {
    mkdirSync(join(cacheHome, "plugins"), { recursive: true });
    git(["clone", "--quiet", source, checkout]);
  }
  if (version !== "") git(["checkout", "--quiet", resolveVersion(checkout, source, version)], checkout);
  if (!existsSync(join(checkout, PLUGIN_FILE)))
    throw new PluginError("plugin metadata (plugin.yaml) missing");
  return checkout;
}

/** A ref as given, or the highest semver tag satisfying the constraint. */
function resolveVersion(checkout: string, source: string, version: string): string {
  const isRef = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${version}^{commit}`], {
    cwd: checkout,
  });
  if (isRef.status === 0) return version;
  let constraint: Constraint;
  try {
    constraint = new Constraint(version);
  } catch (err) {
    throw new PluginError((err as Error).message);
  }
  const tags: [string, Version][] = [];
  for (const tag of git(["tag", "--list"], checkout).split("\n").filter(Boolean)) {
    try {
      tags.push([tag, parseSemver(tag)]);
    } catch {
      // not a version tag
    }
  }
  tags.sort((a, b) => compareSemver(b[1], a[1]));
  const found = tags.find(([, v]) => constraint.check(v));
  if (!found) throw new PluginError(`requested version "${version}" does not exist for plugin "${source}"`);
  return found[0];
}

/** Copy a checkout (with `.git`, so it can be updated) to `dest`. */
export function copyCheckout(checkout: string, dest: string): void {
  cpSync(checkout, dest, { recursive: true, verbatimSymlinks: true });
}

/** True when `dir` is a git working tree of its own. */
export function isVcsPlugin(dir: string): boolean {
  return existsSync(join(dir, ".git"));
}

/** Helm's VCS update: refuse local changes, fetch tags, pull unless a tag or commit is checked out. */
export function updateVcsPlugin(dir: string): void {
  if (git(["diff", "--shortstat"], dir) !== "") throw new PluginError("plugin repo was modified");
  git(["fetch", "--tags", "origin"], dir);
  const detached = spawnSync("git", ["symbolic-ref", "--quiet", "HEAD"], { cwd: dir }).status !== 0;
  if (!detached) git(["pull", "--quiet"], dir);
  if (!existsSync(join(dir, PLUGIN_FILE))) throw new PluginError("plugin metadata (plugin.yaml) missing");
}
