/**
 * `npm start`: the main job. Builds build/helm, renders the example chart with `helm template`,
 * and installs it with `helm upgrade --install --wait` into a cluster: the one in $KUBECONFIG when
 * set, otherwise a local test cluster (real kube-apiserver + etcd on 127.0.0.1, with a fake kubelet
 * so Pods become ready, started in the background and left running). Then it shows the release.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { clusterCacheDir } from "../test/cluster/harness.ts";
import { oraclePaths } from "../test/support/oracle.ts";

const root = join(import.meta.dir, "..");
const helm = join(root, "build", "helm");

function step(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  console.error(`==> ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    input: opts.input,
    env: opts.env ?? process.env,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    process.stderr.write(r.stderr ?? "");
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

/** The kubeconfig of the hand-started local cluster, starting one if none runs. */
async function localCluster(): Promise<string> {
  const stateFile = join(clusterCacheDir(), "run", "cluster.json");
  const running = (): string | undefined => {
    if (!existsSync(stateFile)) return undefined;
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as { pid: number; kubeconfig: string };
    try {
      process.kill(state.pid, 0);
      return state.kubeconfig;
    } catch {
      return undefined;
    }
  };
  const existing = running();
  if (existing) return existing;
  const logDir = join(clusterCacheDir(), "run");
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, "main-job-cluster.log"), "a");
  console.error(
    "==> starting a local cluster (first run builds kube-apiserver; later runs start in seconds)",
  );
  const child = spawn(
    process.execPath,
    [join(root, "test", "cluster", "cli.ts"), "start", "--fake-kubelet"],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", log, log],
    },
  );
  child.unref();
  closeSync(log);
  for (let waited = 0; waited < 3600; waited++) {
    const kubeconfig = running();
    if (kubeconfig && existsSync(kubeconfig)) return kubeconfig;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.error(`the local cluster did not start; see ${join(logDir, "main-job-cluster.log")}`);
  process.exit(1);
}

step(process.execPath, [join(root, "scripts", "build.ts")]);
const manifests = step(helm, ["template", "demo", join(root, "examples", "hello")]);
process.stdout.write(manifests);

const userKubeconfig = process.env.KUBECONFIG;
const kubeconfig = userKubeconfig || (await localCluster());
const env = { ...process.env, KUBECONFIG: kubeconfig, NO_PROXY: "127.0.0.1,localhost" };
const { kubectl } = oraclePaths();
process.stdout.write(
  step(helm, ["upgrade", "--install", "demo", join(root, "examples", "hello"), "--wait", "--timeout", "2m"], {
    env,
  }),
);
process.stdout.write(
  step(kubectl, ["get", "deployment,service,configmap", "-l", "app.kubernetes.io/instance=demo"], { env }),
);
if (!userKubeconfig) {
  console.error(`\nThe example runs in a local cluster: export KUBECONFIG=${kubeconfig}`);
  console.error("Stop the cluster with: npm run cluster -- stop");
}
