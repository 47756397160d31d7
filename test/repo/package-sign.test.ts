/**
 * `helm package --sign` checked by real Helm: the .prov our package writes verifies with
 * `helm verify` (plain and passphrase-protected keys, the passphrase from a file or stdin), and
 * Helm's flag errors.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { helm, newHome, ours } from "./support.ts";

const { home, env } = newHome("helmts-sign-");
let secring: string;
let lockedSecring: string;
let pubring: string;
let chart: string;

beforeAll(async () => {
  const key = (name: string, passphrase?: string) =>
    openpgp.generateKey({
      type: "ecc",
      curve: "ed25519Legacy",
      userIDs: [{ name, email: "signer@example.com" }],
      passphrase,
      format: "binary",
    });
  const plain = await key("Plain Signer");
  const locked = await key("Locked Signer", "s3cret words");
  secring = join(home, "secring.gpg");
  lockedSecring = join(home, "locked.gpg");
  pubring = join(home, "pubring.gpg");
  writeFileSync(secring, plain.privateKey);
  writeFileSync(lockedSecring, locked.privateKey);
  writeFileSync(pubring, Buffer.concat([plain.publicKey, locked.publicKey]));
  writeFileSync(join(home, "pass.txt"), "s3cret words\nsecond line ignored\n");
  chart = join(home, "signed");
  mkdirSync(join(chart, "templates"), { recursive: true });
  writeFileSync(
    join(chart, "Chart.yaml"),
    "apiVersion: v2\nname: signed\nversion: 1.2.3\ndescription: a & b\n",
  );
  writeFileSync(join(chart, "values.yaml"), "a: 1\n");
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

test("a chart signed by our package verifies with real Helm", () => {
  const dest = join(home, "out1");
  const r = ours(
    ["package", chart, "--sign", "--key", "Plain Signer", "--keyring", secring, "-d", dest],
    env,
  );
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe(`Successfully packaged chart and saved it to: ${join(dest, "signed-1.2.3.tgz")}\n`);
  const v = helm(["verify", join(dest, "signed-1.2.3.tgz"), "--keyring", pubring], env);
  expect(v.status).toBe(0);
  expect(v.stdout).toContain("Signed by: Plain Signer <signer@example.com>");
});

test("passphrase-protected keys: the passphrase from a file, or from stdin with -", () => {
  for (const [dest, file, input] of [
    [join(home, "out2"), join(home, "pass.txt"), undefined],
    [join(home, "out3"), "-", "s3cret words\n"],
  ] as const) {
    const r = ours(
      [
        "package",
        chart,
        "--sign",
        "--key",
        "Locked",
        "--keyring",
        lockedSecring,
        "--passphrase-file",
        file,
        "-d",
        dest,
      ],
      env,
      input,
    );
    expect(r.status).toBe(0);
    expect(helm(["verify", join(dest, "signed-1.2.3.tgz"), "--keyring", pubring], env).status).toBe(0);
  }
});

test("flag errors as Helm's", () => {
  const h = helm(["package", chart, "--sign", "-d", join(home, "x")], env);
  const o = ours(["package", chart, "--sign", "-d", join(home, "x")], env);
  expect(o).toEqual(h);
  const wrongKey = ours(
    ["package", chart, "--sign", "--key", "Nobody", "--keyring", secring, "-d", join(home, "y")],
    env,
  );
  expect(wrongKey.status).toBe(1);
  expect(wrongKey.stderr).toBe("Error: private key not found\n");
});
