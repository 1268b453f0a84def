import { describe, expect, it } from "vitest";
import { assessOfficialDocument } from "../../../../main/core/verify/official-document.js";
import type { SignatureReport } from "../../../../main/domain/wire/verify-report.js";

/** Only what the assessment reads: the claimed role and how many updates came after the signature. */
const sig = (preset: SignatureReport["preset"] | undefined, later: number): SignatureReport =>
  ({ ...(preset ? { preset } : {}), laterUpdates: Array.from({ length: later }, (_, i) => ({ revision: i + 2, kinds: ["signature"], changed: [], added: 1 })) }) as unknown as SignatureReport;

describe("assessOfficialDocument (Decree 30/2020 two signatures)", () => {
  it("no leader or seal role: not assessed, whatever the signatures look like", () => {
    expect(assessOfficialDocument([])).toEqual({ status: "not-assessed" });
    expect(assessOfficialDocument([sig(undefined, 1), sig(undefined, 0)])).toEqual({ status: "not-assessed" });
    expect(assessOfficialDocument([sig("appendix", 0)])).toEqual({ status: "not-assessed" });
  });
  it("leader then seal: complete", () => {
    expect(assessOfficialDocument([sig("leader", 1), sig("seal", 0)])).toEqual({ status: "complete", leader: 0, seal: 1 });
  });
  it("order from the revisions, not from the field order", () => {
    expect(assessOfficialDocument([sig("seal", 0), sig("leader", 1)])).toEqual({ status: "complete", leader: 1, seal: 0 });
    expect(assessOfficialDocument([sig("seal", 1), sig("leader", 0)])).toEqual({ status: "wrong-order", leader: 1, seal: 0 });
  });
  it("one of the two missing", () => {
    expect(assessOfficialDocument([sig("leader", 0)])).toEqual({ status: "seal-missing", leader: 0 });
    expect(assessOfficialDocument([sig(undefined, 1), sig("seal", 0)])).toEqual({ status: "leader-missing", seal: 1 });
  });
});
