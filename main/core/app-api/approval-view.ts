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
  /** A leader or seal preset: the user may place its image on the preview (`approvals.placeStamp`). */
  readonly placeable?: boolean;
}

/**
 * The revocation status of a candidate, checked before the approval opened (policy `revocationCheck`). `warning`
 * is a verdict key (main/core/certificates/revocation, worded by the UI catalogue as `cert.<key>`) when the status is not "good".
 */
export interface CandidateRevocationView {
  readonly status: "good" | "revoked" | "unknown" | "error";
  readonly source: "ocsp" | "crl" | "none";
  /** ISO time KySo obtained the answer. */
  readonly checkedAt: string;
  readonly warning?: "revocation.revoked" | "revocation.unknown" | "revocation.unchecked" | "revocation.offline";
}

/**
 * The trust path of a candidate, checked before the approval opened (policy `chainCheck`; its intermediates'
 * revocation under `revocationCheck`): main/core/certificates/trust/chain-check.ts. `anchor` is the anchor's CN,
 * `nationalRoot` set for the two Vietnamese national roots (the UI names them `trust.root.<id>`). `warning` is a
 * key worded by the UI as `trust.<key>`.
 */
export interface CandidateChainView {
  readonly trusted: boolean;
  readonly anchor?: string;
  readonly nationalRoot?: "vn-national-root" | "vn-gov-root-g2";
  /** The anchor came from the OS certificate store (policy `trustAnchorsOsStore`): the UI labels it "(system store)". */
  readonly anchorSource?: "system";
  readonly intermediates: readonly {
    readonly name: string;
    readonly status: "good" | "revoked" | "unknown" | "error" | "not-published";
    readonly source: "ocsp" | "crl" | "none";
  }[];
  readonly checkedAt: string;
  readonly warning?: "chain.untrusted" | "chain.intermediateRevoked" | "chain.intermediateUnchecked";
}

/**
 * The algorithm check of a candidate (Circular 15/2025: SHA-2/SHA-3; RSA >= 2048; EC P-256+), shown as its own
 * line of the approval (main/core/certificates/algorithm-check.ts). `key`: "RSA 2048", "EC P-256"; `hash`: the
 * hash of this request's signatures ("SHA-256"; several joined when a batch mixes them); `certificateHash`: the
 * hash the CA signed the certificate with. `problems`: what is not allowed (a certificate with any is also
 * `weakAlgorithm` among its `problems` and cannot sign).
 */
export interface CandidateAlgorithmView {
  readonly key: string;
  readonly hash?: string;
  readonly certificateHash: string;
  readonly allowed: boolean;
  readonly problems: readonly ("keyTooSmall" | "certificateHash" | "hash")[];
}

/** Where the holder of a locked token gets help: the issuing CA's support line (native/drivers/catalogue.json). */
export interface SupportContactView {
  /** The CA's name, or the issuer's organisation when the catalogue does not know it. */
  readonly name: string;
  readonly phone?: string;
  readonly website?: string;
}

/**
 * A certificate offered by a sign approval; `revocation` is absent when the check is off. `refusal` says why this
 * certificate cannot sign this request although it may be valid in itself: `tax_code_mismatch` (the document's MST
 * is another taxpayer's; details `documentTaxCode`, `certificateTaxCode`), `certificate_invalid` with `problems`
 * [revoked] / [revocationUnknown] under `revocationCheck: "require"` ([untrustedChain] under `chainCheck: "require"`,
 * [intermediateRevoked] / [intermediateRevocationUnknown] for the chain's CAs under `revocationCheck: "require"`), or the document's reason from the dry run.
 * A candidate is usable when `valid` and without `refusal` (main/core/bridge/candidates.ts `isUsable`).
 * `signatureName` is the signer name written into the signature and its stamp (domain/display-name.ts); `support`
 * the issuing CA's contact.
 */
export type CandidateView = CertificateInfo & {
  readonly revocation?: CandidateRevocationView;
  /** Absent when policy `chainCheck` and `revocationCheck` are both off, or the certificate cannot sign anyway. */
  readonly trustChain?: CandidateChainView;
  readonly refusal?: ErrorPayload;
  readonly signatureName?: string;
  readonly support?: SupportContactView;
  /** The algorithm check, set by the sign request's candidate checks (main/core/bridge/candidate-checks.ts). */
  readonly algorithm?: CandidateAlgorithmView;
};

/** `excluded`: the user unticked this batch item before signing; the portal got `user_rejected` for it. */
export type ItemResultView =
  | { readonly index: number; readonly ok: true }
  | { readonly index: number; readonly ok: false; readonly error: ErrorPayload; readonly excluded?: true };

/**
 * A remote account's "confirm on your phone" step inside `signing` (main/core/remote): what KySo sent to the
 * provider (shown so the user can match it with the phone app), the provider's expiry for a countdown, and the
 * phase. `sending`: the digest is on its way; `waiting`: the phone app has the request; `confirmed`: the user
 * confirmed and the signature came back. A refusal, expiry, quota or network failure ends the approval as
 * `failed` with its catalogue code (user_rejected, timeout, remote_quota_exceeded, remote_unavailable).
 */
export interface PhoneWaitView {
  /** The provider's name as the certificate list shows it ("VNPT SmartCA"). */
  readonly provider: string;
  /** The transaction description KySo sent: the document title. */
  readonly description: string;
  /** The portal origin KySo sent with it. */
  readonly origin: string;
  /** ISO time the provider gives up on the confirmation; absent when the provider does not say. */
  readonly expiresAt?: string;
  /** `otp`: the service asks for an OTP (CSC explicit authorization); the approval shows its field (`approvals.otp`). */
  readonly phase: "sending" | "otp" | "waiting" | "confirmed";
}

/**
 * An approval's lifecycle (style habit 8): transitions are pure functions in main/core/approval.
 * `entering-pin` keeps `pinStatus` and the last error (a wrong PIN keeps the approval open).
 */
export type ApprovalState =
  | { readonly kind: "queued" }
  /** A file approval (a vendor flow without a file, `FileApprovalView`): waiting for the user to choose the file. */
  | { readonly kind: "needs-file" }
  | { readonly kind: "choosing-certificate" }
  | { readonly kind: "entering-pin"; readonly certificateId: string; readonly pinStatus: PinStatus; readonly pinPad: boolean; readonly lastError?: ErrorPayload }
  /** `phone`: set while a remote account waits for the user's phone (cancel works then: `approvals.reject`). */
  | { readonly kind: "signing"; readonly certificateId: string; readonly done: number; readonly total: number; readonly results: readonly ItemResultView[]; readonly phone?: PhoneWaitView }
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
  /**
   * Certificates the request may use (already filtered by the request's certificateId, if any), in KySo's
   * deterministic order: usable first (main/core/bridge/candidates.ts `rankCandidates`).
   */
  readonly candidates: readonly CandidateView[];
  /** The usable candidate to pre-select: the one remembered for this origin and format, else the first usable. */
  readonly preselectedCertificateId?: string;
  /**
   * Set while no candidate is usable and KySo waits for a token: `absent` ("plug in your USB token"), `checking`
   * (a token appeared and its certificates are being checked; Approve stays disabled until they are).
   */
  readonly tokenWait?: "absent" | "checking";
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

/**
 * A vendor file flow that names no file (VGCA with an empty `FileName`): the user chooses the file in KySo's window
 * (`approvals.provideFile`); once chosen, the file is read in the document worker and a normal sign approval opens
 * for it. `maxBytes`: the largest file accepted (the main protocol's limit).
 */
export interface FileApprovalView {
  readonly kind: "file";
  readonly id: string;
  readonly origin: OriginView;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly display: WebsiteDisplay;
  readonly maxBytes: number;
  readonly state: ApprovalState;
}

export type ApprovalView = SignApprovalView | PairApprovalView | FileApprovalView;
