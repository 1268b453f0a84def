/** AlgorithmIdentifiers for CMS SignerInfo (RFC 5754 for SHA-2 with RSA and ECDSA, RFC 4055 for RSASSA-PSS). */
import { DIGEST_LENGTH, HASH_OID, type HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { SignatureScheme } from "../../../domain/signer.js";
import { NULL, explicit, integer, oid, seq } from "./der.js";

const RSA_PKCS1_OID: Readonly<Record<HashAlgorithm, string>> = {
  "SHA-256": "1.2.840.113549.1.1.11",
  "SHA-384": "1.2.840.113549.1.1.12",
  "SHA-512": "1.2.840.113549.1.1.13",
};
const ECDSA_OID: Readonly<Record<HashAlgorithm, string>> = {
  "SHA-256": "1.2.840.10045.4.3.2",
  "SHA-384": "1.2.840.10045.4.3.3",
  "SHA-512": "1.2.840.10045.4.3.4",
};
const RSASSA_PSS = "1.2.840.113549.1.1.10";
const MGF1 = "1.2.840.113549.1.1.8";

/** Digest AlgorithmIdentifier with absent parameters (RFC 5754 §2: SHOULD omit). */
export function digestAlgorithmId(hash: HashAlgorithm): Uint8Array {
  return seq(oid(HASH_OID[hash]));
}

export function signatureAlgorithmId(scheme: SignatureScheme, hash: HashAlgorithm): Uint8Array {
  switch (scheme) {
    case "rsa-pkcs1":
      return seq(oid(RSA_PKCS1_OID[hash]), NULL);
    case "ecdsa":
      return seq(oid(ECDSA_OID[hash]));
    case "rsa-pss": {
      // The token signs with MGF1 over the same hash and a salt as long as the digest (native/pkcs11/sign-digest.ts).
      const hashId = seq(oid(HASH_OID[hash]), NULL);
      const params = seq(explicit(0, hashId), explicit(1, seq(oid(MGF1), hashId)), explicit(2, integer(DIGEST_LENGTH[hash])));
      return seq(oid(RSASSA_PSS), params);
    }
  }
}
