/** A real `build/helm tiller serve` process for tests and benchmarks, on free loopback ports. */
import { type ChildProcess, spawn } from "node:child_process";
import { HELM_TS } from "./binary.ts";

export interface TillerProcess {
  port: number;
  probePort: number;
  proc: ChildProcess;
  stderr: () => string;
}

/** Start Tiller as the kubeconfig's `helm-server` identity; resolves once it listens. */
export function startTillerProcess(args: string[], env: Record<string, string>): Promise<TillerProcess> {
  const proc = spawn(
    HELM_TS,
    [
      "tiller",
      "serve",
      "--listen",
      "127.0.0.1:0",
      "--probe-listen",
      "127.0.0.1:0",
      "--kube-context",
      "helm-server",
      ...args,
    ],
    { env, stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  return new Promise((resolve, reject) => {
    proc.stderr!.on("data", (d) => {
      err += d;
      const m = /msg="tiller serving" grpc="[^"]*:(\d+)" probes="[^"]*:(\d+)"/.exec(err);
      if (m) resolve({ port: Number(m[1]), probePort: Number(m[2]), proc, stderr: () => err });
    });
    proc.on("exit", (code) => reject(new Error(`tiller exited ${code}: ${err}`)));
  });
}
