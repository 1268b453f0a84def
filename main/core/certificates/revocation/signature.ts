/**
 * Signature check of an OCSP response or a CRL: (AlgorithmIdentifier, signed bytes, signature, signer's SPKI)
 * through node:crypto. SHA-1 based signatures are refused, as Circular 15/2025 allows SHA-2/SHA-3 only; a
 * responder that still signs with SHA-1 therefore gives "could not check" (warn), never "good".
 */
import { createPublicKey, constants, verify as cryptoVerify } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

const HASH_BY_OID: Readonly<Record<string, string>> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
  "2.16.840.1.101.3.4.2.8": "sha3-256",
  "2.16.840.1.101.3.4.2.9": "sha3-384",
  "2.16.840.1.101.3.4.2.10": "sha3-512",
};

/** Signature algorithm OID → hash (PKCS#1 v1.5 and ECDSA); null for EdDSA. */
const SIMPLE: Readonly<Record<string, string | null>> = {
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "2.16.840.1.101.3.4.3.14": "sha3-256",
  "2.16.840.1.101.3.4.3.15": "sha3-384",
  "2.16.840.1.101.3.4.3.16": "sha3-512",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "2.16.840.1.101.3.4.3.10": "sha3-256",
  "2.16.840.1.101.3.4.3.11": "sha3-384",
  "2.16.840.1.101.3.4.3.12": "sha3-512",
  "1.3.101.112": null,
  "1.3.101.113": null,
};
const RSASSA_PSS = "1.2.840.113549.1.1.10";

export type SignatureCheck = "valid" | "invalid" | "unsupported";

export function verifySignature(
  algorithm: pkijs.AlgorithmIdentifier,
  signed: Uint8Array,
  signature: Uint8Array,
  signerSpki: Uint8Array,
): SignatureCheck {
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(signerSpki), format: "der", type: "spki" });
  } catch {
    return "unsupported";
  }
  try {
    if (algorithm.algorithmId in SIMPLE) {
      return cryptoVerify(SIMPLE[algorithm.algorithmId] ?? null, signed, key, signature) ? "valid" : "invalid";
    }
    if (algorithm.algorithmId === RSASSA_PSS && algorithm.algorithmParams instanceof asn1js.Sequence) {
      const params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
      const hash = HASH_BY_OID[params.hashAlgorithm.algorithmId];
      if (!hash) return "unsupported";
      const ok = cryptoVerify(hash, signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
      return ok ? "valid" : "invalid";
    }
  } catch {
    return "invalid";
  }
  return "unsupported";
}

/**
 * The signature algorithm is one Circular 15/2025 allows (the same list verifySignature accepts): RSA PKCS#1 v1.5,
 * RSASSA-PSS or ECDSA with SHA-256/384/512 or SHA3-256/384/512, or EdDSA. SHA-1 and MD5, and RSASSA-PSS whose
 * parameters are absent (they default to SHA-1), are not.
 */
export function allowedSignatureAlgorithm(algorithm: pkijs.AlgorithmIdentifier): boolean {
  if (algorithm.algorithmId in SIMPLE) return true;
  if (algorithm.algorithmId !== RSASSA_PSS || !(algorithm.algorithmParams instanceof asn1js.Sequence)) return false;
  try {
    const params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
    return params.hashAlgorithm.algorithmId in HASH_BY_OID;
  } catch {
    return false;
  }
}

/** Names of the hashes of signature algorithms Circular 15/2025 does not allow, for saying what was refused. */
const WEAK_HASH: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.113549.1.1.4": "md5",
  "1.2.840.113549.1.1.2": "md2",
};
const SHA1 = "1.3.14.3.2.26";

/**
 * The hash a signature algorithm signs over, in node's spelling ("sha256", "sha3-256", "sha1"); "eddsa" for
 * EdDSA (its hash is fixed by the curve), undefined when the algorithm is not one KySo knows. RSASSA-PSS without
 * parameters is SHA-1 (RFC 4055 defaults).
 */
export function signatureHashOf(algorithm: pkijs.AlgorithmIdentifier): string | undefined {
  const simple = SIMPLE[algorithm.algorithmId];
  if (simple !== undefined) return simple ?? "eddsa";
  if (WEAK_HASH[algorithm.algorithmId]) return WEAK_HASH[algorithm.algorithmId];
  if (algorithm.algorithmId !== RSASSA_PSS) return undefined;
  if (!(algorithm.algorithmParams instanceof asn1js.Sequence)) return "sha1";
  try {
    const id = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams }).hashAlgorithm.algorithmId;
    return HASH_BY_OID[id] ?? (id === SHA1 ? "sha1" : undefined);
  } catch {
    return undefined;
  }
}

/** DER SubjectPublicKeyInfo of a pkijs certificate. */
export function spkiOf(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER());
}
