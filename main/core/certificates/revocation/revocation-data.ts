/**
 * The revocation data a signature was made with: the signer's certificate and chain, and the OCSP response or CRL
 * that answered the check shown in the approval. One value, built from the approval's own check, so the evidence
 * store and the long-term formats (PAdES DSS, CAdES revocation values, XAdES B-LT) embed exactly what the user
 * saw, and nothing is fetched a second time.
 */
import type { RevocationResult } from "./types.js";

export interface RevocationData {
  /** The signer's certificate first, then its issuers nearest first (DER). */
  readonly certificates: readonly Uint8Array[];
  /** DER OCSPResponse values (RFC 6960 §4.2.1), as the responder sent them. */
  readonly ocspResponses: readonly Uint8Array[];
  /** DER CertificateList values. */
  readonly crls: readonly Uint8Array[];
  /** The check that produced them; absent when no check was made (policy `revocationCheck: "off"`). */
  readonly result?: RevocationResult;
}

/**
 * `certificate` and `chain` (DER, nearest issuer first) with the evidence of `result`: its OCSP response or CRL
 * when the answer was usable (good, revoked, unknown), none for an error (nothing trustworthy was received).
 */
export function revocationDataOf(certificate: Uint8Array, chain: readonly Uint8Array[], result: RevocationResult | undefined): RevocationData {
  const usable = result !== undefined && result.status !== "error" && result.evidence !== undefined;
  return {
    certificates: [certificate, ...chain],
    ocspResponses: usable && result.source === "ocsp" ? [result.evidence!] : [],
    crls: usable && result.source === "crl" ? [result.evidence!] : [],
    ...(result ? { result } : {}),
  };
}
