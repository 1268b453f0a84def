/**
 * Result types of the revocation service. Every check ends in a RevocationResult value, never an exception: a
 * responder that is down, slow, lying or stale is an expected outcome the approval must show, not a crash.
 */

export type RevocationStatusValue = "good" | "revoked" | "unknown" | "error";
export type RevocationSource = "ocsp" | "crl" | "none";

/** RFC 5280 §5.3.1 CRLReason names (value 7 is unused). */
export type RevocationReason =
  | "unspecified"
  | "keyCompromise"
  | "cACompromise"
  | "affiliationChanged"
  | "superseded"
  | "cessationOfOperation"
  | "certificateHold"
  | "removeFromCRL"
  | "privilegeWithdrawn"
  | "aACompromise";

export const REVOCATION_REASONS: readonly (RevocationReason | undefined)[] = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "certificateHold",
  undefined,
  "removeFromCRL",
  "privilegeWithdrawn",
  "aACompromise",
];

/**
 * Why a check did not give a usable answer (status "error"), or a remark on a usable one. Stable keys: the UI and
 * the evidence record carry them, `message` adds the human detail.
 */
export type RevocationDetail =
  | "offline"
  | "no-url"
  | "url-not-allowed"
  | "network"
  | "timeout"
  | "too-large"
  | "http-status"
  | "redirect-refused"
  | "malformed"
  | "responder-status"
  | "bad-signature"
  | "unsupported-algorithm"
  | "unauthorised-responder"
  | "responder-certificate-expired"
  | "cert-id-mismatch"
  | "nonce-mismatch"
  | "stale"
  | "not-yet-valid"
  | "crl-not-from-issuer"
  | "crl-unsupported"
  | "no-issuer";

/** Remarks on a usable answer, kept in the evidence. */
export type RevocationNote = "nonce-not-echoed" | "sha1-cert-id" | "no-next-update" | "ocsp-failed-crl-used";

export interface RevocationAttempt {
  readonly source: Exclude<RevocationSource, "none">;
  readonly url: string;
  readonly status: RevocationStatusValue;
  readonly detail?: RevocationDetail;
  readonly message?: string;
}

export interface RevocationResult {
  readonly status: RevocationStatusValue;
  /** Where the answer came from; "none" when nothing could be asked (offline, no URL). */
  readonly source: RevocationSource;
  /** When KySo obtained the answer (the cache keeps the original time). */
  readonly checkedAt: Date;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  /** Set when status is "revoked". */
  readonly revokedAt?: Date;
  readonly reason?: RevocationReason;
  /** Set when status is "error" (why) or as the reason of an "unknown". */
  readonly detail?: RevocationDetail;
  /** Human detail in English, for logs and the evidence record (the UI uses `detail`). */
  readonly message?: string;
  /** The URL that gave the answer. */
  readonly url?: string;
  /** DER of the OCSP response or of the CRL that gave the answer: the evidence to keep. */
  readonly evidence?: Uint8Array;
  readonly notes: readonly RevocationNote[];
  /** True when served from the cache without a network request. */
  readonly fromCache: boolean;
  /** Each source tried, in order (an OCSP failure before a CRL answer stays visible). */
  readonly attempts: readonly RevocationAttempt[];
}

/** Policy `revocationCheck`. */
export type RevocationCheckMode = "off" | "warn" | "require";

/** Keys of the verdict; the UI catalogue words them as `cert.<key>` (main/domain/messages). */
export type RevocationVerdictKey =
  | "revocation.revoked"
  | "revocation.unknown"
  | "revocation.unchecked"
  | "revocation.offline";

export interface RevocationVerdict {
  readonly blocking: boolean;
  /** Shown in the approval when set, whether blocking or not. */
  readonly warning?: RevocationVerdictKey;
}
