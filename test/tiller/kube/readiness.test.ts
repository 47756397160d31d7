import { describe, expect, test } from "bun:test";
import { readinessOf } from "../../../src/tiller/kube/readiness.ts";

const meta = (generation = 1, extra: Record<string, unknown> = {}) => ({ name: "x", generation, ...extra });

describe("readinessOf", () => {
  test("Deployment needs every replica count and the NewReplicaSetAvailable reason", () => {
    const spec = { replicas: 2, progressDeadlineSeconds: 600 };
    const partial = {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
    };
    expect(readinessOf({ kind: "Deployment", metadata: meta(), spec, status: partial }).status).toBe(
      "InProgress",
    );
    const done = {
      ...partial,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: "Available", status: "True" },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
      ],
    };
    expect(readinessOf({ kind: "Deployment", metadata: meta(), spec, status: done })).toEqual({
      status: "Current",
      message: "Deployment is available. Replicas: 2",
    });
    const stale = { kind: "Deployment", metadata: meta(2), spec, status: done };
    expect(readinessOf(stale).status).toBe("InProgress");
    const stuck = {
      ...done,
      conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
    };
    expect(readinessOf({ kind: "Deployment", metadata: meta(), spec, status: stuck }).status).toBe("Failed");
  });

  test("Jobs: started is enough by default, completion with --wait-for-jobs, Failed fails", () => {
    const running = {
      kind: "Job",
      metadata: meta(),
      status: { startTime: "2026-01-01T00:00:00Z", active: 1 },
    };
    expect(readinessOf(running).status).toBe("Current");
    expect(readinessOf(running, { jobsMustComplete: true }).status).toBe("InProgress");
    const complete = {
      ...running,
      status: { ...running.status, conditions: [{ type: "Complete", status: "True" }] },
    };
    expect(readinessOf(complete, { jobsMustComplete: true }).status).toBe("Current");
    const broken = {
      ...running,
      status: { conditions: [{ type: "Failed", status: "True", message: "BackoffLimitExceeded" }] },
    };
    expect(readinessOf(broken)).toEqual({ status: "Failed", message: "BackoffLimitExceeded" });
  });

  test("Pods, PVCs, Services, CRDs, StatefulSets and DaemonSets", () => {
    const readyPod = { phase: "Running", conditions: [{ type: "Ready", status: "True" }] };
    expect(readinessOf({ kind: "Pod", metadata: meta(), status: readyPod }).status).toBe("Current");
    expect(readinessOf({ kind: "Pod", metadata: meta(), status: { phase: "Pending" } }).status).toBe(
      "InProgress",
    );
    expect(readinessOf({ kind: "Pod", metadata: meta(), status: { phase: "Failed" } }).status).toBe("Failed");
    expect(
      readinessOf({ kind: "PersistentVolumeClaim", metadata: meta(), status: { phase: "Bound" } }).status,
    ).toBe("Current");
    expect(
      readinessOf({
        kind: "Service",
        metadata: meta(),
        spec: { type: "LoadBalancer", clusterIP: "10.0.0.5" },
      }).status,
    ).toBe("Current");
    const crd = {
      kind: "CustomResourceDefinition",
      metadata: meta(),
      status: { conditions: [{ type: "Established", status: "True" }] },
    };
    expect(readinessOf(crd).status).toBe("Current");
    const sts = {
      kind: "StatefulSet",
      metadata: meta(),
      spec: { replicas: 1 },
      status: {
        replicas: 1,
        readyReplicas: 1,
        currentReplicas: 1,
        updatedReplicas: 1,
        currentRevision: "a",
        updateRevision: "b",
      },
    };
    expect(readinessOf(sts).status).toBe("InProgress");
    expect(readinessOf({ ...sts, status: { ...sts.status, updateRevision: "a" } }).status).toBe("Current");
    const ds = { kind: "DaemonSet", metadata: meta(), status: { desiredNumberScheduled: 0 } };
    expect(readinessOf(ds).status).toBe("InProgress");
    expect(readinessOf({ ...ds, status: { observedGeneration: 1, desiredNumberScheduled: 0 } }).status).toBe(
      "Current",
    );
  });

  test("custom resources follow Ready/Stalled/Reconciling; no status is ready; deletion is Terminating", () => {
    expect(readinessOf({ kind: "Widget", metadata: meta() }).status).toBe("Current");
    const notReady = {
      kind: "Widget",
      metadata: meta(),
      status: { conditions: [{ type: "Ready", status: "False" }] },
    };
    expect(readinessOf(notReady).status).toBe("InProgress");
    const stalled = {
      kind: "Widget",
      metadata: meta(),
      status: { conditions: [{ type: "Stalled", status: "True", message: "bad" }] },
    };
    expect(readinessOf(stalled)).toEqual({ status: "Failed", message: "bad" });
    const deleting = { kind: "ConfigMap", metadata: meta(1, { deletionTimestamp: "2026-01-01T00:00:00Z" }) };
    expect(readinessOf(deleting).status).toBe("Terminating");
  });
});
