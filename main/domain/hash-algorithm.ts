import { KysoError } from "./errors/index.js";

/**
 * Hash algorithms KySo signs with. SHA-1 is deliberately absent: Circular 15/2025 allows SHA-2/SHA-3 only,
 * and a SHA-1 request is refused with `unsupported_algorithm` rather than silently upgraded.
 */
export const HASH_ALGORITHMS = ["SHA-256", "SHA-384", "SHA-512"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export const DIGEST_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  "SHA-256": 32,
  "SHA-384": 48,
  "SHA-512": 64,
};

/** Node's `createHash` names. */
export const NODE_HASH_NAME: Readonly<Record<HashAlgorithm, string>> = {
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

export const HASH_OID: Readonly<Record<HashAlgorithm, string>> = {
  "SHA-256": "2.16.840.1.101.3.4.2.1",
  "SHA-384": "2.16.840.1.101.3.4.2.2",
  "SHA-512": "2.16.840.1.101.3.4.2.3",
};

/**
 * DER prefix of PKCS#1 v1.5 DigestInfo (RFC 8017 §9.2 note 1): `CKM_RSA_PKCS` signs `prefix || digest`, which lets
 * the token see only the hash whatever the document size.
 */
export const DIGEST_INFO_PREFIX: Readonly<Record<HashAlgorithm, string>> = {
  "SHA-256": "3031300d060960864801650304020105000420",
  "SHA-384": "3041300d060960864801650304020205000430",
  "SHA-512": "3051300d060960864801650304020305000440",
};

/** Accepts the spellings portals use ("SHA256", "sha-256", "Sha256") and refuses everything else. */
export function parseHashAlgorithm(value: string): HashAlgorithm {
  const normalised = value.trim().toUpperCase().replace(/^SHA-?/, "SHA-");
  if ((HASH_ALGORITHMS as readonly string[]).includes(normalised)) return normalised as HashAlgorithm;
  throw new KysoError("unsupported_algorithm", `hash algorithm ${JSON.stringify(value)}`);
}

export function assertDigestLength(hashAlgorithm: HashAlgorithm, digest: Uint8Array): void {
  if (digest.length !== DIGEST_LENGTH[hashAlgorithm]) {
    throw new KysoError(
      "invalid_params",
      `${hashAlgorithm} digest must be ${DIGEST_LENGTH[hashAlgorithm]} bytes, got ${digest.length}`,
    );
  }
}
