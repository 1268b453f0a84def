/**
 * Pure transitions of one approval (style habit 8). Each returns the next state or throws
 * `InvalidTransition` — a programming error: the queue only calls transitions its own checks allow.
 *
 *   queued → choosing-certificate → signing → done;   queued → needs-file → done (a file approval)
 *                 ↓        ↑   ↓ wrong PIN
 *                 ↓      entering-pin
 *   any open state → cancelled (rejected | timeout | withdrawn);  signing → failed
 */
import type { ApprovalState, ItemResultView, PhoneWaitView } from "../app-api/approval-view.js";
import type { PinStatus } from "../../domain/token.js";
import type { ErrorPayload } from "../../domain/errors/kyso-error.js";

export class InvalidTransition extends Error {
  constructor(from: ApprovalState["kind"], action: string) {
    super(`approval: cannot ${action} from ${from}`);
    this.name = "InvalidTransition";
  }
}

export function isOpen(state: ApprovalState): boolean {
  return state.kind === "queued" || state.kind === "needs-file" || state.kind === "choosing-certificate" || state.kind === "entering-pin";
}

export function isFinished(state: ApprovalState): boolean {
  return state.kind === "done" || state.kind === "failed" || state.kind === "cancelled";
}

export const queued = (): ApprovalState => ({ kind: "queued" });

/** The approval reaches the front of the queue and is shown to the user. */
export function show(state: ApprovalState): ApprovalState {
  if (state.kind !== "queued") throw new InvalidTransition(state.kind, "show");
  return { kind: "choosing-certificate" };
}

/** A file approval reaches the front of the queue: the user is asked to choose the file. */
export function askForFile(state: ApprovalState): ApprovalState {
  if (state.kind !== "queued") throw new InvalidTransition(state.kind, "ask for a file");
  return { kind: "needs-file" };
}

/** The user chose the file: the file approval is over (its sign approval follows). */
export function fileChosen(state: ApprovalState): ApprovalState {
  if (state.kind !== "needs-file") throw new InvalidTransition(state.kind, "take a file");
  return { kind: "done", results: [] };
}

/** The user approved with a certificate: signing starts (the PIN goes to the token with it). */
export function startSigning(state: ApprovalState, certificateId: string, total: number): ApprovalState {
  if (state.kind !== "choosing-certificate" && state.kind !== "entering-pin") throw new InvalidTransition(state.kind, "start signing");
  return { kind: "signing", certificateId, done: 0, total, results: [] };
}

/** The token refused the PIN: the approval stays open, showing how many tries are left. */
export function pinRejected(state: ApprovalState, pinStatus: PinStatus, error: ErrorPayload, pinPad: boolean): ApprovalState {
  if (state.kind !== "signing") throw new InvalidTransition(state.kind, "reject the PIN");
  return { kind: "entering-pin", certificateId: state.certificateId, pinStatus, pinPad, lastError: error };
}

export function itemFinished(state: ApprovalState, result: ItemResultView): ApprovalState {
  if (state.kind !== "signing") throw new InvalidTransition(state.kind, "record an item");
  return { ...state, done: state.done + 1, results: [...state.results, result] };
}

export function finish(state: ApprovalState): ApprovalState {
  if (state.kind === "signing") return { kind: "done", results: state.results, certificateId: state.certificateId };
  if (state.kind === "choosing-certificate") return { kind: "done", results: [] }; // a pairing: nothing to sign
  throw new InvalidTransition(state.kind, "finish");
}

export function fail(state: ApprovalState, error: ErrorPayload): ApprovalState {
  if (isFinished(state)) throw new InvalidTransition(state.kind, "fail");
  return { kind: "failed", error };
}

export function cancel(state: ApprovalState, reason: "rejected" | "timeout" | "withdrawn"): ApprovalState {
  if (!isOpen(state)) throw new InvalidTransition(state.kind, `cancel (${reason})`);
  return { kind: "cancelled", reason };
}

/** A remote account's phone step moved on (sending -> waiting -> confirmed); only while signing. */
export function phoneUpdated(state: ApprovalState, phone: PhoneWaitView): ApprovalState {
  if (state.kind !== "signing") throw new InvalidTransition(state.kind, "update the phone step");
  return { ...state, phone };
}
