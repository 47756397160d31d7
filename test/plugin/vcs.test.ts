/**
 * Plugins from git repositories (a local repository reached by `file://`), differential against
 * real Helm v4.1.4: `--verify` refused for them, `--version` as a semver constraint on tags,
 * install twice, `plugin update` (pull on a branch, nothing on a tag; the update hook runs),
 * and a plugin changed in place refused.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, type Side, sides, workDir } from "./support.ts";

const work = workDir("helmts-plugin-vcs-");
let pair: [Side, Side];

function git(dir: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
    cwd: dir,
    stdio: "ignore",
  });
}

/** A repository whose plugin.yaml is at 0.1.0 (tag v0.1.0), then 0.2.0 (tag v0.2.0). */
function repo(name: string): string {
  const dir = join(work, "git", name);
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  const yaml = (v: string) =>
    `name: ${name}\nversion: ${v}\nusage: from git\ncommand: echo ${name}\nhooks:\n  update: "echo updating $HELM_PLUGIN_NAME"\n`;
  for (const v of ["0.1.0", "0.2.0"]) {
    writeFileSync(join(dir, "plugin.yaml"), yaml(v));
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", v);
    git(dir, "tag", `v${v}`);
  }
  return dir;
}

function bump(dir: string): void {
  execFileSync("sed", ["-i", "s/0.2.0/0.3.0/", join(dir, "plugin.yaml")]);
  git(dir, "commit", "-qam", "0.3.0");
}

function same(args: string[]) {
  const want = run(pair[0], args);
  const got = run(pair[1], args);
  expect({ args, ...got }).toEqual({ args, ...want });
  return got;
}

let tagged: string;
let branch: string;

beforeAll(() => {
  tagged = repo("tagged");
  branch = repo("branch");
  pair = sides(join(work, "homes")) as [Side, Side];
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("plugins from git", () => {
  test("install: --verify is refused for VCS sources; --version picks the highest matching tag", () => {
    expect(same(["plugin", "install", `file://${tagged}`]).stderr).toBe(
      "Error: plugin source does not support verification. Use --verify=false to skip verification\n",
    );
    expect(
      same(["plugin", "install", `file://${tagged}`, "--version", "<0.2.0", "--verify=false"]).stdout,
    ).toBe("WARNING: Skipping plugin signature verification\nInstalled plugin: tagged\n");
    expect(same(["plugin", "install", `file://${tagged}`, "--verify=false"]).status).toBe(1);
    same(["plugin", "install", `file://${branch}`, "--verify=false"]);
    expect(same(["plugin", "list"]).stdout).toContain("tagged\t0.1.0  \tcli/v1");
  });

  test("update: a branch is pulled, a tag stays; the update hook runs", () => {
    bump(tagged);
    bump(branch);
    expect(same(["plugin", "update", "tagged", "branch"]).stdout).toBe(
      "updating tagged\nUpdated plugin: tagged\nupdating branch\nUpdated plugin: branch\n",
    );
    const list = same(["plugin", "list"]).stdout;
    expect(list).toContain("branch\t0.3.0  ");
    expect(list).toContain("tagged\t0.1.0  ");
  });

  test("a plugin changed in place is not updated", () => {
    for (const side of pair) appendFileSync(join(side.plugins, "branch", "plugin.yaml"), "# local change\n");
    expect(same(["plugin", "update", "branch"]).stderr).toBe(
      "Error: failed to update plugin branch, got error (plugin repo was modified)\n",
    );
  });
});
