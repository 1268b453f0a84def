/**
 * The checks on a user's decision (the approval gate's last step before the token is touched): they throw the typed
 * refusal while the approval keeps its state, so the user can choose again or reject.
 */
import type { CandidateView } from "../app-api/approval-view.js";
import { KysoError, fromPayload } from "../../domain/errors/kyso-error.js";
import type { SignApprovalRequest } from "./approval-request.js";

/** What the user decided in the app: the certificate, the PIN and, for a batch, the items left out. */
export interface ApprovalDecision {
  readonly certificateId?: string;
  readonly pin: Buffer | null;
  readonly excludedItems?: readonly number[];
}

/**
 * The items a user may leave out of a request: only in a batch, each an item index of this request, no repeats,
 * and at least one item still to sign (leaving all out is a rejection, which has its own button). Throws
 * `invalid_params`.
 */
export function checkExcludedItems(request: SignApprovalRequest, excluded: readonly number[] | undefined): ReadonlySet<number> {
  if (!excluded || excluded.length === 0) return new Set();
  if (!request.batch) throw new KysoError("invalid_params", "only a batch can leave items out");
  const set = new Set(excluded);
  if (set.size !== excluded.length) throw new KysoError("invalid_params", "an item is left out twice");
  for (const index of set) {
    if (!Number.isInteger(index) || index < 0 || index >= request.items.length) throw new KysoError("invalid_params", `no item ${index} in this batch`);
  }
  if (set.size >= request.items.length) throw new KysoError("invalid_params", "at least one item must be signed: reject the request instead");
  return set;
}

/**
 * The certificate and the items a decision on a sign approval signs with. The certificate must be among this
 * approval's candidates (with none named, the only usable one), else `certificate_not_found`; valid, else
 * `certificate_invalid`; and able to sign this document, else its `refusal`. The items left out are checked by
 * `checkExcludedItems`.
 */
export function checkDecision(request: SignApprovalRequest, decision: ApprovalDecision): { readonly certificate: CandidateView; readonly excludedItems: ReadonlySet<number> } {
  const usable = request.candidates.filter((c) => c.valid && !c.refusal);
  const certificateId = decision.certificateId ?? (usable.length === 1 ? usable[0]!.id : undefined);
  const certificate = request.candidates.find((c) => c.id === certificateId);
  if (!certificateId || !certificate) throw new KysoError("certificate_not_found", "the certificate is not among this approval's candidates");
  // Refused before the token is touched and before the approval leaves its state: the user can choose again.
  if (!certificate.valid) throw new KysoError("certificate_invalid", certificate.problems.join(","), { problems: [...certificate.problems] });
  // A certificate that cannot sign this document (another taxpayer's MST, revoked under "require"): refused the
  // same way, the approval stays open for another choice or a rejection.
  if (certificate.refusal) throw fromPayload(certificate.refusal);
  return { certificate, excludedItems: checkExcludedItems(request, decision.excludedItems) };
}
