import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { HASH_ALGORITHMS, NODE_HASH_NAME } from "../../../main/domain/hash-algorithm.js";
import type { SignatureScheme } from "../../../main/domain/signer.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";
import { verifyWithNode, verifyWithOpenssl } from "../../helpers/verify-signature.js";

let harness: TokenHarness;
let certificates: readonly CertificateInfo[];

beforeAll(async () => {
  harness = await openTokenHarness();
  certificates = await harness.service.listCertificates();
});
afterAll(() => harness?.close());

function certificateOf(name: string): CertificateInfo {
  const found = certificates.find((info) => info.fingerprintSha256 === harness.tokens.cert(name).fingerprintSha256);
  if (!found) throw new Error(`no certificate ${name}`);
  return found;
}

const pin = (): Buffer => Buffer.from(harness.tokens.manifest.userPin);

const cases: [string, SignatureScheme][] = [
  ["personRsa", "rsa-pkcs1"],
  ["personRsa", "rsa-pss"],
  ["orgRsa3072", "rsa-pkcs1"],
  ["orgRsa3072", "rsa-pss"],
  ["personEc", "ecdsa"],
  ["mismatchedId", "ecdsa"],
  ["personB", "rsa-pkcs1"],
];

describe("openSigner + signDigest through the token host", () => {
  for (const [name, scheme] of cases) {
    it(`${name} ${scheme}: every hash verifies with openssl and node:crypto`, async () => {
      const certificate = certificateOf(name);
      const signer = await harness.service.openSigner({ certificateId: certificate.id, pin: pin() });
      try {
        expect(Buffer.from(signer.certificate).toString("base64")).toBe(certificate.certificate);
        for (const hashAlgorithm of HASH_ALGORITHMS) {
          const data = Buffer.from(`KySo ${name} ${scheme} ${hashAlgorithm} Ký số`);
          const digest = createHash(NODE_HASH_NAME[hashAlgorithm]).update(data).digest();
          const signature = await signer.signDigest({ hashAlgorithm, digest, scheme });
          expect(verifyWithNode(signer.certificate, data, hashAlgorithm, scheme, signature), hashAlgorithm).toBe(true);
          expect(verifyWithOpenssl(signer.certificate, data, hashAlgorithm, scheme, signature), hashAlgorithm).toBe(true);
        }
      } finally {
        await signer.close();
      }
    });
  }

  it("openSigner zeroes the PIN Buffer it was given", async () => {
    const buffer = pin();
    const signer = await harness.service.openSigner({ certificateId: certificateOf("personRsa").id, pin: buffer });
    await signer.close();
    expect(buffer.every((byte) => byte === 0)).toBe(true);
  });

  it("SHA-1 and a scheme the key cannot do are refused before the token is asked", async () => {
    const signer = await harness.service.openSigner({ certificateId: certificateOf("personEc").id, pin: pin() });
    try {
      await expect(
        signer.signDigest({ hashAlgorithm: "SHA-1" as never, digest: new Uint8Array(20), scheme: "ecdsa" }),
      ).rejects.toMatchObject({ code: "unsupported_algorithm" });
      await expect(signer.signDigest({ hashAlgorithm: "SHA-256", digest: new Uint8Array(32), scheme: "rsa-pkcs1" })).rejects.toMatchObject({
        code: "unsupported_algorithm",
      });
    } finally {
      await signer.close();
    }
  });

  it("wrong PIN: pin_incorrect with the PIN status re-read from the token, and the right PIN works next", async () => {
    const id = certificateOf("personRsa").id;
    const error = await harness.service.openSigner({ certificateId: id, pin: Buffer.from("0000") }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "pin_incorrect" });
    // SoftHSM raises CKF_USER_PIN_COUNT_LOW after a wrong PIN: the error carries the token's state after the try.
    const token = (await harness.service.listTokens()).find((candidate) => candidate.id === certificateOf("personRsa").tokenId);
    expect((error as { details?: { pinStatus?: string } }).details?.pinStatus).toBe(token?.pinStatus);
    const signer = await harness.service.openSigner({ certificateId: id, pin: pin() });
    await signer.close();
  });

  it("without a PIN and without a cached login: refused, nothing signed", async () => {
    await expect(harness.service.openSigner({ certificateId: certificateOf("personRsa").id, pin: null })).rejects.toMatchObject({
      code: "pin_incorrect",
    });
  });

  it("an unknown certificate id: certificate_not_found", async () => {
    await expect(harness.service.openSigner({ certificateId: "00:00", pin: pin() })).rejects.toMatchObject({ code: "certificate_not_found" });
  });

  it("ten concurrent signs on one token are serialised and all verify", async () => {
    const certificate = certificateOf("personRsa");
    const results = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const signer = await harness.service.openSigner({ certificateId: certificate.id, pin: pin() });
        try {
          const data = Buffer.from(`concurrent ${index}`);
          const signature = await signer.signDigest({ hashAlgorithm: "SHA-256", digest: createHash("sha256").update(data).digest(), scheme: "rsa-pkcs1" });
          return verifyWithNode(signer.certificate, data, "SHA-256", "rsa-pkcs1", signature);
        } finally {
          await signer.close();
        }
      }),
    );
    expect(results).toEqual(Array(10).fill(true));
  });

  it("two tokens sign in parallel", async () => {
    const [a, b] = await Promise.all(
      ["orgRsa3072", "personB"].map((name) => harness.service.openSigner({ certificateId: certificateOf(name).id, pin: pin() })),
    );
    try {
      const sign = async (signer: NonNullable<typeof a>, count: number) => {
        for (let i = 0; i < count; i++) {
          const data = Buffer.from(`parallel ${i}`);
          const signature = await signer.signDigest({ hashAlgorithm: "SHA-256", digest: createHash("sha256").update(data).digest(), scheme: "rsa-pkcs1" });
          expect(verifyWithNode(signer.certificate, data, "SHA-256", "rsa-pkcs1", signature)).toBe(true);
        }
      };
      await Promise.all([sign(a!, 10), sign(b!, 10)]);
    } finally {
      await Promise.all([a?.close(), b?.close()]);
    }
  });

  it("the PIN never appears in the hosts' output", () => {
    const log = harness.output.join("");
    expect(log).not.toContain(harness.tokens.manifest.userPin);
    expect(log).not.toContain(Buffer.from(harness.tokens.manifest.userPin).toString("base64"));
  });
});
