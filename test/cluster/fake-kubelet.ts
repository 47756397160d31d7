/**
 * "Fake kubelet" (test-cluster.md section 6, Mode B): there are no Nodes and no kubelet, so this
 * watches Pods and moves every Pending Pod on: Pods owned by a Job and Helm hook Pods (annotation
 * `helm.sh/hook`) become `Succeeded`; all others become `Running` with PodScheduled, Initialized,
 * ContainersReady and Ready all True. The controller-manager derives the rest (ReplicaSet ready
 * counts, Deployment Available, Job Complete, StatefulSet ordinals).
 *
 * It runs as its own process (started by the harness), so a test that blocks its event loop
 * (spawnSync of `helm install --wait`) cannot starve it.
 *
 * Scope: with `--all-namespaces` every namespace; otherwise only namespaces labelled
 * `helm-ts.test/fake-kubelet=true` (so one shared cluster can host suites that want Pods to stay
 * Pending). Pods are not bound to a node, so deleting one is immediate — except Pods a test binds
 * to the fake Node for port-forwards (fake-node.ts): those the fake kubelet deletes at once when
 * their deletion is asked, as a kubelet confirms it.
 *
 * Env: FAKE_KUBELET_SERVER, FAKE_KUBELET_TOKEN, FAKE_KUBELET_CA_FILE, FAKE_KUBELET_TLS_CERT and
 * FAKE_KUBELET_TLS_KEY (the port-forward endpoint's serving pair). Logs one line per Pod to stdout.
 */
import { readFileSync } from "node:fs";
import { FAKE_NODE_NAME, startFakeNode } from "./fake-node.ts";
import { type Json, type KubeEndpoint, kubeRequest, listWatch, type WatchEvent } from "./kube-http.ts";

/** The namespace label that opts a namespace in when the fake kubelet is not cluster-wide. */
export const FAKE_KUBELET_LABEL = "helm-ts.test/fake-kubelet";

interface PodLike {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    deletionTimestamp?: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string }[];
  };
  spec?: { nodeName?: string; containers?: { name: string; image?: string }[] };
  status?: { phase?: string };
}

/** Whether the fake kubelet finishes this Pod (`Succeeded`) rather than running it. */
export function podShouldSucceed(pod: PodLike): boolean {
  return (
    (pod.metadata.ownerReferences ?? []).some((o) => o.kind === "Job") ||
    pod.metadata.annotations?.["helm.sh/hook"] !== undefined
  );
}

let ipCounter = 0;
function nextPodIP(): string {
  ipCounter = (ipCounter + 1) % 65000;
  return `10.244.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 2}`;
}

/** The status the fake kubelet writes for a Pending Pod. */
export function fakePodStatus(pod: PodLike, now = new Date()): Json {
  const ts = now.toISOString().replace(/\.\d+Z$/, "Z");
  const done = podShouldSucceed(pod);
  const cond = (type: string, ok: boolean, reason?: string): Json => ({
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null,
    lastTransitionTime: ts,
    ...(reason ? { reason } : {}),
  });
  const ip = nextPodIP();
  return {
    phase: done ? "Succeeded" : "Running",
    conditions: [
      cond("PodScheduled", true),
      cond("Initialized", true, done ? "PodCompleted" : undefined),
      cond("ContainersReady", !done, done ? "PodCompleted" : undefined),
      cond("Ready", !done, done ? "PodCompleted" : undefined),
    ],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: ts,
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? "",
      imageID: "",
      ready: !done,
      started: !done,
      restartCount: 0,
      state: done
        ? { terminated: { exitCode: 0, reason: "Completed", startedAt: ts, finishedAt: ts } }
        : { running: { startedAt: ts } },
    })),
  };
}

export class FakeKubelet {
  private readonly enabled = new Set<string>();
  private readonly done = new Set<string>();
  private readonly pending = new Map<string, PodLike>();
  private readonly abort = new AbortController();
  private readonly tasks: Promise<void>[] = [];

  constructor(
    private readonly ep: KubeEndpoint,
    private readonly allNamespaces: boolean,
    private readonly log: (line: string) => void = (l) => console.log(l),
  ) {}

  start(): void {
    const onError = (what: string) => (err: unknown) => this.log(`${what} watch error: ${String(err)}`);
    if (!this.allNamespaces) {
      this.tasks.push(
        listWatch(
          this.ep,
          "/api/v1/namespaces",
          (ev) => this.onNamespace(ev),
          this.abort.signal,
          onError("ns"),
        ),
      );
    }
    this.tasks.push(
      listWatch(this.ep, "/api/v1/pods", (ev) => this.onPod(ev), this.abort.signal, onError("pod")),
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.tasks);
  }

  private onNamespace(ev: WatchEvent): void {
    const meta = ev.object.metadata as { name: string; labels?: Record<string, string> };
    const on = ev.type !== "DELETED" && meta.labels?.[FAKE_KUBELET_LABEL] === "true";
    if (on && !this.enabled.has(meta.name)) {
      this.enabled.add(meta.name);
      this.log(`namespace ${meta.name}: enabled`);
      // Pods that arrived before the label was seen.
      for (const pod of [...this.pending.values()]) {
        if (pod.metadata.namespace === meta.name) void this.mark(pod);
      }
    } else if (!on && this.enabled.delete(meta.name)) {
      this.log(`namespace ${meta.name}: disabled`);
    }
  }

  private onPod(ev: WatchEvent): void {
    const pod = ev.object as unknown as PodLike;
    const key = pod.metadata.uid;
    const phase = pod.status?.phase ?? "Pending";
    if (ev.type !== "DELETED" && pod.metadata.deletionTimestamp && pod.spec?.nodeName === FAKE_NODE_NAME) {
      void this.confirmDeletion(pod);
    }
    if (ev.type === "DELETED" || pod.metadata.deletionTimestamp || phase !== "Pending") {
      this.pending.delete(key);
      if (ev.type === "DELETED") this.done.delete(key);
      return;
    }
    this.pending.set(key, pod);
    if (this.allNamespaces || this.enabled.has(pod.metadata.namespace)) void this.mark(pod);
  }

  /** What a kubelet does once a bound Pod's containers stopped: delete it for good. */
  private async confirmDeletion(pod: PodLike): Promise<void> {
    const { name, namespace } = pod.metadata;
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
    const res = await kubeRequest(this.ep, "DELETE", path, { body: { gracePeriodSeconds: 0 } }).catch(
      (err: unknown) => ({ status: 0, body: String(err) }),
    );
    if (res.status !== 200 && res.status !== 404)
      this.log(`pod ${namespace}/${name}: DELETE HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }

  private async mark(pod: PodLike): Promise<void> {
    const { name, namespace, uid } = pod.metadata;
    if (this.done.has(uid)) return;
    this.done.add(uid);
    this.pending.delete(uid);
    const status = fakePodStatus(pod);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/status`;
    try {
      const res = await kubeRequest(this.ep, "PATCH", path, {
        body: { status },
        contentType: "application/merge-patch+json",
      });
      if (res.status === 200) this.log(`pod ${namespace}/${name}: ${String(status.phase)}`);
      else if (res.status === 404) this.log(`pod ${namespace}/${name}: gone`);
      else {
        this.log(`pod ${namespace}/${name}: PATCH status HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        this.done.delete(uid);
      }
    } catch (err) {
      this.log(`pod ${namespace}/${name}: ${String(err)}`);
      this.done.delete(uid);
    }
  }
}

/** Run as a process: the Node's port-forward endpoint, then the Pod watch. */
async function main(): Promise<void> {
  const {
    FAKE_KUBELET_SERVER: server,
    FAKE_KUBELET_TOKEN: token,
    FAKE_KUBELET_CA_FILE: caFile,
  } = process.env;
  const { FAKE_KUBELET_TLS_CERT: certFile, FAKE_KUBELET_TLS_KEY: keyFile } = process.env;
  if (!server || !token || !caFile || !certFile || !keyFile) {
    console.error(
      "fake-kubelet: FAKE_KUBELET_SERVER, FAKE_KUBELET_TOKEN, FAKE_KUBELET_CA_FILE, FAKE_KUBELET_TLS_CERT and FAKE_KUBELET_TLS_KEY are required",
    );
    process.exit(2);
  }
  const all = process.argv.includes("--all-namespaces");
  const ep = { server, token, ca: readFileSync(caFile, "utf8") };
  const kubelet = new FakeKubelet(ep, all);
  const stopNode = await startFakeNode(ep, { certFile, key: keyFile }, (l) => console.log(l));
  kubelet.start();
  console.log(
    `fake-kubelet: watching pods (${all ? "all namespaces" : `namespaces labelled ${FAKE_KUBELET_LABEL}=true`})`,
  );
  const bye = () => {
    void Promise.all([kubelet.stop(), stopNode()]).then(() => process.exit(0));
  };
  process.on("SIGTERM", bye);
  process.on("SIGINT", bye);
}

if (import.meta.main) {
  main().catch((err: unknown) => {
    console.error(`fake-kubelet: ${String(err)}`);
    process.exit(1);
  });
}
