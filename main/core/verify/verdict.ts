/**
 * The verdict rules (docs/verify.md "Verdict rules"), ETSI EN 319 102-1 indications. Where the standard leaves a
 * choice, EU DSS's default validation policy (constraint.xml) is followed, and each such choice is marked here.
 */
import type { CertificateFacts } from "../certificates/parse-certificate.js";
import type { CmsCheck } from "./cms-check.js";
import type { LaterUpdate, RevocationOutcome, SignatureReport, UpdateKind, VerificationResult, VerifyWarning } from "../../domain/wire/verify-report.js";

export interface SignatureFacts {
  readonly coverage: SignatureReport["coverage"];
  readonly trailingBytes: number;
  /**
   * A format result the caller established before the cryptographic checks (XML: a reference that cannot be
   * resolved or an unsupported transform; CMS: no content): it wins over everything after the PDF format rules.
   */
  readonly formatResult?: VerificationResult;
  readonly check: CmsCheck;
  readonly chainTrusted: boolean;
  readonly facts: CertificateFacts | undefined;
  readonly bestTime: Date;
  /** True when bestTime is proven by a signature timestamp (a POE), false when it is the validation time. */
  readonly hasPoe: boolean;
  readonly revocation: RevocationOutcome | undefined;
  readonly docMdp: 1 | 2 | 3 | undefined;
  readonly laterUpdates: readonly LaterUpdate[];
  readonly warnings: ReadonlySet<VerifyWarning>;
}

/** Update kinds DocMDP permits (ISO 32000-1 §12.8.2.2; PAdES adds DSS and document timestamps at every level). */
const DOC_MDP_ALLOWS: Readonly<Record<1 | 2 | 3, ReadonlySet<UpdateKind>>> = {
  1: new Set(["validation-data", "document-timestamp"]),
  2: new Set(["validation-data", "document-timestamp", "signature", "form-fill"]),
  3: new Set(["validation-data", "document-timestamp", "signature", "form-fill", "annotation"]),
};

export function signatureResult(s: SignatureFacts): VerificationResult {
  // Format checking. DSS: ByteRange FAIL → TOTAL_FAILED/FORMAT_FAILURE. Bytes after the last revision that are
  // not an incremental update: KySo's choice (stricter than DSS, which lets PDFBox skip them): a reader may
  // repair and show them, and no signature covers them, so no signature of such a file passes.
  if (s.coverage === "partial") return { indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "byteRangeInvalid" };
  if (s.trailingBytes > 0) return { indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "bytesOutsideRevisions", detail: `${s.trailingBytes} bytes` };
  if (s.formatResult) return s.formatResult;
  const { check } = s;
  if (check.problem === "not-cms") return { indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "notCms", ...(check.detail ? { detail: check.detail } : {}) };
  // Identification of the signing certificate (§5.2.3): missing, or not the one signingCertificateV2 names.
  if (check.problem === "signer-certificate-missing") return { indication: "INDETERMINATE", subIndication: "NO_SIGNING_CERTIFICATE_FOUND", reason: "signerCertificateMissing" };
  if (check.problem === "signing-certificate-mismatch") return { indication: "INDETERMINATE", subIndication: "NO_SIGNING_CERTIFICATE_FOUND", reason: "signingCertificateMismatch" };
  if (check.problem) return { indication: "INDETERMINATE", subIndication: "CRYPTO_CONSTRAINTS_FAILURE", reason: "unsupportedAlgorithm", ...(check.detail ? { detail: check.detail } : {}) };
  // Cryptographic verification (§5.2.7): a failure here is final whatever the certificate checks would say.
  if (check.hash !== "valid") return { indication: "TOTAL-FAILED", subIndication: "HASH_FAILURE", reason: "hashMismatch" };
  if (check.signature !== "valid") return { indication: "TOTAL-FAILED", subIndication: "SIG_CRYPTO_FAILURE", reason: "signatureInvalid" };
  // DocMDP of a certification signature. DSS: DocMDP FAIL → TOTAL_FAILED/FORMAT_FAILURE.
  if (s.docMdp) {
    const allowed = DOC_MDP_ALLOWS[s.docMdp];
    const offending = s.laterUpdates.find((u) => u.kinds.some((k) => !allowed.has(k)));
    if (offending) return { indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "docMdpViolated", detail: `revision ${offending.revision}: ${offending.kinds.join(", ")}` };
  }
  // X.509 validation (§5.2.6), in its order: chain, validity at the best signature time, revocation.
  if (!s.chainTrusted) return { indication: "INDETERMINATE", subIndication: "NO_CERTIFICATE_CHAIN_FOUND", reason: "noChain" };
  const facts = s.facts;
  const revocation = s.revocation;
  if (revocation?.status === "revoked") {
    const revokedAt = revocation.revokedAt ? new Date(revocation.revokedAt) : undefined;
    // Revoked after a timestamp proved the signature existed: the signature stays valid (§5.6.2.4, past validation).
    if (!(s.hasPoe && revokedAt && revokedAt > s.bestTime)) {
      return s.hasPoe
        ? { indication: "TOTAL-FAILED", subIndication: "REVOKED", reason: "revoked" }
        : { indication: "INDETERMINATE", subIndication: "REVOKED_NO_POE", reason: "revokedNoPoe" };
    }
  }
  if (facts && s.bestTime > facts.notAfter) {
    // Proven to be signed after expiry: failed. Not proven when (no timestamp): indeterminate, as DSS reports it.
    if (s.hasPoe) return { indication: "TOTAL-FAILED", subIndication: "EXPIRED", reason: "expiredAtSigningTime" };
    return revocation?.status === "good"
      ? { indication: "INDETERMINATE", subIndication: "OUT_OF_BOUNDS_NOT_REVOKED", reason: "expiredAtSigningTime" }
      : { indication: "INDETERMINATE", subIndication: "OUT_OF_BOUNDS_NO_POE", reason: "expiredAtSigningTime" };
  }
  if (facts && s.bestTime < facts.notBefore) {
    return s.hasPoe
      ? { indication: "TOTAL-FAILED", subIndication: "NOT_YET_VALID", reason: "notYetValidAtSigningTime" }
      : { indication: "INDETERMINATE", subIndication: "OUT_OF_BOUNDS_NO_POE", reason: "notYetValidAtSigningTime" };
  }
  // The certificate names OCSP or CRL but no answer is in the file (or online): DSS reports INDETERMINATE/TRY_LATER.
  // A certificate that names neither cannot ever be checked: KySo's choice is to pass it with the warning
  // `noRevocationSource` (DSS would be INDETERMINATE unless its policy skips revocation for such certificates).
  if (revocation?.status === "missing") return { indication: "INDETERMINATE", subIndication: "TRY_LATER", reason: "revocationMissing" };
  return { indication: "TOTAL-PASSED", reason: s.warnings.size > 0 ? "validWithWarnings" : "valid" };
}

export function documentResult(signatures: readonly SignatureReport[]): VerificationResult {
  if (signatures.length === 0) return { indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "noSignatures" };
  const failed = signatures.find((s) => s.result.indication === "TOTAL-FAILED");
  if (failed) return { indication: "TOTAL-FAILED", ...(failed.result.subIndication ? { subIndication: failed.result.subIndication } : {}), reason: "someSignatureFailed" };
  const unknown = signatures.find((s) => s.result.indication === "INDETERMINATE");
  if (unknown) return { indication: "INDETERMINATE", ...(unknown.result.subIndication ? { subIndication: unknown.result.subIndication } : {}), reason: "someSignatureIndeterminate" };
  return { indication: "TOTAL-PASSED", reason: "allSignaturesValid" };
}
