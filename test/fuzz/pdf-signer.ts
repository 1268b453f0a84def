/**
 * A software signer for the PDF fuzzer: an RSA-2048 key in node:crypto and a self-signed certificate, signing
 * PKCS#1 v1.5 over DigestInfo || digest exactly as CKM_RSA_PKCS on a token does. Fast and needs no SoftHSM, so
 * `npm run fuzz` runs anywhere; the token path itself is covered by the integration suites.
 */
import "reflect-metadata";
import { KeyObject, constants, privateEncrypt, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { DIGEST_INFO_PREFIX } from "../../main/core/domain/hash-algorithm.js";
import type { Signer } from "../../main/core/domain/signer.js";

export async function softwareSigner(commonName = "Phần mềm Kiểm thử Fuzz"): Promise<Signer> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01a2b3c4",
    name: `CN=${commonName}, O=KySo fuzz, C=VN`,
    notBefore: new Date(Date.UTC(2025, 0, 1)),
    notAfter: new Date(Date.UTC(2035, 0, 1)),
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  const privateKey = KeyObject.from(keys.privateKey);
  return {
    certificate: new Uint8Array(certificate.rawData),
    chain: [],
    keyAlgorithm: { kind: "rsa", modulusBits: 2048 },
    async signDigest({ hashAlgorithm, digest }) {
      const value = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hashAlgorithm], "hex"), digest]));
      return { value, raw: value };
    },
  };
}
