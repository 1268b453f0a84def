import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";

const der = (pemPath: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(pemPath)).raw);

let harness: TokenHarness;
let certificates: readonly CertificateInfo[];

beforeAll(async () => {
  harness = await openTokenHarness({
    trustAnchors: [],
    crls: () => [readFileSync(harnessManifestCrl())],
  });
  certificates = await harness.service.listCertificates();
});
afterAll(() => harness?.close());

function harnessManifestCrl(): string {
  return harness.tokens.manifest.pki.crl.public.pem;
}

describe("listing tokens and certificates on SoftHSM", () => {
  it("listTokens: both fixture tokens with label, manufacturer, model, serial and PIN state", async () => {
    const tokens = await harness.service.listTokens();
    expect(tokens.map((token) => token.label).sort()).toEqual(harness.tokens.manifest.tokens.map((token) => token.label).sort());
    for (const expected of harness.tokens.manifest.tokens) {
      const token = tokens.find((candidate) => candidate.label === expected.label);
      expect(token).toMatchObject({ serial: expected.serial, manufacturer: "SoftHSM project", pinStatus: "ok", loginRequired: true });
      expect(token?.id).toBe(`${token?.moduleId}:${expected.serial}`);
    }
  });

  it("listCertificates: every fixture certificate, with its stable id, fields and Vietnamese identifiers", () => {
    const manifest = harness.tokens.manifest;
    expect(certificates).toHaveLength(Object.keys(manifest.objects).length);
    for (const fixture of Object.values(manifest.objects)) {
      const serial = manifest.tokens.find((token) => token.label === fixture.token)?.serial;
      const info = certificates.find((candidate) => candidate.id === `${fixture.fingerprintSha256}:${serial}`);
      expect(info, fixture.name).toBeDefined();
      if (!info) continue;
      expect(info.label).toBe(fixture.label);
      expect(info.serialNumber).toBe(fixture.serialNumber);
      expect(info.notAfter).toBe(fixture.notAfter);
      expect(info.subject.commonName).toBe(fixture.subject.find((attribute) => attribute.type === "CN")?.value);
      expect(Buffer.from(info.certificate, "base64").equals(readFileSync(fixture.derPath))).toBe(true);
      const uids = fixture.subject.filter((attribute) => attribute.type === "UID").map((attribute) => attribute.value);
      for (const uid of uids) {
        const [prefix, value] = uid.split(":");
        const field = { MST: "taxCode", CCCD: "personalId", CMND: "oldPersonalId" }[prefix ?? ""] as keyof typeof info.vn;
        expect(info.vn[field], `${fixture.name} ${uid}`).toBe(value);
      }
      expect(info.keyAlgorithm).toEqual(
        fixture.key === "EC:prime256v1" ? { kind: "ec", curve: "P-256" } : { kind: "rsa", modulusBits: fixture.key === "rsa:3072" ? 3072 : 2048 },
      );
      expect(info.valid, fixture.name).toBe(fixture.usableForSigning);
    }
  });

  it("problems: expired, no signing key usage and revoked (with the issuer's CRL) are named", () => {
    const byName = (name: string): CertificateInfo | undefined =>
      certificates.find((info) => info.fingerprintSha256 === harness.tokens.cert(name).fingerprintSha256);
    expect(byName("expired")?.problems).toContain("expired");
    expect(byName("encipherOnly")?.problems).toEqual(["noSigningKeyUsage"]);
    expect(byName("revoked")?.problems).toEqual(["revoked"]);
    expect(byName("personRsa")?.problems).toEqual([]);
  });

  it("the CA certificate stored on token A without a key is not offered for signing but completes chains", () => {
    const ca = der(harness.tokens.manifest.pki.publicCaPem);
    expect(certificates.some((info) => Buffer.from(info.certificate, "base64").equals(ca))).toBe(false);
    const personRsa = certificates.find((info) => info.fingerprintSha256 === harness.tokens.cert("personRsa").fingerprintSha256);
    expect(personRsa?.chain.map((item) => Buffer.from(item, "base64").equals(ca))).toEqual([true]);
  });

  it("mismatchedId: the certificate's CKA_ID differs from its key's, and it is still listed with a key", () => {
    const fixture = harness.tokens.cert("mismatchedId");
    expect(fixture.certId).not.toBe(fixture.keyId);
    const info = certificates.find((candidate) => candidate.fingerprintSha256 === fixture.fingerprintSha256);
    expect(info?.problems).not.toContain("noPrivateKey");
  });

  it("configured trust anchors extend the chain up to the root", async () => {
    const anchored = await openTokenHarness(
      { trustAnchors: [der(harness.tokens.manifest.pki.govCaPem), der(harness.tokens.manifest.pki.rootPem)] },
      harness.tokens,
    );
    try {
      const list = await anchored.service.listCertificates();
      const personEc = list.find((info) => info.fingerprintSha256 === harness.tokens.cert("personEc").fingerprintSha256);
      expect(personEc?.chain).toHaveLength(2);
      expect(Buffer.from(personEc?.chain[1] ?? "", "base64").equals(der(harness.tokens.manifest.pki.rootPem))).toBe(true);
    } finally {
      await anchored.service.close();
    }
  });
});
