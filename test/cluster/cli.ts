/**
 * `npm run cluster` — start a test control plane by hand and keep it until stopped.
 *
 *   npm run cluster [-- start] [--fake-kubelet[=all|labelled]] [--no-controller-manager]
 *   npm run cluster -- stop      stop the one started above (from another terminal)
 *   npm run cluster -- status    print its kubeconfig and pids
 *
 * State lives in `$K8S_TEST_CACHE/run/cluster.json` (pid, dir, kubeconfig); one hand-started
 * cluster at a time.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { clusterCacheDir, type FakeKubeletMode, processAlive, startCluster } from "./harness.ts";

interface State {
  pid: number;
  dir: string;
  kubeconfig: string;
  server: string;
  processes: { name: string; pid: number }[];
}

const stateFile = join(clusterCacheDir(), "run", "cluster.json");

function readState(): State | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    const s = JSON.parse(readFileSync(stateFile, "utf8")) as State;
    if (processAlive(s.pid)) return s;
  } catch {
    // unreadable: treat as stale
  }
  rmSync(stateFile, { force: true });
  return undefined;
}

function usage(): never {
  console.error(
    "usage: npm run cluster [-- start|stop|status] [--fake-kubelet[=all|labelled]] [--no-controller-manager]",
  );
  process.exit(2);
}

async function start(args: string[]): Promise<void> {
  let fakeKubelet: FakeKubeletMode = "off";
  let controllerManager = true;
  for (const a of args) {
    if (a === "--fake-kubelet" || a === "--fake-kubelet=all") fakeKubelet = "all";
    else if (a === "--fake-kubelet=labelled") fakeKubelet = "labelled";
    else if (a === "--no-controller-manager") controllerManager = false;
    else usage();
  }
  const running = readState();
  if (running) {
    console.error(`a cluster is already running (pid ${running.pid}): KUBECONFIG=${running.kubeconfig}`);
    console.error("stop it with: npm run cluster -- stop");
    process.exit(1);
  }
  const t0 = Date.now();
  const cluster = await startCluster({ fakeKubelet, controllerManager });
  mkdirSync(join(clusterCacheDir(), "run"), { recursive: true });
  const state: State = {
    pid: process.pid,
    dir: cluster.dir,
    kubeconfig: cluster.kubeconfig,
    server: cluster.server,
    processes: cluster.processes.map(({ name, pid }) => ({ name, pid })),
  };
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  process.on("exit", () => {
    const s = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, "utf8")) as State) : undefined;
    if (s?.pid === process.pid) rmSync(stateFile, { force: true });
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`
Test cluster up in ${secs} s: kube-apiserver ${cluster.versions.kubeApiserver}, etcd ${cluster.versions.etcd}
  server:      ${cluster.server}
  kubeconfig:  ${cluster.kubeconfig}   (contexts: admin, alice, bob, helm-server)
  logs:        ${cluster.dir}/*.log
  fake kubelet: ${fakeKubelet}${controllerManager ? "" : "   (no controller-manager)"}
  processes:   ${cluster.processes.map((p) => `${p.name}=${p.pid}`).join(" ")}

  export KUBECONFIG=${cluster.kubeconfig}
  kubectl get ns

Stop with Ctrl-C here, or from another shell: npm run cluster -- stop
`);
  // Stay until a signal: the harness's SIGINT/SIGTERM handler stops the cluster and exits.
  setInterval(() => {}, 1 << 30);
}

async function stop(): Promise<void> {
  const s = readState();
  if (!s) {
    console.log("no hand-started test cluster is running");
    return;
  }
  process.kill(s.pid, "SIGTERM");
  const deadline = Date.now() + 20_000;
  while (processAlive(s.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(s.pid)) {
    console.error(`pid ${s.pid} still running after 20 s`);
    process.exit(1);
  }
  const left = s.processes.filter((p) => processAlive(p.pid));
  if (left.length) {
    console.error(`still running: ${left.map((p) => `${p.name}=${p.pid}`).join(" ")}`);
    process.exit(1);
  }
  rmSync(stateFile, { force: true });
  console.log(`stopped the test cluster (pid ${s.pid}); ${s.dir} removed: ${!existsSync(s.dir)}`);
}

function status(): void {
  const s = readState();
  if (!s) {
    console.log("no hand-started test cluster is running");
    process.exit(1);
  }
  console.log(`running (pid ${s.pid}) at ${s.server}\nexport KUBECONFIG=${s.kubeconfig}`);
  for (const p of s.processes) console.log(`  ${p.name} pid ${p.pid} ${processAlive(p.pid) ? "up" : "down"}`);
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === undefined || cmd.startsWith("--")) await start(cmd === undefined ? [] : [cmd, ...rest]);
else if (cmd === "start") await start(rest);
else if (cmd === "stop") await stop();
else if (cmd === "status") status();
else usage();
