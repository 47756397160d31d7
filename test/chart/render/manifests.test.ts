import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  printManifests,
  sortByKind,
  sortManifests,
  splitDocuments,
} from "../../../src/chart/render/manifests.ts";
import { runExe } from "../../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../../support/oracle.ts";

describe("splitDocuments", () => {
  test("splits on --- lines, trims, drops whitespace-only documents", () => {
    expect(splitDocuments("a: 1\n---\nb: 2\n---\n  \n")).toEqual(["a: 1", "b: 2"]);
    // The whitespace after a separator is consumed with it, so a following --- stays (checked with real Helm).
    expect(splitDocuments("a: 1\n---\n  \n---\nc: 3\n")).toEqual(["a: 1", "---\nc: 3"]);
    expect(splitDocuments("---\na: 1")).toEqual(["a: 1"]);
    expect(splitDocuments("   \n\n")).toEqual([]);
  });

  test("a --- right after a separator stays in the document, as in Helm", () => {
    expect(splitDocuments("a: 1\n---\n---\nb: 2")).toEqual(["a: 1", "---\nb: 2"]);
  });

  test("--- inside a line is not a separator", () => {
    expect(splitDocuments("a: x---y\nb: '---'")).toEqual(["a: x---y\nb: '---'"]);
  });
});

describe("sortByKind", () => {
  test("install order, unknown kinds last and alphabetical, stable on ties", () => {
    const items = ["Zed", "Deployment", "Alpha", "Namespace", "Service", "Deployment"].map((kind, i) => ({
      kind,
      i,
    }));
    expect(sortByKind(items).map((x) => `${x.kind}${x.i}`)).toEqual([
      "Namespace3",
      "Service4",
      "Deployment1",
      "Deployment5",
      "Alpha2",
      "Zed0",
    ]);
  });
});

describe("sortManifests", () => {
  test("separates hooks with events, weights and policies", () => {
    const files = new Map([
      [
        "c/templates/h.yaml",
        'kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install, test-success\n    helm.sh/hook-weight: "-5"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n',
      ],
      ["c/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: cm\n"],
    ]);
    const { manifests, hooks } = sortManifests(files);
    expect(manifests.map((m) => m.metadataName)).toEqual(["cm"]);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.events).toEqual(["pre-install", "test"]);
    expect(hooks[0]!.weight).toBe(-5);
    expect(hooks[0]!.deletePolicies).toEqual(["before-hook-creation", "hook-succeeded"]);
  });

  test("a document of only comments is kept as a manifest with an empty head", () => {
    const { manifests } = sortManifests(new Map([["c/templates/pdb.yaml", "# disabled\n# nothing here\n"]]));
    expect(manifests.map((m) => [m.kind, m.content])).toEqual([["", "# disabled\n# nothing here"]]);
  });

  test("invalid YAML and non-mapping documents name the file", () => {
    expect(() => sortManifests(new Map([["c/templates/x.yaml", "a: [1"]]))).toThrow(
      "YAML parse error on c/templates/x.yaml",
    );
    expect(() => sortManifests(new Map([["c/templates/n.txt", "plain text"]]))).toThrow(
      "YAML parse error on c/templates/n.txt: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type util.SimpleHead",
    );
  });

  test("orders and prints exactly as real Helm's `helm template` for literal templates", () => {
    const dir = mkdtempSync(join(tmpdir(), "helmts-sort-"));
    const chart = join(dir, "o");
    mkdirSync(join(chart, "templates"), { recursive: true });
    mkdirSync(join(chart, "charts", "sub", "templates"), { recursive: true });
    writeFileSync(join(chart, "Chart.yaml"), "apiVersion: v2\nname: o\nversion: 0.1.0\n");
    writeFileSync(join(chart, "charts", "sub", "Chart.yaml"), "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    const kinds = [
      "Deployment",
      "Zzz",
      "ConfigMap",
      "Service",
      "Namespace",
      "StorageClass",
      "Aaa",
      "CronJob",
      "Secret",
      "ValidatingWebhookConfiguration",
      "PriorityClass",
      "ClusterRole",
      "Job",
      "Ingress",
      "ServiceAccount",
      "Endpoints",
    ];
    const files = new Map<string, string>();
    const add = (rel: string, text: string) => {
      writeFileSync(join(chart, rel), text);
      files.set(`o/${rel}`, text);
    };
    add(
      "templates/b.yaml",
      kinds.map((k, i) => `apiVersion: v1\nkind: ${k}\nmetadata:\n  name: b${i}\n`).join("---\n"),
    );
    add(
      "templates/a.yaml",
      "# lead\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a1\n---\n---\nkind: Secret\nmetadata:\n  name: a2\n---\n  \n",
    );
    add(
      "templates/hooks.yaml",
      [
        ["Pod", "h1", "post-install", "0"],
        ["Job", "h2", "pre-install", "5"],
        ["ConfigMap", "h3", "pre-install", "-1"],
        ["Pod", "t1", "test", "0"],
      ]
        .map(
          ([k, n, h, w]) =>
            `apiVersion: v1\nkind: ${k}\nmetadata:\n  name: ${n}\n  annotations:\n    helm.sh/hook: ${h}\n    helm.sh/hook-weight: "${w}"\n`,
        )
        .join("---\n"),
    );
    add("templates/data.json", '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fromjson"}}\n');
    add("charts/sub/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n");

    const real = runExe(oraclePaths().helm, ["template", "r", chart], isolatedHelmEnv(dir));
    expect(real.stderr).toBe("");
    const { manifests, hooks } = sortManifests(files);
    expect(printManifests(manifests) + printManifests(hooks)).toBe(real.stdout);
  });
});
