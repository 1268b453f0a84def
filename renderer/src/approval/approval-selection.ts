/**
 * Which approval the window shows and what it says once the core has dropped it: pure functions, unit-tested.
 */
import type { ApprovalState, ApprovalView, CandidateView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";

export function isOpen(view: ApprovalView): boolean {
  return view.state.kind === "queued" || view.state.kind === "needs-file" || view.state.kind === "choosing-certificate" || view.state.kind === "entering-pin";
}

/** Requests this window rejected: when the core drops one, the window knows it was the user's "no". */
const rejectedHere = new Set<string>();

export function rememberRejected(id: string): void {
  rejectedHere.add(id);
}

/** What the window shows once a request has ended; `ended` when the window cannot tell how. */
export type Outcome = Extract<ApprovalState, { kind: "done" | "failed" | "cancelled" }> | { readonly kind: "ended" };
export interface Shown {
  readonly view: ApprovalView;
  readonly outcome?: Outcome;
}

/**
 * The core drops an approval from its list as soon as it ends, without its final state: the window works out what
 * to show from the last state it saw (a full set of good results is a success; otherwise the user's rejection, the
 * deadline, or the website withdrawing it).
 */
export function outcomeOf(view: ApprovalView, now: number, rejected: boolean): Outcome {
  const state = view.state;
  switch (state.kind) {
    case "signing":
      // An item the user left out is part of a complete answer, not a failure.
      return state.results.length === state.total && state.results.every((r) => r.ok || r.excluded) ? { kind: "done", results: state.results, certificateId: state.certificateId } : { kind: "ended" };
    case "done":
    case "failed":
    case "cancelled":
      return state;
    default:
      if (rejected) return { kind: "cancelled", reason: "rejected" };
      return { kind: "cancelled", reason: now >= Date.parse(view.expiresAt) - 1000 ? "timeout" : "withdrawn" };
  }
}

/**
 * Which request the window shows: the one on screen while the core still lists it (its outcome stays visible after
 * the core drops it), else the oldest open one. A new request never replaces one the user is deciding on.
 */
export function chooseApproval(list: readonly ApprovalView[], current: Shown | undefined, now: number = Date.now()): Shown | undefined {
  const updated = current && list.find((a) => a.id === current.view.id);
  if (updated) return { view: updated };
  const next = list.find(isOpen);
  if (next) return { view: next };
  if (current) return current.outcome ? current : { view: current.view, outcome: outcomeOf(current.view, now, rejectedHere.has(current.view.id)) };
  return undefined;
}


/** Usable for this request: valid, not refused by the core (another MST, revoked under `require`, ...), its token plugged in. */
export function isCandidateUsable(candidate: CandidateView, plugged: (tokenId: string) => boolean): boolean {
  return candidate.valid && candidate.refusal === undefined && plugged(candidate.tokenId);
}

/** The certificate to show selected: the user's pick while usable, else the core's pre-selection, else the first usable. */
export function selectedCertificate(view: SignApprovalView, chosen: string | undefined, plugged: (tokenId: string) => boolean): string | undefined {
  const usable = view.candidates.filter((c) => isCandidateUsable(c, plugged));
  const pick = [chosen, view.preselectedCertificateId].find((id) => id !== undefined && usable.some((c) => c.id === id));
  return pick ?? usable[0]?.id;
}

/** The MST the document names, when a candidate was refused for it (to say which token to plug in). */
export function documentTaxCodeOf(candidates: readonly CandidateView[]): string | undefined {
  const value = candidates.find((c) => c.refusal?.code === "tax_code_mismatch")?.refusal?.details?.documentTaxCode;
  return typeof value === "string" ? value : undefined;
}
