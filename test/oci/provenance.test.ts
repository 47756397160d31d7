/**
 * Provenance both ways against real Helm: charts signed by `helm package --sign` verify with our
 * `helm verify` (same report; tampering refused with Helm's errors), charts signed by our
 * signChart verify with real Helm (same signed body, passphrase-protected keys too), and
 * `pull --verify` of an OCI chart pushed with its .prov. Keys are made in the test with openpgp
 * and written as binary keyrings, the format `gpg --export` writes and Helm reads.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { signChart } from "../../src/repo/provenance.ts";
import { chartArchive, helm, newHome, ours } from "../repo/support.ts";
import { type Registry, startRegistry } from "../support/registry.ts";

let home: string;
let env: Record<string, string>;
let secring: string;
let pubring: string;
let lockedSecring: string;
let otherPubring: string;
let registry: Registry;

async function makeKey(name: string, passphrase?: string) {
  return openpgp.generateKey({
    type: "ecc",
    curve: "ed25519Legacy",
    userIDs: [{ name, email: `${name.toLowerCase().replaceAll(" ", ".")}@example.com` }],
    passphrase,
    format: "binary",
  });
}

/** A chart directory for `helm package`. */
function chartDir(parent: string, name: string, version: string): string {
  const dir = join(parent, name);
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(
    join(dir, "Chart.yaml"),
    `apiVersion: v2\nname: ${name}\nversion: ${version}\ndescription: signed & sealed <chart>\nmaintainers:\n- name: Ann\n  email: ann@example.com\nannotations:\n  b: "2"\n  a: "1"\n`,
  );
  writeFileSync(join(dir, "values.yaml"), "x: 1\n");
  writeFileSync(
    join(dir, "templates", "cm.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
  );
  return dir;
}

beforeAll(async () => {
  ({ home, env } = newHome("helmts-prov-"));
  const signer = await makeKey("Chart Signer");
  const locked = await makeKey("Locked Signer", "correct horse");
  const other = await makeKey("Someone Else");
  secring = join(home, "secring.gpg");
  pubring = join(home, "pubring.gpg");
  lockedSecring = join(home, "locked-secring.gpg");
  otherPubring = join(home, "other.gpg");
  writeFileSync(secring, signer.privateKey);
  writeFileSync(lockedSecring, locked.privateKey);
  // One keyring holding both public keys, as a user's pubring.gpg would.
  writeFileSync(pubring, Buffer.concat([signer.publicKey, locked.publicKey]));
  writeFileSync(otherPubring, other.publicKey);
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.stop();
});

describe("helm verify of charts real Helm signed", () => {
  let signed: string;
  beforeAll(() => {
    const out = join(home, "helm-signed");
    const r = helm(
      [
        "package",
        chartDir(join(home, "src1"), "sealed", "1.0.0"),
        "--sign",
        "--key",
        "Chart Signer",
        "--keyring",
        secring,
        "-d",
        out,
      ],
      env,
    );
    expect(r.status).toBe(0);
    signed = join(out, "sealed-1.0.0.tgz");
  });

  test("passes with the same report as real Helm", () => {
    const a = ours(["verify", signed, "--keyring", pubring], env);
    const b = helm(["verify", signed, "--keyring", pubring], env);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("Signed by: Chart Signer <chart.signer@example.com>");
  });

  test("tampering and wrong inputs fail with Helm's errors", () => {
    const dir = join(home, "tampered");
    mkdirSync(dir);
    // The archive changed after signing.
    const changed = join(dir, "sealed-1.0.0.tgz");
    writeFileSync(changed, Buffer.concat([readFileSync(signed), Buffer.from("x")]));
    copyFileSync(`${signed}.prov`, `${changed}.prov`);
    // The archive renamed: the .prov names another file.
    const renamed = join(dir, "renamed.tgz");
    copyFileSync(signed, renamed);
    copyFileSync(`${signed}.prov`, `${renamed}.prov`);
    // No .prov at all; a .prov that is not signed.
    const bare = join(dir, "bare.tgz");
    copyFileSync(signed, bare);
    const garbage = join(dir, "garbage.tgz");
    copyFileSync(signed, garbage);
    writeFileSync(`${garbage}.prov`, "not a signature\n");
    const cases = [
      [changed, pubring],
      [renamed, pubring],
      [bare, pubring],
      [garbage, pubring],
      [signed, otherPubring],
      [signed, join(dir, "missing.gpg")],
      [join(dir, "nope.tgz"), pubring],
      [dir, pubring],
    ];
    for (const [chart, keyring] of cases) {
      const a = ours(["verify", chart!, "--keyring", keyring!], env);
      const b = helm(["verify", chart!, "--keyring", keyring!], env);
      expect(b.status).toBe(1);
      expect(a.status).toBe(1);
      expect(a.stderr).toBe(b.stderr);
    }
  });

  test("a .prov whose signed body was edited is refused", () => {
    const dir = join(home, "edited");
    mkdirSync(dir);
    const chart = join(dir, "sealed-1.0.0.tgz");
    copyFileSync(signed, chart);
    writeFileSync(
      `${chart}.prov`,
      readFileSync(`${signed}.prov`, "utf8").replace("version: 1.0.0", "version: 6.6.6"),
    );
    const a = ours(["verify", chart, "--keyring", pubring], env);
    expect(a.status).toBe(1);
    expect(a.stderr).toStartWith("Error: openpgp: invalid signature:");
    expect(helm(["verify", chart, "--keyring", pubring], env).stderr).toStartWith(
      "Error: openpgp: invalid signature:",
    );
  });
});

describe("signChart", () => {
  test("writes the .prov real Helm writes (same signed body) and real Helm verifies it", async () => {
    const src = chartDir(join(home, "src2"), "mine", "0.4.0");
    const theirs = join(home, "theirs");
    const mine = join(home, "mine-out");
    expect(
      helm(["package", src, "--sign", "--key", "Chart Signer", "--keyring", secring, "-d", theirs], env)
        .status,
    ).toBe(0);
    mkdirSync(mine);
    copyFileSync(join(theirs, "mine-0.4.0.tgz"), join(mine, "mine-0.4.0.tgz"));
    await signChart(join(mine, "mine-0.4.0.tgz"), secring, "Chart Signer");
    const body = (p: string) => readFileSync(p, "utf8").split("-----BEGIN PGP SIGNATURE-----")[0];
    expect(body(join(mine, "mine-0.4.0.tgz.prov"))).toBe(body(join(theirs, "mine-0.4.0.tgz.prov")));
    const r = helm(["verify", join(mine, "mine-0.4.0.tgz"), "--keyring", pubring], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Chart Hash Verified: sha256:");
  });

  test("a passphrase-protected key: the right passphrase signs, none or a wrong one fails", async () => {
    const dir = join(home, "locked");
    mkdirSync(dir);
    const tgz = join(dir, "locked-0.1.0.tgz");
    writeFileSync(tgz, chartArchive({ name: "locked", version: "0.1.0" }));
    await expect(signChart(tgz, lockedSecring, "Locked Signer")).rejects.toThrow("passphrase");
    await expect(signChart(tgz, lockedSecring, "Locked Signer", "wrong")).rejects.toThrow();
    await expect(signChart(tgz, secring, "Nobody")).rejects.toThrow("private key not found");
    expect(readdirSync(dir)).toEqual(["locked-0.1.0.tgz"]);
    await signChart(tgz, lockedSecring, "Locked Signer", "correct horse");
    const r = helm(["verify", tgz, "--keyring", pubring], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Signed by: Locked Signer <locked.signer@example.com>");
  });
});

describe("pull --verify from a registry", () => {
  test("a chart pushed with its .prov verifies; a wrong keyring fails and saves nothing", () => {
    const out = join(home, "pushed");
    expect(
      helm(
        [
          "package",
          chartDir(join(home, "src3"), "pushed", "0.9.0"),
          "--sign",
          "--key",
          "Chart Signer",
          "--keyring",
          secring,
          "-d",
          out,
        ],
        env,
      ).status,
    ).toBe(0);
    expect(
      ours(["push", join(out, "pushed-0.9.0.tgz"), `oci://${registry.host}/signed`, "--plain-http"], env)
        .status,
    ).toBe(0);
    const d1 = join(home, "v-ours");
    const d2 = join(home, "v-helm");
    mkdirSync(d1);
    mkdirSync(d2);
    const args = [
      "pull",
      `oci://${registry.host}/signed/pushed`,
      "--verify",
      "--keyring",
      pubring,
      "--plain-http",
    ];
    const a = ours([...args, "-d", d1], env);
    const b = helm([...args, "-d", d2], env);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(b.stderr);
    expect(readdirSync(d1).sort()).toEqual(readdirSync(d2).sort());
    const d3 = join(home, "v-wrong");
    mkdirSync(d3);
    const bad = ours(
      [
        "pull",
        `oci://${registry.host}/signed/pushed`,
        "--verify",
        "--keyring",
        otherPubring,
        "--plain-http",
        "-d",
        d3,
      ],
      env,
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("openpgp: signature made by unknown entity");
    expect(readdirSync(d3)).toEqual([]);
  });
});
