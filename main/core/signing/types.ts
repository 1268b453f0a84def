import type { HashAlgorithm } from "../../domain/hash-algorithm.js";
import type { LongTermData } from "./long-term/validation-data.js";

/** Where B-T timestamps come from: settings or policy, never the page (a page-chosen URL would be an SSRF). */
export interface TimestampAuthority {
  readonly url: string;
  readonly timeoutMs?: number;
}

/** What the caller (the bridge's sign session) decides, as opposed to what the page asks for. */
export interface SignContext {
  /** One time per approval, so a batch shows one signing time; defaults to now. */
  readonly signingTime?: Date;
  /** Required for level "B-T"; its absence is `timestamp_failed`, never a silent B-B. */
  readonly timestampAuthority?: TimestampAuthority;
  /**
   * Levels B-LT/B-LTA: the chains and revocation data gathered before the approval (`gatherLongTermData`).
   * Required for those levels; its absence is `revocation_unavailable`, never a silent B-T.
   */
  readonly longTerm?: LongTermData;
  /**
   * The pre-approval dry run (prepare.ts): every step runs except the TSA requests, whose tokens are left out.
   * Never set when signing for real.
   */
  readonly dryRun?: boolean;
  /** Injected in tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export type SignOutput =
  | { readonly kind: "signature"; readonly signature: Uint8Array }
  | { readonly kind: "document"; readonly document: Uint8Array };

export type SignResult = SignOutput & {
  readonly signedAt: Date;
  /** The signer certificate, DER. */
  readonly certificate: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  /**
   * Digest of what was signed, for the audit log: the data (raw, cms), the PDF byte ranges (pades), the
   * canonical SignedInfo (XML formats).
   */
  readonly digest: Uint8Array;
};
