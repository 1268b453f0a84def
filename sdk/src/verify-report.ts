// GENERATED from main/domain/wire/verify-report.ts: do not edit here. Edit the source, then run
// `npx tsx scripts/generate-sdk-wire.ts`; a test fails when this copy is stale.
/**
 * The verification report: plain data (structured-clone safe, JSON safe), no sentences. Every outcome carries a
 * message key the UI words (`verify.*` in main/domain/messages) and, where useful, a technical detail in English
 * for support. Indications and sub-indications are ETSI EN 319 102-1 §5.1.3 (Table 5) names, spelt as there.
 *
 * Defined once, here in the wire layer: the worker's verifiers (main/core/verify) produce it, the bridge's
 * `verify` method sends it as JSON, and the SDK gets this file as a generated copy (scripts/generate-sdk-wire.ts),
 * so a portal's result is typed by the same declaration. Imports nothing.
 */

export const INDICATIONS = ["TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE"] as const;
export type Indication = (typeof INDICATIONS)[number];

export type SubIndication =
  // TOTAL-FAILED
  | "FORMAT_FAILURE"
  | "HASH_FAILURE"
  | "SIG_CRYPTO_FAILURE"
  | "REVOKED"
  | "EXPIRED"
  | "NOT_YET_VALID"
  // INDETERMINATE
  | "NO_SIGNING_CERTIFICATE_FOUND"
  | "NO_CERTIFICATE_CHAIN_FOUND"
  | "REVOKED_NO_POE"
  | "OUT_OF_BOUNDS_NO_POE"
  | "OUT_OF_BOUNDS_NOT_REVOKED"
  | "TRY_LATER"
  | "CRYPTO_CONSTRAINTS_FAILURE"
  | "SIGNED_DATA_NOT_FOUND";

/** Keys under `verify.reason.*`: why a result is what it is (one per result). */
export const VERIFY_REASONS = [
  "valid",
  "validWithWarnings",
  "byteRangeInvalid",
  "bytesOutsideRevisions",
  "notCms",
  "unsupportedSubFilter",
  "signerCertificateMissing",
  "signingCertificateMismatch",
  "hashMismatch",
  "signatureInvalid",
  "unsupportedAlgorithm",
  "noChain",
  "revoked",
  "revokedNoPoe",
  "expiredAtSigningTime",
  "notYetValidAtSigningTime",
  "revocationMissing",
  "docMdpViolated",
  "tooManySignatures",
  // XML (verify-xml.ts) and CMS (verify-cms.ts)
  "xmlSignatureMalformed",
  "referenceNotFound",
  "ambiguousReference",
  "unsupportedTransform",
  "detachedContentMissing",
  "noSignatures",
  "allSignaturesValid",
  "someSignatureFailed",
  "someSignatureIndeterminate",
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

/** Keys under `verify.warning.*`: shown with a result, never changing it. */
export const VERIFY_WARNINGS = [
  "sha1",
  "weakRsaKey",
  "modifiedAfterSigning",
  "annotationsAfterSigning",
  "formFilledAfterSigning",
  "pagesChanged",
  "timestampImprintMismatch",
  "noRevocationSource",
  "revokedAfterTimestamp",
  "contentNotSigned",
] as const;
export type VerifyWarning = (typeof VERIFY_WARNINGS)[number];

export interface VerificationResult {
  readonly indication: Indication;
  readonly subIndication?: SubIndication;
  readonly reason: VerifyReason;
  readonly detail?: string;
}

/**
 * What a later incremental update did, judged object by object (changes.ts): several kinds at once are possible
 * (a second signature usually adds its field, widget, appearance and signature value together).
 */
export const UPDATE_KINDS = ["signature", "document-timestamp", "validation-data", "form-fill", "annotation", "metadata", "other"] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

export interface LaterUpdate {
  /** 1-based revision number in the file (revision 1 is the original document). */
  readonly revision: number;
  readonly kinds: readonly UpdateKind[];
  /** Objects the update rewrote that existed before (object numbers), and how each was judged. */
  readonly changed: readonly { readonly object: number; readonly kind: UpdateKind; readonly what: string }[];
  /** Objects the update added; judged only through the changed objects that reference them. */
  readonly added: number;
}

/** What one ds:Reference of an XML signature covers (keys under `verify.scope.*`). */
export const XML_REFERENCE_SCOPES = ["whole-document", "element", "signed-properties", "signature-object", "unresolved"] as const;
export type XmlReferenceScope = (typeof XML_REFERENCE_SCOPES)[number];

export interface XmlReferenceReport {
  /** The URI attribute as written ("" = the whole document, "#id" = one element). */
  readonly uri: string;
  readonly scope: XmlReferenceScope;
  /** The element a "#id" reference names (its qualified name), for `element` and `signature-object`. */
  readonly element?: string;
  /** The transforms declared, by algorithm URI. */
  readonly transforms: readonly string[];
  readonly digest: "valid" | "invalid" | "not-checked";
}

export interface CertificateSummary {
  readonly displayName: string;
  readonly organization?: string;
  readonly taxCode?: string;
  readonly personalId?: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprintSha256: string;
}

export type RevocationOutcome =
  | { readonly status: "good" | "revoked"; readonly source: "dss" | "cms" | "xades" | "supplied" | "online"; readonly kind: "ocsp" | "crl"; readonly producedAt?: string; readonly revokedAt?: string }
  /** Nothing usable: `none` the certificate names no OCSP or CRL; `missing` it does but no data was found. */
  | { readonly status: "missing" | "none" };

export interface SignatureReport {
  /** PDF: the signature field's name; XML: the ds:Signature's Id, else `Signature <n>`; CMS: `SignerInfo 1`. */
  readonly fieldName: string;
  /** The Decree 30/2020 role the signature claims (`/Prop_Build /KySo_Preset`, docs/presets.md): unverified. */
  readonly preset?: ClaimedPreset;
  /**
   * Revision the signature covers (1-based), and whether its ByteRange is the whole file, a revision, or neither.
   * XML: `whole-file` when a reference covers the whole document (less the signature itself), `document-part` when
   * the references name elements only (which ones: `references`); CMS: `whole-file`.
   */
  readonly revision?: number;
  readonly coverage: "whole-file" | "revision" | "partial" | "document-part";
  /** XML only: every ds:Reference, in SignedInfo's order. */
  readonly references?: readonly XmlReferenceReport[];
  /** XML only: elements outside every reference of this signature other than signatures (`contentNotSigned`). */
  readonly unsignedContent?: readonly string[];
  readonly subFilter?: string;
  readonly signer?: CertificateSummary;
  /** The anchor the chain reaches: subject, where it came from, and the national root id when it is one. */
  readonly chain?: { readonly trusted: boolean; readonly anchor?: string; readonly nationalRoot?: string; readonly length: number };
  /** signingTime signed attribute, else the /M the signature dictionary claims (PAdES puts it there). */
  readonly claimedSigningTime?: string;
  readonly timestamp?: { readonly time: string; readonly imprintValid: boolean };
  readonly integrity: { readonly hash: "valid" | "invalid" | "not-checked"; readonly signature: "valid" | "invalid" | "not-checked" };
  readonly certificateValidAtSigningTime?: boolean;
  readonly revocation?: RevocationOutcome;
  readonly laterUpdates: readonly LaterUpdate[];
  readonly warnings: readonly VerifyWarning[];
  readonly result: VerificationResult;
}

export interface VerificationReport {
  readonly format: "pdf" | "xml" | "cms";
  /** Bytes and SHA-256 of the file verified (for a detached CMS: the .p7s; `contentSha256` names the content). */
  readonly size: number;
  readonly sha256: string;
  /** PDF revisions; 1 for XML and CMS. */
  readonly revisions: number;
  /** CMS: attached (content inside the CMS) or detached (content given with it). */
  readonly cms?: { readonly attached: boolean; readonly contentSize?: number; readonly contentSha256?: string };
  /** When the validation ran (ISO 8601): the "current time" of EN 319 102-1. */
  readonly validationTime: string;
  readonly signatures: readonly SignatureReport[];
  readonly result: VerificationResult;
  /** PDF: the Decree 30/2020 two-signature check (leader, then organisation seal), from the roles signatures claim. */
  readonly officialDocument?: OfficialDocumentAssessment;
}

/**
 * Decree 30/2020 Art. 5: an electronic official document carries the competent person's (leader) and the
 * organisation's (seal) signatures, the seal after the leader. Judged only from the roles the signatures claim
 * (`preset`), never guessed from images: no leader or seal role at all is `not-assessed`. Whether each signature
 * is valid is its own `result`; this says only which roles are there and in which order.
 */
export interface OfficialDocumentAssessment {
  readonly status: "not-assessed" | "complete" | "leader-missing" | "seal-missing" | "wrong-order";
  /** Position (0-based) in `signatures` of the last signature claiming the role. */
  readonly leader?: number;
  readonly seal?: number;
}

/**
 * The Decree 30/2020 roles a signature can claim (main/domain/stamp-presets.ts `STAMP_PRESET_NAMES`; spelled out
 * here because the SDK copies this file alone; test/unit/verify/verify-messages.test.ts checks they agree).
 */
export type ClaimedPreset = "leader" | "seal" | "appendix" | "copy" | "income";
