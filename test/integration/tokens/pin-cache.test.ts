import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";

let cached: TokenHarness;
let personRsa: CertificateInfo;
let personB: CertificateInfo;

beforeAll(async () => {
  cached = await openTokenHarness({ pinCacheMinutes: 5 });
  const certificates = await cached.service.listCertificates();
  const byName = (name: string): CertificateInfo => {
    const found = certificates.find((info) => info.fingerprintSha256 === cached.tokens.cert(name).fingerprintSha256);
    if (!found) throw new Error(name);
    return found;
  };
  personRsa = byName("personRsa");
  personB = byName("personB");
});
afterAll(() => cached?.close());

const pin = (): Buffer => Buffer.from(cached.tokens.manifest.userPin);

async function signWithoutPin(certificate: CertificateInfo): Promise<void> {
  const signer = await cached.service.openSigner({ certificateId: certificate.id, pin: null });
  try {
    await signer.signDigest({ hashAlgorithm: "SHA-256", digest: createHash("sha256").update("cached").digest(), scheme: "rsa-pkcs1" });
  } finally {
    await signer.close();
  }
}

describe("PIN session cache (policy on: 5 minutes)", () => {
  it("after one login the token signs without a PIN until lockAll (screen lock) logs every token out", async () => {
    expect(cached.service.pinCached(personRsa.tokenId)).toBe(false);
    const first = await cached.service.openSigner({ certificateId: personRsa.id, pin: pin() });
    await first.close();
    expect(cached.service.pinCached(personRsa.tokenId)).toBe(true);
    await signWithoutPin(personRsa);
    // The cache is per token: token B never logged in.
    await expect(signWithoutPin(personB)).rejects.toMatchObject({ code: "pin_incorrect" });

    await cached.service.lockAll();
    expect(cached.service.pinCached(personRsa.tokenId)).toBe(false);
    await expect(signWithoutPin(personRsa)).rejects.toMatchObject({ code: "pin_incorrect" });
  });

  it("off by default: closing a signer logs out, so the next signer needs the PIN", async () => {
    const plain = await openTokenHarness({}, cached.tokens);
    try {
      const certificate = (await plain.service.listCertificates()).find((info) => info.id === personRsa.id);
      if (!certificate) throw new Error("personRsa");
      const signer = await plain.service.openSigner({ certificateId: certificate.id, pin: pin() });
      await signer.close();
      expect(plain.service.pinCached(certificate.tokenId)).toBe(false);
      await expect(plain.service.openSigner({ certificateId: certificate.id, pin: null })).rejects.toMatchObject({ code: "pin_incorrect" });
    } finally {
      await plain.service.close();
    }
  });
});
