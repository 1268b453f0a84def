import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CertificateObject } from "../../../native/pkcs11/find-certificates.js";
import type { KeyObject } from "../../../native/pkcs11/find-keys.js";
import { certificatePublicKey, pairCertificatesWithKeys, sameKey } from "../../../native/pkcs11/pair-keys.js";
import { makeCertificate } from "../core/certificates/make-certificate.js";

async function ecCertificate(id: string): Promise<{ object: CertificateObject; point: Buffer }> {
  const made = await makeCertificate({ subject: [{ CN: [`cert ${id}`] }] });
  const point = certificatePublicKey(made.der).ecPoint as Buffer;
  return { object: { handle: Buffer.alloc(8), id, label: id, der: Buffer.from(made.der) }, point };
}

const key = (id: string, extra: Partial<KeyObject> = {}): KeyObject => ({
  handle: Buffer.alloc(8),
  objectClass: "public",
  id,
  keyType: "ec",
  alwaysAuthenticate: false,
  ...extra,
});

describe("pairCertificatesWithKeys", () => {
  it("same CKA_ID → paired by id", async () => {
    const { object } = await ecCertificate("01");
    expect(pairCertificatesWithKeys([object], [key("01")])[0]).toMatchObject({ keyId: "01", pairedBy: "id" });
  });

  it("different CKA_ID, same EC point (DER-wrapped as PKCS#11 says) → paired by public key, with the key's id", async () => {
    const { object, point } = await ecCertificate("13");
    const wrapped = Buffer.concat([Buffer.of(4, point.length), point]);
    expect(pairCertificatesWithKeys([object], [key("12", { ecPoint: wrapped })])[0]).toMatchObject({ keyId: "12", pairedBy: "publicKey" });
  });

  it("a bare EC point from a driver that skips the wrapper also matches", async () => {
    const { object, point } = await ecCertificate("13");
    expect(pairCertificatesWithKeys([object], [key("12", { ecPoint: point })])[0]?.keyId).toBe("12");
  });

  it("no key with the id or the public key → no key", async () => {
    const { object } = await ecCertificate("20");
    const other = await ecCertificate("21");
    expect(pairCertificatesWithKeys([object], [key("21", { ecPoint: other.point })])[0]).toMatchObject({ keyId: null, pairedBy: null });
  });

  it("token shows no keys before login → assumed under the certificate's own id", async () => {
    const { object } = await ecCertificate("30");
    expect(pairCertificatesWithKeys([object], [])[0]).toMatchObject({ keyId: "30", pairedBy: "assumed" });
  });

  it("RSA: the modulus decides, leading zero bytes ignored", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const modulus = Buffer.from(publicKey.export({ format: "jwk" }).n as string, "base64url");
    const fromCertificate = { kind: "rsa" as const, modulus };
    expect(sameKey(fromCertificate, key("01", { keyType: "rsa", modulus }))).toBe(true);
    expect(sameKey(fromCertificate, key("01", { keyType: "rsa", modulus: Buffer.from(modulus).reverse() }))).toBe(false);
  });

  it("fixture certificates parse when present (RSA and EC public keys)", () => {
    const dir = "test/fixtures/.generated/ee";
    for (const name of ["personRsa.der", "personEc.der"]) {
      let der: Buffer;
      try {
        der = readFileSync(`${dir}/${name}`);
      } catch {
        continue; // Fixtures are built by the integration run; the in-memory cases above cover the logic.
      }
      expect(certificatePublicKey(der).kind).toBe(new X509Certificate(der).publicKey.asymmetricKeyType === "rsa" ? "rsa" : "ec");
    }
  });
});
