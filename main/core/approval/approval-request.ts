/**
 * What waits for the user in the approval queue: a signing request (one document or a batch), a pairing, or a vendor
 * file flow that needs the user to choose a file; and what a signing request's `execute` receives once the user has
 * approved it.
 */
import type { ApprovalItemView, CandidateView, ItemResultView, OriginView, PhoneWaitView, SignatureView, WebsiteDisplay } from "../app-api/approval-view.js";
import type { TokenInfo } from "../../domain/token.js";

/** What a sign request's `execute` receives once the user has approved it. */
export interface ApprovalChoice {
  readonly certificateId: string;
  /** Zeroed by the queue once `execute` returns, whatever happened. */
  readonly pin: Buffer | null;
  /** Batch items the user unticked: never signed, answered `user_rejected` (checked by `checkExcludedItems`). */
  readonly excludedItems: ReadonlySet<number>;
  /** Aborted when the user cancels while a remote account waits for the phone (`reject` during `signing.phone`). */
  readonly signal?: AbortSignal;
  /**
   * A remote account's OTP (CSC explicit authorization): resolves with what the user types in the approval
   * (`provideOtp`), rejects when the approval is cancelled meanwhile. The caller shows the OTP step first.
   */
  readonly askOtp?: () => Promise<string>;
}

export interface SignApprovalRequest {
  readonly kind: "sign";
  readonly origin: OriginView;
  /** The bridge connection that asked: closing it withdraws the approval. */
  readonly connectionId: string;
  readonly batch: boolean;
  readonly items: readonly ApprovalItemView[];
  /** The bytes behind each item, for the app's own preview (`approvals.document`). */
  readonly documents: readonly ({ readonly mediaType: string; readonly bytes: Uint8Array } | undefined)[];
  readonly display?: WebsiteDisplay;
  readonly candidates: readonly CandidateView[];
  readonly preselectedCertificateId?: string;
  readonly tokenWait?: "absent" | "checking";
  readonly tokens: readonly TokenInfo[];
  /**
   * Opens the token with the user's choice and signs every item, reporting each one as it finishes; a remote
   * account reports its phone step through `phone` (undefined once the step is over).
   */
  execute(choice: ApprovalChoice, progress: (result: ItemResultView) => void, phone?: (step: PhoneWaitView | undefined) => void): Promise<void>;
  /**
   * The user placed item `index`'s stamp on the preview (bridge/user-placement.ts): checks the point and prepares
   * the item again, before the PIN; resolves with what the signature will now carry, rejects with the typed refusal.
   * Absent: nothing in this request can be placed.
   */
  placeStamp?(index: number, at: { readonly page: number; readonly x: number; readonly y: number }): Promise<SignatureView>;
}

export interface PairApprovalRequest {
  readonly kind: "pair";
  readonly origin: OriginView;
  readonly connectionId: string;
}

/** A vendor file flow without a file: the user chooses one (`provideFile`), handed to `receive` before the entry ends. */
export interface FileApprovalRequest {
  readonly kind: "file";
  readonly origin: OriginView;
  readonly connectionId: string;
  readonly display: WebsiteDisplay;
  readonly maxBytes: number;
  receive(file: { readonly fileName: string; readonly bytes: Buffer }): void;
}

export type ApprovalRequest = SignApprovalRequest | PairApprovalRequest | FileApprovalRequest;

/** What a sign approval learns while it is open: the candidates of a token plugged in (or pulled out) meanwhile. */
export type CandidatesUpdate = Pick<SignApprovalRequest, "candidates" | "tokens" | "preselectedCertificateId" | "tokenWait">;
