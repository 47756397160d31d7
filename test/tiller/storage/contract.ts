/** The contract every storage driver passes (memory in unit tests; secret/configmap on a real API server). */
import { describe, expect, test } from "bun:test";
import type { Release, ReleaseStatus } from "../../../src/tiller/release/release.ts";
import {
  type Driver,
  ReleaseExistsError,
  ReleaseNotFoundError,
  releaseKey,
} from "../../../src/tiller/storage/driver.ts";
import { Storage } from "../../../src/tiller/storage/storage.ts";

/** A minimal valid release for tests. */
export function sampleRelease(
  name: string,
  version: number,
  status: ReleaseStatus,
  namespace = "default",
): Release {
  return {
    name,
    namespace,
    version,
    info: { status, first_deployed: "2026-01-01T00:00:00Z", last_deployed: "2026-01-01T00:00:00Z" },
    chart: {
      metadata: { name: "demo", version: "1.0.0", apiVersion: "v2" },
      lock: null,
      templates: [],
      values: { replicas: 1 },
      schema: null,
      files: null,
    },
    config: { image: { tag: "v1" } },
    manifest: "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n",
  };
}

/** A driver under test and the namespace its records live in. */
export interface DriverUnderTest {
  driver: Driver;
  namespace: string;
}

/** Run the driver contract; `make(slot)` gives a fresh driver and namespace for each test (slots a, b, c). */
export function driverContract(
  label: string,
  make: (slot: "a" | "b" | "c") => Promise<DriverUnderTest> | DriverUnderTest,
): void {
  describe(`${label} driver contract`, () => {
    test("create, get, update, delete one record", async () => {
      const { driver: d, namespace } = await make("a");
      const rls = sampleRelease("one", 1, "pending-install", namespace);
      await d.create(releaseKey("one", 1), rls);
      expect((await d.get(releaseKey("one", 1))).info.status).toBe("pending-install");
      await expect(d.create(releaseKey("one", 1), rls)).rejects.toBeInstanceOf(ReleaseExistsError);
      await d.update(releaseKey("one", 1), { ...rls, info: { ...rls.info, status: "deployed" } });
      const got = await d.get(releaseKey("one", 1));
      expect(got.info.status).toBe("deployed");
      expect(got.config).toEqual({ image: { tag: "v1" } });
      expect((await d.delete(releaseKey("one", 1))).name).toBe("one");
      await expect(d.get(releaseKey("one", 1))).rejects.toBeInstanceOf(ReleaseNotFoundError);
      await expect(d.delete(releaseKey("one", 1))).rejects.toBeInstanceOf(ReleaseNotFoundError);
      await expect(d.update(releaseKey("one", 1), rls)).rejects.toBeInstanceOf(ReleaseNotFoundError);
    });

    test("query by labels and list with a filter", async () => {
      const { driver: d, namespace } = await make("b");
      await d.create(releaseKey("q", 1), sampleRelease("q", 1, "superseded", namespace));
      await d.create(releaseKey("q", 2), sampleRelease("q", 2, "deployed", namespace));
      await d.create(releaseKey("other", 1), sampleRelease("other", 1, "failed", namespace));
      const q = await d.query({ name: "q", owner: "helm" });
      expect(q.map((r) => r.version).sort()).toEqual([1, 2]);
      expect((await d.query({ name: "q", status: "deployed" })).map((r) => r.version)).toEqual([2]);
      await expect(d.query({ name: "absent" })).rejects.toBeInstanceOf(ReleaseNotFoundError);
      const failed = await d.list((r) => r.info.status === "failed");
      expect(failed.map((r) => r.name)).toEqual(["other"]);
    });

    test("storage facade: history, last, deployed and pruning", async () => {
      const { driver, namespace } = await make("c");
      const s = new Storage(driver, 2);
      await s.create(sampleRelease("h", 1, "superseded", namespace));
      await s.create(sampleRelease("h", 2, "deployed", namespace));
      await s.create(sampleRelease("h", 3, "failed", namespace));
      expect((await s.history("h")).map((r) => r.version)).toEqual([1, 2, 3]);
      expect((await s.last("h")).version).toBe(3);
      expect((await s.deployed("h")).version).toBe(2);
      const pruned = await s.prune("h");
      expect(pruned.map((r) => r.version)).toEqual([1]);
      expect((await s.history("h")).map((r) => r.version)).toEqual([2, 3]);
      expect(await s.history("none")).toEqual([]);
      await expect(s.deployed("none")).rejects.toThrow('"none" has no deployed releases');
    });
  });
}
