/**
 * The live upgrade diff against a fake cluster: which side each object's text comes from (live
 * object, dry-run result or stored manifest), server fields dropped, kept objects, the fallback
 * for kinds the server cannot dry-run, and conflict warnings.
 */
import { describe, expect, test } from "bun:test";
import { type DiffCluster, diffLive, diffReleases } from "../../src/tiller/actions/diff.ts";
import type { Release } from "../../src/tiller/release/release.ts";

type Obj = Record<string, unknown> & { kind: string; metadata: { name: string } };

const cm = (name: string, data: Record<string, string>, annotations?: Record<string, string>): Obj => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(annotations ? { annotations } : {}) },
  data,
});

/** A stored release whose manifest holds the objects (as JSON, which is YAML). */
function release(version: number, objects: Obj[], hooks: Release["hooks"] = []): Release {
  return {
    name: "r",
    namespace: "ns",
    version,
    info: { status: "deployed" } as Release["info"],
    chart: {} as Release["chart"],
    manifest: objects
      .map((o) => `---\n# Source: app/templates/${o.metadata.name}.yaml\n${JSON.stringify(o)}\n`)
      .join(""),
    hooks,
  };
}

/** A cluster holding `live` objects (by name); dry runs return the object with a server field added. */
function cluster(live: Record<string, Obj>, opts: { unknownKinds?: string[]; conflicts?: string[] } = {}) {
  const calls: { name: string; force: boolean }[] = [];
  const fake: DiffCluster = {
    namespace: "ns",
    get: async (o) => {
      const l = live[String(o.metadata.name)];
      return l && { ...l, metadata: { ...l.metadata, namespace: "ns", uid: "u", resourceVersion: "1" } };
    },
    dryRunApply: async (o, force) => {
      const name = String(o.metadata.name);
      calls.push({ name, force });
      if (opts.unknownKinds?.includes(o.kind)) return undefined;
      const object = {
        ...o,
        metadata: { ...o.metadata, namespace: "ns", uid: "u", managedFields: [{}] },
        status: {},
      };
      const conflict = !force && opts.conflicts?.includes(name) ? `conflict on ${name}` : undefined;
      return { object, ...(conflict ? { conflict } : {}) };
    },
  };
  return { fake, calls };
}

const summary = (r: { changes: { change: string; name: string }[] }) =>
  r.changes.map((c) => `${c.change} ${c.name}`);

describe("diffLive", () => {
  test("live vs dry run; ownership stamps applied; unchanged objects left out; server fields never shown", async () => {
    const current = release(1, [cm("a", { x: "1" }), cm("same", { y: "1" })]);
    const next = release(2, [cm("a", { x: "2" }), cm("same", { y: "1" })]);
    const stamps = {
      "meta.helm.sh/release-name": "r",
      "meta.helm.sh/release-namespace": "ns",
    };
    const live = {
      a: {
        ...cm("a", { x: "1" }, stamps),
        metadata: { name: "a", annotations: stamps, labels: { "app.kubernetes.io/managed-by": "Helm" } },
      },
      same: {
        ...cm("same", { y: "1" }),
        metadata: { name: "same", annotations: stamps, labels: { "app.kubernetes.io/managed-by": "Helm" } },
      },
    };
    const { fake, calls } = cluster(live);
    const report = await diffLive(fake, { current, next });
    expect(summary(report)).toEqual(["MODIFY a"]);
    expect(report.changes[0]!.lines.filter((l) => l.op !== " ")).toEqual([
      { op: "-", text: '  x: "1"' },
      { op: "+", text: '  x: "2"' },
    ]);
    const text = report.changes[0]!.lines.map((l) => l.text).join("\n");
    expect(text).not.toContain("uid");
    expect(text).not.toContain("managedFields");
    expect(text).not.toContain("status");
    expect(calls.map((c) => c.name).sort()).toEqual(["a", "same"]);
    expect(report.warnings).toEqual([]);
  });

  test("removed: the live copy, else the stored manifest; kept objects are not removed; missing live = added", async () => {
    const current = release(1, [
      cm("live-gone", { a: "1" }),
      cm("stored-gone", { b: "1" }),
      cm("kept", {}, { "helm.sh/resource-policy": "keep" }),
    ]);
    const next = release(2, [cm("fresh", { c: "1" })]);
    const { fake } = cluster({ "live-gone": cm("live-gone", { a: "changed-by-hand" }) });
    const report = await diffLive(fake, { current, next });
    expect(summary(report)).toEqual(["REMOVE live-gone", "REMOVE stored-gone", "ADD fresh"]);
    expect(report.changes[0]!.lines.map((l) => l.text)).toContain("  a: changed-by-hand");
    expect(report.changes[1]!.lines.map((l) => l.text)).toContain(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"stored-gone"},"data":{"b":"1"}}',
    );
  });

  test("a kind the server cannot dry-run falls back to the stored manifests", async () => {
    const widget = (size: number): Obj => ({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      spec: { size },
    });
    const { fake } = cluster({}, { unknownKinds: ["Widget"] });
    const report = await diffLive(fake, { current: release(1, [widget(1)]), next: release(2, [widget(2)]) });
    expect(summary(report)).toEqual(["MODIFY w"]);
    expect(report.changes[0]!.lines.filter((l) => l.op !== " ").map((l) => l.op + l.text)).toEqual([
      '-{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1}}',
      '+{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":2}}',
    ]);
  });

  test("conflicts become sorted warnings; --force-conflicts asks forced at once", async () => {
    const next = release(2, [cm("b", {}), cm("a", {})]);
    const { fake } = cluster({}, { conflicts: ["a", "b"] });
    const report = await diffLive(fake, { next });
    expect(report.warnings).toEqual([
      "conflict on a; compared as the upgrade would apply it with --force-conflicts",
      "conflict on b; compared as the upgrade would apply it with --force-conflicts",
    ]);
    const forced = cluster({}, { conflicts: ["a", "b"] });
    expect((await diffLive(forced.fake, { next, forceConflicts: true })).warnings).toEqual([]);
    expect(forced.calls.every((c) => c.force)).toBe(true);
  });
});

describe("diffReleases", () => {
  const hook = (name: string, events: string[]) => ({
    name,
    kind: "ConfigMap",
    path: `app/templates/${name}.yaml`,
    manifest: JSON.stringify(cm(name, { h: "1" })),
    events,
    last_run: { phase: "" },
  });

  test("stored manifests and hooks; test hooks only when asked; none with disableHooks", () => {
    const before = release(1, [cm("a", { x: "1" })]);
    const after = release(2, [cm("a", { x: "1" })], [hook("pre", ["pre-upgrade"]), hook("t", ["test"])]);
    expect(summary(diffReleases(before, after, "ns"))).toEqual(["ADD pre"]);
    expect(summary(diffReleases(before, after, "ns", { includeTests: true }))).toEqual(["ADD pre", "ADD t"]);
    expect(summary(diffReleases(before, after, "ns", { disableHooks: true }))).toEqual([]);
    expect(summary(diffReleases(undefined, after, "ns"))).toEqual(["ADD a", "ADD pre"]);
  });
});
