/** Sprig's certificates as the engine builds them: valid X.509 that verifies, and clean errors. */
import { describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { Certificate } from "../../../src/chart/engine/funcs/crypto.ts";
import { buildFuncMap } from "../../../src/chart/engine/funcs/index.ts";
import type { GoValue } from "../../../src/chart/engine/value.ts";

const funcs = buildFuncMap();
const call = (name: string, ...args: GoValue[]) =>
  funcs.get(name)!.fn(...args) as { Cert: string; Key: string };

describe("certificates", () => {
  test("a CA signs a leaf with SANs; both parse and verify", () => {
    const ca = call("genCA", "my-ca", 365n);
    const leaf = call("genSignedCert", "svc", ["10.0.0.1", "::1"], ["a.example"], 30n, ca);
    const caCert = new X509Certificate(ca.Cert);
    const cert = new X509Certificate(leaf.Cert);
    expect([caCert.ca, caCert.subject, caCert.verify(caCert.publicKey)]).toEqual([true, "CN=my-ca", true]);
    expect([cert.ca, cert.subject, cert.issuer]).toEqual([false, "CN=svc", "CN=my-ca"]);
    expect(cert.subjectAltName).toBe("DNS:a.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(leaf.Key.startsWith("-----BEGIN RSA PRIVATE KEY-----\n")).toBe(true);
  });

  test("ECDSA and Ed25519 keys sign and are kept in Go's PEM forms", () => {
    const ecKey = funcs.get("genPrivateKey")!.fn("ecdsa") as string;
    const ca = call("genCAWithKey", "ec-ca", 1n, ecKey);
    expect(ca.Key).toBe(ecKey);
    const leaf = call(
      "genSignedCertWithKey",
      "x",
      null,
      null,
      1n,
      ca,
      funcs.get("genPrivateKey")!.fn("ed25519"),
    );
    expect(new X509Certificate(leaf.Cert).verify(new X509Certificate(ca.Cert).publicKey)).toBe(true);
    expect(leaf.Key.startsWith("-----BEGIN PRIVATE KEY-----\n")).toBe(true);
  });

  test("hostile certificates and CAs fail with one-line errors", () => {
    const empty = Buffer.from("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n").toString(
      "base64",
    );
    expect(() => call("buildCustomCert", empty, "eA==")).toThrow(/^error parsing certificate: /);
    const junk = new Certificate("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "x");
    expect(() => call("genSignedCert", "x", null, null, 1n, junk)).toThrow(/^error parsing CA: [^\n]+$/);
  });
});
