/**
 * Hostile registries (an in-process fake that lies on purpose): wrong digests, a missing layer,
 * an oversized manifest, layers of the wrong media type, a Docker manifest, and a blob redirect to
 * another host — which must not receive the credentials. Also the Bearer token flow. Every failure
 * is one line, exit 1, and nothing is written to the destination.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chartArchive, newHome } from "../repo/support.ts";
import { HELM_TS } from "../support/binary.ts";
import { type FakeOptions, type FakeRegistry, startFakeRegistry } from "../support/fake-registry.ts";

/** Our binary run without blocking: the fake registry answers from this same process. */
function oursAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.HELM_TS_BIN ?? HELM_TS, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, status: code ?? -1 }));
  });
}

const CONFIG = "application/vnd.cncf.helm.config.v1+json";
const LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

let fake: FakeRegistry | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

function sha(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** A fake registry holding chart `demo:0.1.0` under `charts/demo`. */
async function withChart(opts: FakeOptions = {}, layerType = LAYER) {
  fake = await startFakeRegistry(opts);
  const archive = chartArchive({ name: "demo", version: "0.1.0" });
  const config = new Uint8Array(Buffer.from('{"name":"demo","version":"0.1.0","apiVersion":"v2"}'));
  const configDigest = fake.putBlob(config);
  const layerDigest = fake.putBlob(archive);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    config: { mediaType: CONFIG, digest: configDigest, size: config.length },
    layers: [{ mediaType: layerType, digest: layerDigest, size: archive.length }],
  });
  fake.putManifest("charts/demo", "0.1.0", manifest);
  return { fake, layerDigest, archive, manifest };
}

async function pull(host: string, extra: string[] = []) {
  const { home, env } = newHome("helmts-hostile-");
  const dest = join(home, "out");
  mkdirSync(dest);
  const r = await oursAsync(
    ["pull", `oci://${host}/charts/demo`, "--version", "0.1.0", "--plain-http", "-d", dest, ...extra],
    env,
  );
  return { ...r, files: readdirSync(dest) };
}

function expectRefused(r: Awaited<ReturnType<typeof pull>>, message: string | RegExp) {
  expect(r.status).toBe(1);
  expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.files).toEqual([]);
}

describe("hostile registries", () => {
  test("a well-formed chart pulls (the fake itself is sound)", async () => {
    const { fake } = await withChart();
    const r = await pull(fake.host);
    expect(r.stderr).toContain(`Pulled: ${fake.host}/charts/demo:0.1.0`);
    expect(r.files).toEqual(["demo-0.1.0.tgz"]);
  });

  test("a manifest whose digest is not the one the registry claims", async () => {
    const { fake } = await withChart({ lyingDigest: `sha256:${"0".repeat(64)}` });
    expectRefused(await pull(fake.host), /^Error: digest mismatch for manifest .*charts\/demo:0\.1\.0/);
  });

  test("a pull by digest answered with another manifest", async () => {
    const { fake, manifest } = await withChart();
    const other = `sha256:${"1".repeat(64)}`;
    fake.putManifest("charts/demo", "0.1.0", manifest);
    const { home, env } = newHome("helmts-hostile-");
    const r = await oursAsync(
      ["pull", `oci://${fake.host}/charts/demo@${other}`, "--plain-http", "-d", home],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("not found");
  });

  test("a layer whose bytes do not match its digest", async () => {
    const { fake, layerDigest, archive } = await withChart();
    const evil = new Uint8Array(archive);
    evil[evil.length - 1] ^= 0xff;
    fake.tamperBlob(layerDigest, evil);
    expectRefused(await pull(fake.host), `digest mismatch for blob ${layerDigest}`);
  });

  test("a layer the registry does not have", async () => {
    fake = await startFakeRegistry();
    const config = new Uint8Array(Buffer.from('{"name":"demo","version":"0.1.0"}'));
    const missing = `sha256:${"2".repeat(64)}`;
    fake.putManifest(
      "charts/demo",
      "0.1.0",
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: CONFIG, digest: fake.putBlob(config), size: config.length },
        layers: [{ mediaType: LAYER, digest: missing, size: 10 }],
      }),
    );
    expectRefused(await pull(fake.host), "response status code 404: blob unknown: blob unknown to registry");
  });

  test("a manifest larger than 4 MiB is refused before it is read", async () => {
    fake = await startFakeRegistry();
    fake.putManifest("charts/demo", "0.1.0", `{"pad":"${"x".repeat(5 * 1024 * 1024)}"}`);
    expectRefused(await pull(fake.host), "is more than the limit of 4194304 bytes");
  });

  test("a layer declaring a huge size is refused before it is fetched", async () => {
    fake = await startFakeRegistry();
    const config = new Uint8Array(Buffer.from('{"name":"demo"}'));
    fake.putManifest(
      "charts/demo",
      "0.1.0",
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: CONFIG, digest: fake.putBlob(config), size: config.length },
        layers: [{ mediaType: LAYER, digest: `sha256:${"3".repeat(64)}`, size: 10 * 1024 * 1024 * 1024 }],
      }),
    );
    expectRefused(await pull(fake.host), "more than the limit of");
  });

  test("layers of the wrong media type", async () => {
    const { fake } = await withChart({}, "application/vnd.oci.image.layer.v1.tar+gzip");
    expectRefused(
      await pull(fake.host),
      "Error: manifest does not contain a layer with mediatype application/vnd.cncf.helm.chart.content.v1.tar+gzip",
    );
  });

  test("a Docker image manifest is not a chart", async () => {
    const { fake, manifest } = await withChart();
    fake.putManifest(
      "charts/demo",
      "0.1.0",
      manifest,
      "application/vnd.docker.distribution.manifest.v2+json",
    );
    expectRefused(await pull(fake.host), "is not an OCI image manifest");
  });

  test("Bearer token flow: the token is fetched with Basic credentials and used for every request", async () => {
    const { fake } = await withChart({ bearer: { user: "bob", password: "pw" } });
    const ok = await pull(fake.host, ["--username", "bob", "--password", "pw"]);
    expect(ok.status).toBe(0);
    expect(ok.files).toEqual(["demo-0.1.0.tgz"]);
    const token = fake.requests.filter((r) => r.path.startsWith("/token"));
    expect(token.length).toBeGreaterThan(0);
    expect(token[0]!.path).toContain("scope=repository%3Acharts%2Fdemo%3Apull");
    expect(token[0]!.authorization).toBe(`Basic ${Buffer.from("bob:pw").toString("base64")}`);
    const blobs = fake.requests.filter((r) => r.path.includes("/blobs/") && r.authorization !== "");
    expect(blobs.every((r) => r.authorization === "Bearer fake-token-123")).toBe(true);
    const denied = await pull(fake.host, ["--username", "bob", "--password", "wrong"]);
    expectRefused(denied, "response status code 401: unauthorized: bad credentials");
  });

  test("a blob redirected to another host is fetched without the credentials", async () => {
    const { fake, layerDigest } = await withChart({ bearer: { user: "bob", password: "pw" } });
    fake.redirectBlob(layerDigest);
    const r = await pull(fake.host, ["--username", "bob", "--password", "pw"]);
    expect(r.status).toBe(0);
    expect(r.files).toEqual(["demo-0.1.0.tgz"]);
    const elsewhere = fake.requests.filter((q) => q.host.startsWith("localhost:"));
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.authorization).toBe("");
  });

  test("the sha256 of what we pulled is the layer's digest", async () => {
    const { fake, layerDigest, archive } = await withChart();
    expect(sha(archive)).toBe(layerDigest);
    expect((await pull(fake.host)).files).toEqual(["demo-0.1.0.tgz"]);
  });
});
