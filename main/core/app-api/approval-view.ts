import type { CertificateInfo } from "../../domain/certificate.js";
import type { DocumentDescription } from "../../domain/document-description.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import type { PinStatus } from "../../domain/token.js";
import type { ErrorPayload } from "../../domain/errors/kyso-error.js";

/** How much KySo trusts the asking origin: listed by the machine policy, paired by this user, or neither. */
export type OriginTrust = "policy" | "paired" | "none";

export interface OriginView {
  readonly origin: string;
  readonly trust: OriginTrust;
}

/** Text the website sent about the request: shown as "described by the website", never as KySo's own reading. */
export interface WebsiteDisplay {
  readonly title?: string;
  readonly fileName?: string;
  readonly description?: string;
}

/**
 * What KySo will put into the signature, read from the validated request before the approval opened: KySo's own
 * reading, shown apart from the website's `display` text. `timestampAuthority` is the TSA from the policy (never
 * from the page) when the level is B-T.
 */
export interface SignatureView extends SignaturePlan {
  readonly timestampAuthority?: string;
}

export interface ApprovalItemView {
  readonly index: number;
  readonly format: string;
  readonly description: DocumentDescription;
  readonly display?: WebsiteDisplay;
  readonly signature?: SignatureView;
}

/**
 * The revocation status of a candidate, checked before the approval opened (policy `revocationCheck`). `warning`
 * is a REVOCATION_MESSAGES key (main/core/certificates/revocation) when the status is not "good".
 */
export interface CandidateRevocationView {
  readonly status: "good" | "revoked" | "unknown" | "error";
  readonly source: "ocsp" | "crl" | "none";
  /** ISO time KySo obtained the answer. */
  readonly checkedAt: string;
  readonly warning?: "revocation.revoked" | "revocation.unknown" | "revocation.unchecked" | "revocation.offline";
}

/** Where the holder of a locked token gets help: the issuing CA's support line (native/drivers/catalogue.json). */
export interface SupportContactView {
  /** The CA's name, or the issuer's organisation when the catalogue does not know it. */
  readonly name: string;
  readonly phone?: string;
  readonly website?: string;
}

/**
 * A certificate offered by a sign approval; `revocation` is absent when the check is off. `signatureName` is the
 * signer name written into the signature and its stamp (domain/signer-name.ts); `support` the issuing CA's contact.
 */
export type CandidateView = CertificateInfo & {
  readonly revocation?: CandidateRevocationView;
  readonly signatureName?: string;
  readonly support?: SupportContactView;
};

export type ItemResultView =
  | { readonly index: number; readonly ok: true }
  | { readonly index: number; readonly ok: false; readonly error: ErrorPayload };

/**
 * An approval's lifecycle (style habit 8): transitions are pure functions in main/core/approval.
 * `entering-pin` keeps `pinStatus` and the last error (a wrong PIN keeps the approval open).
 */
export type ApprovalState =
  | { readonly kind: "queued" }
  | { readonly kind: "choosing-certificate" }
  | { readonly kind: "entering-pin"; readonly certificateId: string; readonly pinStatus: PinStatus; readonly pinPad: boolean; readonly lastError?: ErrorPayload }
  | { readonly kind: "signing"; readonly certificateId: string; readonly done: number; readonly total: number; readonly results: readonly ItemResultView[] }
  /** `certificateId`: the certificate that signed (absent for a pairing), so the success names it. */
  | { readonly kind: "done"; readonly results: readonly ItemResultView[]; readonly certificateId?: string }
  | { readonly kind: "failed"; readonly error: ErrorPayload }
  | { readonly kind: "cancelled"; readonly reason: "rejected" | "timeout" | "withdrawn" };

export interface SignApprovalView {
  readonly kind: "sign";
  readonly id: string;
  readonly origin: OriginView;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly batch: boolean;
  readonly items: readonly ApprovalItemView[];
  readonly display?: WebsiteDisplay;
  /** Certificates the request may use (already filtered by the request's certificateId, if any). */
  readonly candidates: readonly CandidateView[];
  readonly state: ApprovalState;
}

export interface PairApprovalView {
  readonly kind: "pair";
  readonly id: string;
  readonly origin: OriginView;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly state: ApprovalState;
}

export type ApprovalView = SignApprovalView | PairApprovalView;
