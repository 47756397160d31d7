/**
 * Generate the gRPC message code from proto/ (Helm 2's hapi definitions and our extension
 * service) into src/tiller/grpc/gen/: static protobufjs code plus TypeScript declarations, so the
 * compiled binary carries plain code and never reads .proto files. Run by `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const out = join(root, "src", "tiller", "grpc", "gen");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

mkdirSync(out, { recursive: true });
run(bin("pbjs"), [
  "-t",
  "static-module",
  "-w",
  "es6",
  "--keep-case",
  "--force-number",
  "--no-verify",
  "--no-delimited",
  "-p",
  "proto",
  "-o",
  join(out, "protos.js"),
  "proto/hapi/services/tiller.proto",
  "proto/helmts/tiller/v1/extensions.proto",
]);
run(bin("pbts"), ["--no-comments", "-o", join(out, "protos.d.ts"), join(out, "protos.js")]);
