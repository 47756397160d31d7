/**
 * `npm start`: the main job. Builds build/helm, then renders the example chart with
 * `helm template` and prints the manifests. (The cluster and release issues turn this into a real
 * install on a local API server.)
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dir, "..");

function step(cmd: string, args: string[]): void {
  console.error(`==> ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step(process.execPath, [join(root, "scripts", "build.ts")]);
step(join(root, "build", "helm"), ["template", "demo", join(root, "examples", "hello")]);
