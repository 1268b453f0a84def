/** The trust bundle's result types, without Node imports: the renderer reads them through diagnostics (views.ts). */

export type TrustBundleRefusal = "malformed" | "unknown-key" | "bad-signature" | "expired" | "not-yet-valid" | "rollback" | "unreadable";

export interface TrustBundleProblem {
  readonly source: "stored" | "file" | "url" | "policy";
  readonly reason: TrustBundleRefusal | "fetch-failed";
  readonly message: string;
}

/** What diagnostics shows. */
export interface TrustBundleStatus {
  readonly configured: boolean;
  readonly inUse?: { readonly version: number; readonly issuedAt: string; readonly expiresAt: string; readonly anchors: number; readonly intermediates: number };
  readonly problems: readonly TrustBundleProblem[];
}
