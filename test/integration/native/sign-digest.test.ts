import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HASH_ALGORITHMS, NODE_HASH_NAME } from "../../../main/domain/hash-algorithm.js";
import type { SignatureScheme } from "../../../main/domain/signer.js";
import { openFixtureSigners, type FixtureSigners } from "../../helpers/fixture-signer.js";
import { verifyWithNode } from "../../helpers/verify-signature.js";

let signers: FixtureSigners;
beforeAll(async () => {
  signers = await openFixtureSigners();
});
afterAll(() => signers.close());

const cases: [string, SignatureScheme][] = [
  ["personRsa", "rsa-pkcs1"],
  ["personRsa", "rsa-pss"],
  ["orgRsa3072", "rsa-pkcs1"],
  ["orgRsa3072", "rsa-pss"],
  ["personEc", "ecdsa"],
];

describe("signDigestOnSession on SoftHSM", () => {
  for (const [name, scheme] of cases) {
    for (const hashAlgorithm of HASH_ALGORITHMS) {
      it(`${name} ${scheme} ${hashAlgorithm}: node:crypto verifies the token's signature`, async () => {
        const signer = await signers.signer(name);
        const data = Buffer.from(`KySo ${name} ${scheme} ${hashAlgorithm} Ký số`);
        const digest = createHash(NODE_HASH_NAME[hashAlgorithm]).update(data).digest();
        const signature = await signer.signDigest({ hashAlgorithm, digest, scheme });
        expect(verifyWithNode(signer.certificate, data, hashAlgorithm, scheme, signature)).toBe(true);
        if (scheme === "ecdsa") expect(signature.raw.length).toBe(64);
      });
    }
  }

  it("a digest of the wrong length is refused before the token is called", async () => {
    const signer = await signers.signer("personRsa");
    await expect(signer.signDigest({ hashAlgorithm: "SHA-256", digest: new Uint8Array(20), scheme: "rsa-pkcs1" })).rejects.toMatchObject({
      code: "invalid_params",
    });
  });
});
