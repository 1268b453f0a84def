/** The MST rule and the candidate order: one rule for vn-tax and vn-einvoice, a deterministic, stable choice. */
import { describe, expect, it } from "vitest";
import type { CandidateView } from "../../../../main/core/app-api/approval-view.js";
import { choiceKey, isUsable, preselect, rankCandidates, unusableReason } from "../../../../main/core/bridge/candidates.js";
import { identityMismatch } from "../../../../main/core/certificates/vn-identifiers.js";
import { transferable, KysoError } from "../../../../main/domain/errors/kyso-error.js";

describe("identityMismatch: the document's MST against the certificate's", () => {
  it("same digits match, whatever the punctuation", () => {
    expect(identityMismatch("0101234567", { taxCode: "0101234567" })).toBeUndefined();
    expect(identityMismatch("0101234567-001", { taxCode: "0101234567001" })).toBeUndefined();
    expect(identityMismatch(" 0101234567 ", { taxCode: "0101234567" })).toBeUndefined();
  });

  it("a branch suffix is significant, both ways", () => {
    expect(identityMismatch("0101234567-001", { taxCode: "0101234567" })).toEqual({ documentTaxCode: "0101234567-001", certificateTaxCode: "0101234567" });
    expect(identityMismatch("0101234567", { taxCode: "0101234567-001" })).toEqual({ documentTaxCode: "0101234567", certificateTaxCode: "0101234567-001" });
  });

  it("another taxpayer's MST, or a certificate without any: mismatch with both codes", () => {
    expect(identityMismatch("0101234567", { taxCode: "1801234567" })).toEqual({ documentTaxCode: "0101234567", certificateTaxCode: "1801234567" });
    expect(identityMismatch("0101234567", { personalId: "001234567890" })).toEqual({ documentTaxCode: "0101234567" });
    expect(identityMismatch("", { taxCode: "" })).toEqual({ documentTaxCode: "" });
  });

  it("a person's 12-digit tax code is the CCCD: the certificate's CCCD matches", () => {
    expect(identityMismatch("001234567890", { personalId: "001234567890" })).toBeUndefined();
    expect(identityMismatch("001234567890", { personalId: "079123456789" })).toBeDefined();
  });

  it("a document that names no signer: nothing to compare", () => {
    expect(identityMismatch(undefined, {})).toBeUndefined();
  });
});

let serial = 0;
function candidate(overrides: Partial<CandidateView> & { name: string }): CandidateView {
  serial++;
  const { name, ...rest } = overrides;
  return {
    id: `${String(serial).padStart(4, "0")}:token`,
    tokenId: "token",
    certificate: "",
    chain: [],
    subject: { text: `CN=${name}`, commonName: name, attributes: [] },
    issuer: { text: "CN=CA", attributes: [] },
    serialNumber: "01",
    notBefore: "2025-01-01T00:00:00Z",
    notAfter: "2027-01-01T00:00:00Z",
    keyAlgorithm: { kind: "rsa", modulusBits: 2048 },
    keyUsage: ["digitalSignature", "nonRepudiation"],
    extendedKeyUsage: [],
    fingerprintSha256: "00",
    vn: {},
    problems: [],
    valid: true,
    label: name,
    ...rest,
  };
}

const mismatch = transferable(new KysoError("tax_code_mismatch", "x", { documentTaxCode: "0101234567", certificateTaxCode: "1801234567" }));

describe("rankCandidates and preselect", () => {
  const expired = candidate({ name: "An", valid: false, problems: ["expired"], notBefore: "2026-01-01T00:00:00Z" });
  const other = candidate({ name: "Bình", refusal: mismatch, notBefore: "2026-06-01T00:00:00Z" });
  const older = candidate({ name: "Cúc", notBefore: "2024-01-01T00:00:00Z" });
  const newer = candidate({ name: "Dũng", notBefore: "2025-06-01T00:00:00Z" });
  const sameDateA = candidate({ name: "Ánh" });
  const sameDateB = candidate({ name: "Bảo" });
  const all = [expired, other, older, newer, sameDateA, sameDateB];

  it("usable first, newest first, then by Vietnamese name; unusable last with the same order", () => {
    expect(rankCandidates(all).map((c) => c.subject.commonName)).toEqual(["Dũng", "Ánh", "Bảo", "Cúc", "Bình", "An"]);
  });

  it("the same order whatever order the tokens listed them in", () => {
    const orders = [all, [...all].reverse(), [sameDateB, expired, newer, other, sameDateA, older]];
    const ranked = orders.map((o) => rankCandidates(o).map((c) => c.id));
    expect(ranked[1]).toEqual(ranked[0]);
    expect(ranked[2]).toEqual(ranked[0]);
  });

  it("pre-selects the remembered certificate while it is usable, else the first usable; never an unusable one", () => {
    const ranked = rankCandidates(all);
    expect(preselect(ranked, older.id)).toBe(older.id);
    expect(preselect(ranked, other.id)).toBe(newer.id);
    expect(preselect(ranked, "gone")).toBe(newer.id);
    expect(preselect(rankCandidates([expired, other]), other.id)).toBeUndefined();
  });

  it("isUsable: valid and not refused for this request", () => {
    expect([expired, other, older].map(isUsable)).toEqual([false, false, true]);
  });

  it("choiceKey: one key per set of formats", () => {
    expect(choiceKey(["pades"])).toBe("pades");
    expect(choiceKey(["pades", "cms", "pades"])).toBe("cms+pades");
  });
});

describe("unusableReason: what the page learns when the user rejects or the deadline passes with nothing usable", () => {
  it("no certificate at all: token_not_present", () => {
    expect(unusableReason([], "timeout")).toMatchObject({ code: "token_not_present", details: { reason: "timeout" } });
  });
  it("only another taxpayer's certificates: tax_code_mismatch with both codes", () => {
    expect(unusableReason([candidate({ name: "x", refusal: mismatch })], "rejected")).toMatchObject({
      code: "tax_code_mismatch",
      details: { documentTaxCode: "0101234567", certificateTaxCode: "1801234567", reason: "rejected" },
    });
  });
  it("only invalid certificates: certificate_invalid with the problems", () => {
    expect(unusableReason([candidate({ name: "x", valid: false, problems: ["expired"] })], "timeout")).toMatchObject({ code: "certificate_invalid", details: { problems: ["expired"] } });
  });
});
