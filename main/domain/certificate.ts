import type { HashAlgorithm } from "./hash-algorithm.js";
import type { KeyAlgorithm } from "./signer.js";

/**
 * Vietnamese identifiers carried in the subject's UID attribute (OID 0.9.2342.19200300.100.1.1) with a prefix:
 * `MST:` tax code, `CCCD:` citizen ID, `CMND:` old ID, `HC:` passport, `MNS:` state-budget unit code.
 */
export interface VietnameseIdentifiers {
  readonly taxCode?: string;
  readonly personalId?: string;
  readonly oldPersonalId?: string;
  readonly passport?: string;
  readonly budgetCode?: string;
}

export interface DistinguishedName {
  /** RFC 4514-style text for display, UTF-8 (Vietnamese names stay readable). */
  readonly text: string;
  readonly commonName?: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly locality?: string;
  readonly state?: string;
  readonly country?: string;
  /** Every attribute, in order, by OID, for what the named fields do not cover. */
  readonly attributes: readonly { readonly oid: string; readonly name?: string; readonly value: string }[];
}

/** The wire protocol spells key usages for pages; the domain uses the same names (one definition). */
import type { KeyUsageName } from "./wire/protocol.js";
export type { KeyUsageName };

/**
 * Why a certificate cannot sign right now; empty when it can. `weakAlgorithm`: an RSA key under 2048 bits, or the
 * certificate signed with SHA-1/MD5 (Circular 15/2025: SHA-2/SHA-3 only, RSA >= 2048; EC keys other than
 * P-256/P-384/P-521 are not listed at all).
 */
export type CertificateProblem = "expired" | "notYetValid" | "noSigningKeyUsage" | "weakAlgorithm" | "revoked" | "noPrivateKey";

/** A certificate on a token that has a matching private key. */
export interface CertificateInfo {
  /** Stable id: SHA-256 fingerprint (hex) + ":" + token serial. */
  readonly id: string;
  readonly tokenId: string;
  /** DER, base64. */
  readonly certificate: string;
  /** Issuer certificates found on the token or in the trust store, DER base64, nearest first. */
  readonly chain: readonly string[];
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  /** Hex, lower case, no leading zero bytes stripped beyond DER. */
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyAlgorithm: KeyAlgorithm;
  readonly keyUsage: readonly KeyUsageName[];
  readonly extendedKeyUsage: readonly string[];
  readonly fingerprintSha256: string;
  readonly vn: VietnameseIdentifiers;
  readonly problems: readonly CertificateProblem[];
  /** `problems` is empty. */
  readonly valid: boolean;
  /** CKA_LABEL of the certificate object, as the CA wrote it. */
  readonly label: string;
}

export type { HashAlgorithm };
