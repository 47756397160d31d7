/** The pure text half of `helm diff`: normalisation, Secret masking, line diffs and the three report formats. */
import { describe, expect, test } from "bun:test";
import { compareDocuments, lineDiff, type ResourceChange } from "../../src/diff/changes.ts";
import {
  apiOf,
  documentKey,
  type KubeDocumentObject,
  resourceDocument,
  withoutServerFields,
} from "../../src/diff/documents.ts";
import { diffBody, diffOutputFormat, formatChanges } from "../../src/diff/format.ts";
import { maskSecretPair } from "../../src/diff/secrets.ts";

const cm = (name: string, data: Record<string, string>): KubeDocumentObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default" },
  data,
});

const plain = { output: "diff", context: -1, suppress: [], color: false } as const;

describe("documents", () => {
  test("server-maintained fields and the last-applied annotation are dropped; other annotations stay", () => {
    const live = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "web",
        namespace: "ns",
        uid: "u",
        resourceVersion: "7",
        generation: 3,
        creationTimestamp: "2026-01-01T00:00:00Z",
        managedFields: [{ manager: "helm" }],
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", keep: "me" },
      },
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    };
    expect(withoutServerFields(live)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "ns", annotations: { keep: "me" } },
      spec: { replicas: 2 },
    });
    const onlyLastApplied = withoutServerFields({
      ...live,
      metadata: { name: "x", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
    });
    expect(onlyLastApplied.metadata).toEqual({ name: "x" });
  });

  test("keys read as helm-diff's: namespace, name, kind (group or core version)", () => {
    expect(apiOf("apps/v1")).toBe("apps");
    expect(apiOf("v1")).toBe("v1");
    expect(apiOf("rbac.authorization.k8s.io/v1")).toBe("rbac.authorization.k8s.io");
    const d = resourceDocument(
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } },
      "prod",
    );
    expect(documentKey(d)).toBe("prod, web, Deployment (apps)");
    const cluster = resourceDocument({ apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } }, "");
    expect(documentKey(cluster)).toBe(", x, Namespace (v1)");
  });
});

describe("secrets", () => {
  const secret = (data: Record<string, string>, stringData?: Record<string, string>): KubeDocumentObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s" },
    data,
    ...(stringData ? { stringData } : {}),
  });

  test("changed values are -------- / ++++++++ with their sizes, equal ones REDACTED", () => {
    const old = secret({
      same: Buffer.from("abc").toString("base64"),
      pw: Buffer.from("old").toString("base64"),
    });
    const next = secret({
      same: Buffer.from("abc").toString("base64"),
      pw: Buffer.from("longer").toString("base64"),
    });
    const m = maskSecretPair(old, next);
    expect(m.old?.data).toEqual({ same: "REDACTED # (3 bytes)", pw: "-------- # (3 bytes)" });
    expect(m.new?.data).toEqual({ same: "REDACTED # (3 bytes)", pw: "++++++++ # (6 bytes)" });
  });

  test("stringData counts as data (it wins, as on the API server) and never shows", () => {
    const m = maskSecretPair(undefined, secret({ a: "eA==" }, { a: "hello", b: "xy" }));
    expect(m.old).toBeUndefined();
    expect(m.new).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { a: "++++++++ # (5 bytes)", b: "++++++++ # (2 bytes)" },
    });
  });

  test("compareDocuments masks Secrets unless showSecrets; the values never reach the lines", () => {
    const pair = {
      old: resourceDocument(secret({ pw: Buffer.from("hunter2").toString("base64") }), "ns"),
      new: resourceDocument(secret({ pw: Buffer.from("hunter3").toString("base64") }), "ns"),
    };
    const [masked] = compareDocuments([pair]);
    const text = masked!.lines.map((l) => `${l.op}${l.text}`).join("\n");
    expect(text).toContain("-  pw: '-------- # (7 bytes)'");
    expect(text).toContain("+  pw: '++++++++ # (7 bytes)'");
    expect(text).not.toContain(Buffer.from("hunter2").toString("base64"));
    const [shown] = compareDocuments([pair], { showSecrets: true });
    expect(shown!.lines.filter((l) => l.op !== " ").map((l) => l.text)).toEqual([
      `  pw: ${Buffer.from("hunter2").toString("base64")}`,
      `  pw: ${Buffer.from("hunter3").toString("base64")}`,
    ]);
  });
});

describe("changes", () => {
  test("lineDiff marks every line of both texts, with or without a final newline", () => {
    expect(lineDiff("a\nb\nc\n", "a\nB\nc")).toEqual([
      { op: " ", text: "a" },
      { op: "-", text: "b" },
      { op: "+", text: "B" },
      { op: " ", text: "c" },
    ]);
    expect(lineDiff("", "x\n")).toEqual([{ op: "+", text: "x" }]);
  });

  test("unchanged objects are left out; order is changed, removed, added, each by key", () => {
    const changes = compareDocuments([
      { new: resourceDocument(cm("z-new", { a: "1" }), "") },
      { old: resourceDocument(cm("gone", { a: "1" }), "") },
      {
        old: resourceDocument(cm("same", { a: "1" }), ""),
        new: resourceDocument(cm("same", { a: "1" }), ""),
      },
      { old: resourceDocument(cm("b", { a: "1" }), ""), new: resourceDocument(cm("b", { a: "2" }), "") },
      { old: resourceDocument(cm("a", { a: "1" }), ""), new: resourceDocument(cm("a", { a: "3" }), "") },
      { new: resourceDocument(cm("a-new", { a: "1" }), "") },
    ]);
    expect(changes.map((c) => `${c.change} ${c.name}`)).toEqual([
      "MODIFY a",
      "MODIFY b",
      "REMOVE gone",
      "ADD a-new",
      "ADD z-new",
    ]);
  });

  test("a stored document keeps its text and its # Source line", () => {
    const raw =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  b: "2"   # comment\n  a: "1"\n';
    const [c] = compareDocuments([
      { new: resourceDocument(cm("c", {}), "ns", { source: "app/templates/c.yaml", raw }) },
    ]);
    expect(c!.lines.map((l) => l.text)).toEqual([
      "# Source: app/templates/c.yaml",
      ...raw.trimEnd().split("\n"),
    ]);
  });
});

describe("formats", () => {
  const change = (over: Partial<ResourceChange> = {}): ResourceChange => ({
    key: "default, web, Deployment (apps)",
    api: "apps",
    kind: "Deployment",
    namespace: "default",
    name: "web",
    change: "MODIFY",
    lines: [
      { op: " ", text: "a: 1" },
      { op: " ", text: "b: 2" },
      { op: " ", text: "c: 3" },
      { op: "-", text: "d: 4" },
      { op: "+", text: "d: 5" },
      { op: " ", text: "e: 6" },
      { op: " ", text: "f: 7" },
      { op: " ", text: "" },
    ],
    ...over,
  });

  test("diff: a header per object, then +/-/two-space lines (an empty common line stays empty)", () => {
    expect(formatChanges([change()], plain)).toBe(
      "default, web, Deployment (apps) has changed:\n  a: 1\n  b: 2\n  c: 3\n- d: 4\n+ d: 5\n  e: 6\n  f: 7\n\n",
    );
    expect(formatChanges([change({ change: "ADD", lines: [{ op: "+", text: "x" }] })], plain)).toBe(
      "default, web, Deployment (apps) has been added:\n+ x\n",
    );
    expect(formatChanges([change({ change: "REMOVE", lines: [{ op: "-", text: "x" }] })], plain)).toBe(
      "default, web, Deployment (apps) has been removed:\n- x\n",
    );
    expect(formatChanges([], plain)).toBe("");
  });

  test("--context N keeps N lines around each change and marks each gap with ...", () => {
    expect(diffBody(change().lines, 1)).toEqual(["...", "  c: 3", "- d: 4", "+ d: 5", "  e: 6", "..."]);
    expect(diffBody(change().lines, 0)).toEqual(["...", "- d: 4", "+ d: 5", "..."]);
    expect(diffBody(change().lines, -1)).toHaveLength(8);
  });

  test("--suppress KIND lists the object without its lines", () => {
    expect(formatChanges([change()], { ...plain, suppress: ["Deployment"] })).toBe(
      "default, web, Deployment (apps) has changed:\n+ Changes suppressed on sensitive content of type Deployment\n",
    );
  });

  test("simple: one line per object and the plan", () => {
    const out = formatChanges(
      [change(), change({ change: "ADD", key: "default, a, ConfigMap (v1)" }), change({ change: "REMOVE" })],
      { ...plain, output: "simple" },
    );
    expect(out).toBe(
      "default, web, Deployment (apps) to be changed.\ndefault, a, ConfigMap (v1) to be added.\ndefault, web, Deployment (apps) to be removed.\nPlan: 1 to add, 1 to change, 1 to destroy, 0 to change ownership.\n",
    );
  });

  test("json: kind, name, namespace, change type and the diff text", () => {
    const out = JSON.parse(formatChanges([change()], { ...plain, output: "json", context: 0 }));
    expect(out).toEqual([
      {
        api: "apps",
        kind: "Deployment",
        namespace: "default",
        name: "web",
        change: "MODIFY",
        diff: "...\n- d: 4\n+ d: 5\n...",
      },
    ]);
    expect(formatChanges([], { ...plain, output: "json" })).toBe("[]\n");
  });

  test("dyff: one change per path; named list entries matched by name, not position", () => {
    const before = [
      "spec:",
      "  replicas: 1",
      "  template:",
      "    spec:",
      "      containers:",
      "      - name: sidecar",
      "        image: busybox",
      "      - name: web",
      "        image: nginx:1.25",
      "  paused: false",
    ];
    const after = [
      "spec:",
      "  replicas: 3",
      "  template:",
      "    spec:",
      "      containers:",
      "      - name: web",
      "        image: nginx:1.26",
      "      - name: sidecar",
      "        image: busybox",
      '  paused: "no"',
      "  minReadySeconds: 5",
    ];
    const lines = [
      ...before.map((text) => ({ op: "-" as const, text })),
      ...after.map((text) => ({ op: "+" as const, text })),
    ];
    expect(
      formatChanges([change({ lines }), change({ change: "ADD", key: "default, a, ConfigMap (v1)" })], {
        ...plain,
        output: "dyff",
      }),
    ).toBe(
      [
        "default, web, Deployment (apps) has changed:",
        "",
        "spec",
        "  + one map entry added:",
        "    minReadySeconds: 5",
        "",
        "spec.replicas",
        "  ± value change",
        "    - 1",
        "    + 3",
        "",
        "spec.template.spec.containers.web.image",
        "  ± value change",
        "    - nginx:1.25",
        "    + nginx:1.26",
        "",
        "spec.paused",
        "  ± type change from boolean to string",
        "    - false",
        "    + no",
        "",
        "default, a, ConfigMap (v1) has been added:",
        "  + one document added",
        "",
        "",
      ].join("\n"),
    );
  });

  test("dyff: unnamed list entries compare by position; extra entries are added or removed", () => {
    const lines = [
      { op: " " as const, text: "args:" },
      { op: " " as const, text: "- a" },
      { op: "-" as const, text: "- b" },
      { op: "+" as const, text: "- c" },
      { op: "+" as const, text: "- d" },
    ];
    expect(formatChanges([change({ lines })], { ...plain, output: "dyff" })).toBe(
      [
        "default, web, Deployment (apps) has changed:",
        "",
        "args.1",
        "  ± value change",
        "    - b",
        "    + c",
        "",
        "args",
        "  + one list entry added:",
        "    - d",
        "",
        "",
      ].join("\n"),
    );
  });

  test("colour: yellow header, red -, green +; plain lines uncoloured", () => {
    const out = formatChanges(
      [
        change({
          lines: [
            { op: "-", text: "x" },
            { op: "+", text: "y" },
            { op: " ", text: "z" },
          ],
        }),
      ],
      {
        ...plain,
        color: true,
      },
    );
    expect(out).toBe(
      "\x1b[33mdefault, web, Deployment (apps) has changed:\x1b[39m\n\x1b[31m- x\x1b[39m\n\x1b[32m+ y\x1b[39m\n  z\n",
    );
  });

  test("an unknown -o value is refused, naming the allowed ones", () => {
    expect(diffOutputFormat("simple")).toBe("simple");
    expect(() => diffOutputFormat("yaml")).toThrow(
      'invalid output format "yaml": must be one of diff, simple, json, dyff',
    );
  });
});
