/**
 * Is a live object ready? Judged as Helm 4's default `--wait` (the kstatus watcher) judges it:
 * per-kind rules for workloads, and generic rules (observedGeneration, Ready/Stalled/Reconciling
 * conditions) for everything else. Pure functions over object JSON; the waiter polls or watches.
 */

export type ReadinessStatus = "Current" | "InProgress" | "Failed" | "Terminating";

export interface Readiness {
  status: ReadinessStatus;
  /** Why, in a few words, for progress displays ("Ready: 1/3"). */
  message: string;
}

/** How strictly Jobs count: Helm's default `--wait` accepts a started Job; `--wait-for-jobs` and hooks need completion. */
export interface ReadinessOptions {
  jobsMustComplete?: boolean;
}

type Obj = Record<string, unknown>;

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

function obj(v: unknown): Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}

function num(v: unknown, fallback = 0): number {
  return typeof v === "number" ? v : fallback;
}

function conditions(status: Obj): Condition[] {
  return Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
}

function condition(status: Obj, type: string): Condition | undefined {
  return conditions(status).find((c) => c.type === type);
}

const current = (message: string): Readiness => ({ status: "Current", message });
const inProgress = (message: string): Readiness => ({ status: "InProgress", message });
const failed = (message: string): Readiness => ({ status: "Failed", message });

/** The readiness of one object. */
export function readinessOf(object: Obj, opts: ReadinessOptions = {}): Readiness {
  const metadata = obj(object.metadata);
  if (metadata.deletionTimestamp)
    return { status: "Terminating", message: "Resource scheduled for deletion" };
  const status = obj(object.status);
  const spec = obj(object.spec);
  const generation = num(metadata.generation, 0);
  if (status.observedGeneration !== undefined && num(status.observedGeneration) < generation) {
    return inProgress(
      `${object.kind} generation is ${generation}, but latest observed generation is ${status.observedGeneration}`,
    );
  }
  const byKind = kindRules[String(object.kind)];
  if (byKind) return byKind(spec, status, opts);
  return generic(status);
}

/** kstatus' rules for any kind: Stalled fails, Reconciling or a false Ready condition waits. */
function generic(status: Obj): Readiness {
  const stalled = condition(status, "Stalled");
  if (stalled?.status === "True") return failed(stalled.message || "Stalled");
  const reconciling = condition(status, "Reconciling");
  if (reconciling?.status === "True") return inProgress(reconciling.message || "Reconciling");
  const ready = condition(status, "Ready");
  if (ready && ready.status !== "True") return inProgress(ready.message || "Ready condition is not True");
  return current("Resource is current");
}

type KindRule = (spec: Obj, status: Obj, opts: ReadinessOptions) => Readiness;

const kindRules: Record<string, KindRule> = {
  Deployment(spec, status) {
    if (spec.paused === true) return current("Deployment is paused");
    const want = num(spec.replicas, 1);
    const progressing = condition(status, "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") return failed("Progress deadline exceeded");
    const counts = {
      updated: num(status.updatedReplicas),
      ready: num(status.readyReplicas),
      available: num(status.availableReplicas),
      total: num(status.replicas),
    };
    if (counts.updated < want) return inProgress(`Updated: ${counts.updated}/${want}`);
    if (counts.total > counts.updated)
      return inProgress(`Pending termination: ${counts.total - counts.updated}`);
    if (counts.available < want) return inProgress(`Available: ${counts.available}/${want}`);
    if (counts.ready < want) return inProgress(`Ready: ${counts.ready}/${want}`);
    if (spec.progressDeadlineSeconds !== undefined && progressing?.reason !== "NewReplicaSetAvailable") {
      return inProgress("Deployment is progressing");
    }
    const available = condition(status, "Available");
    if (available && available.status !== "True") return inProgress("Deployment not Available");
    return current(`Deployment is available. Replicas: ${counts.total}`);
  },
  StatefulSet(spec, status) {
    if (obj(spec.updateStrategy).type === "OnDelete")
      return current("StatefulSet is using the OnDelete strategy");
    const want = num(spec.replicas, 1);
    const ready = num(status.readyReplicas);
    if (num(status.replicas) < want) return inProgress(`Replicas: ${num(status.replicas)}/${want}`);
    if (ready < want) return inProgress(`Ready: ${ready}/${want}`);
    const partition = num(obj(obj(spec.updateStrategy).rollingUpdate).partition, 0);
    if (partition > 0) {
      if (num(status.updatedReplicas) < want - partition)
        return inProgress(`Partitioned roll out in progress`);
      return current(`Partition rollout complete. updated: ${num(status.updatedReplicas)}`);
    }
    if (num(status.currentReplicas) < want)
      return inProgress(`Current: ${num(status.currentReplicas)}/${want}`);
    if (status.currentRevision !== status.updateRevision)
      return inProgress("Waiting for updated revision to roll out");
    return current(`All replicas scheduled as expected. Replicas: ${want}`);
  },
  DaemonSet(_spec, status) {
    if (status.observedGeneration === undefined) return inProgress("DaemonSet has not been observed yet");
    const desired = num(status.desiredNumberScheduled);
    for (const [field, label] of [
      ["currentNumberScheduled", "Current"],
      ["updatedNumberScheduled", "Updated"],
      ["numberAvailable", "Available"],
      ["numberReady", "Ready"],
    ] as const) {
      if (num(status[field]) < desired) return inProgress(`${label}: ${num(status[field])}/${desired}`);
    }
    return current(`All replicas scheduled as expected. Replicas: ${desired}`);
  },
  ReplicaSet(spec, status) {
    const want = num(spec.replicas, 1);
    for (const [field, label] of [
      ["fullyLabeledReplicas", "Labelled"],
      ["availableReplicas", "Available"],
      ["readyReplicas", "Ready"],
    ] as const) {
      if (num(status[field]) < want) return inProgress(`${label}: ${num(status[field])}/${want}`);
    }
    return current(`ReplicaSet is available. Replicas: ${want}`);
  },
  Job(_spec, status, opts) {
    if (condition(status, "Failed")?.status === "True")
      return failed(condition(status, "Failed")?.message || "Job Failed");
    if (condition(status, "Complete")?.status === "True")
      return current(`Job Completed. succeeded: ${num(status.succeeded)}`);
    if (!opts.jobsMustComplete && status.startTime) return current("Job in progress");
    return inProgress(status.startTime ? "Job in progress" : "Job not started");
  },
  Pod(_spec, status, opts) {
    const phase = String(status.phase ?? "Pending");
    if (phase === "Succeeded") return current("Pod has completed successfully");
    if (phase === "Failed") return failed("Pod has completed, but not successfully");
    if (opts.jobsMustComplete) return inProgress(`Pod phase: ${phase}`);
    if (phase === "Running" && condition(status, "Ready")?.status === "True") return current("Pod is Ready");
    return inProgress(`Pod phase: ${phase}`);
  },
  PersistentVolumeClaim(_spec, status) {
    return status.phase === "Bound"
      ? current("PVC is Bound")
      : inProgress(`PVC is not Bound. phase: ${status.phase ?? "Pending"}`);
  },
  Service(spec) {
    if (spec.type === "ExternalName") return current("Service is ready");
    return spec.clusterIP ? current("Service is ready") : inProgress("Service does not have a cluster IP");
  },
  CustomResourceDefinition(_spec, status) {
    const established = condition(status, "Established");
    if (condition(status, "NamesAccepted")?.status === "False") return failed("CRD names are not accepted");
    return established?.status === "True"
      ? current("CRD is established")
      : inProgress("CRD is not established");
  },
};
