/**
 * Entry point: argv → command. Started as `tiller` (e.g. through a symlink) it behaves as `helm tiller`.
 */
import { basename } from "node:path";
import { run } from "./cli/run.ts";

const invokedAs = basename(process.argv0 || process.argv[1] || "helm");
const args = process.argv.slice(2);
// No top-level await: the compiled binary is bytecode, which needs a non-async module body.
run(invokedAs === "tiller" ? ["tiller", ...args] : args).then((code) => {
  process.exitCode = code;
});
