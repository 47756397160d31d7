/**
 * `npm run build`: generate the gRPC code from proto/, then compile src/main.ts into one
 * self-contained executable, build/helm, stamped with the git commit. Also links build/tiller → helm (the binary run as `tiller`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const out = join(root, "build");

function git(...args: string[]): string {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

const commit = git("rev-parse", "HEAD");
const treeState =
  commit === "" ? "" : git("status", "--porcelain", "--untracked-files=no") === "" ? "clean" : "dirty";

// The gRPC message code is generated from proto/ first (src/tiller/grpc/gen, not committed).
const gen = spawnSync(process.execPath, [join(root, "scripts", "gen-proto.ts")], {
  cwd: root,
  stdio: "inherit",
});
if (gen.status !== 0) process.exit(gen.status ?? 1);

mkdirSync(out, { recursive: true });
const result = spawnSync(
  process.execPath,
  [
    "build",
    join(root, "src", "main.ts"),
    "--compile",
    "--minify",
    "--bytecode",
    "--sourcemap=none",
    `--define=HELMTS_GIT_COMMIT=${JSON.stringify(commit)}`,
    `--define=HELMTS_GIT_TREE_STATE=${JSON.stringify(treeState)}`,
    "--outfile",
    join(out, "helm"),
  ],
  { cwd: root, stdio: "inherit" },
);
if (result.status !== 0) process.exit(result.status ?? 1);

const tiller = join(out, "tiller");
if (existsSync(tiller)) rmSync(tiller);
symlinkSync("helm", tiller);
