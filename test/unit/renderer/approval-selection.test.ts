import { describe, expect, it } from "vitest";
import type { ApprovalState, ApprovalView, CandidateView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { chooseApproval, isCandidateUsable, outcomeOf, rememberRejected, selectedCertificate } from "../../../renderer/src/approval/approval-selection.js";

const NOW = Date.parse("2026-11-24T10:00:00Z");
function view(id: string, state: ApprovalState, expiresAt = "2026-11-24T10:02:00Z"): ApprovalView {
  return { kind: "pair", id, origin: { origin: "https://a.example", trust: "none" }, createdAt: "2026-11-24T09:58:00Z", expiresAt, state };
}
const choosing: ApprovalState = { kind: "choosing-certificate" };

describe("chooseApproval", () => {
  it("nothing shown yet: the first open request", () => {
    expect(chooseApproval([view("a", { kind: "queued" }), view("b", choosing)], undefined, NOW)?.view.id).toBe("a");
  });

  it("the request on screen stays while the core lists it, even when another arrives", () => {
    const shown = { view: view("a", choosing) };
    expect(chooseApproval([view("a", choosing), view("b", { kind: "queued" })], shown, NOW)?.view.id).toBe("a");
  });

  it("dropped after a complete signing run: shown as done", () => {
    const signing: ApprovalState = { kind: "signing", certificateId: "c", done: 1, total: 1, results: [{ index: 0, ok: true }] };
    expect(chooseApproval([], { view: view("a", signing) }, NOW)?.outcome).toEqual({ kind: "done", results: [{ index: 0, ok: true }], certificateId: "c" });
  });

  it("dropped while open after the user rejected it here: rejected", () => {
    rememberRejected("r");
    expect(chooseApproval([], { view: view("r", choosing) }, NOW)?.outcome).toEqual({ kind: "cancelled", reason: "rejected" });
  });

  it("dropped while open at its deadline: timeout; before it: withdrawn by the website", () => {
    expect(outcomeOf(view("t", choosing, "2026-11-24T10:00:00Z"), NOW, false)).toEqual({ kind: "cancelled", reason: "timeout" });
    expect(outcomeOf(view("w", choosing), NOW, false)).toEqual({ kind: "cancelled", reason: "withdrawn" });
  });

  it("dropped mid-run (a failure the window did not see): ended, without guessing", () => {
    const signing: ApprovalState = { kind: "signing", certificateId: "c", done: 0, total: 2, results: [] };
    expect(outcomeOf(view("f", signing), NOW, false)).toEqual({ kind: "ended" });
  });

  it("a finished request is replaced by the next open one", () => {
    const shown = { view: view("a", choosing), outcome: { kind: "cancelled", reason: "rejected" } as const };
    expect(chooseApproval([view("b", choosing)], shown, NOW)?.view.id).toBe("b");
  });
});

describe("selectedCertificate: the certificate shown selected", () => {
  const cert = (id: string, extra: Partial<CandidateView> = {}) => ({ id, tokenId: "t", valid: true, problems: [], ...extra }) as unknown as CandidateView;
  const refusal = { code: "tax_code_mismatch" as const, message: "", retriable: false };
  const sign = (candidates: CandidateView[], preselectedCertificateId?: string) =>
    ({ kind: "sign", candidates, ...(preselectedCertificateId ? { preselectedCertificateId } : {}) }) as unknown as SignApprovalView;
  const plugged = () => true;

  it("the user's pick while usable, else the core's pre-selection, else the first usable", () => {
    const view = sign([cert("a"), cert("b"), cert("c")], "b");
    expect(selectedCertificate(view, "c", plugged)).toBe("c");
    expect(selectedCertificate(view, undefined, plugged)).toBe("b");
    expect(selectedCertificate(sign([cert("a"), cert("b")]), undefined, plugged)).toBe("a");
  });

  it("never a refused, invalid or unplugged certificate", () => {
    const view = sign([cert("x", { refusal }), cert("y", { valid: false }), cert("z", { tokenId: "gone" })], "x");
    expect(selectedCertificate(view, "x", (tokenId) => tokenId !== "gone")).toBeUndefined();
    expect(isCandidateUsable(cert("x", { refusal }), plugged)).toBe(false);
  });
});
