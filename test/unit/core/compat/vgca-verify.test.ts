/**
 * Issue 17: the VGCA adapter's VerifyMsg / VerifyXML onto the bridge's `verify` (no sockets): what each message
 * becomes (params the bridge's own schema accepts), and how a report becomes the vendor's reply.
 */
import { describe, expect, it } from "vitest";
import { verifyParamsSchema } from "../../../../main/core/bridge/verify-params.js";
import { isVgcaEndpoint, planVgca, renderVgcaVerify, VGCA_STATUS } from "../../../../main/core/compat/vgca/vgca-wire.js";
import type { VerificationReport } from "../../../../main/domain/wire/protocol.js";

const DOC = Buffer.from("<HoaDon/>").toString("base64");

function reportWith(result: VerificationReport["result"]): VerificationReport {
  return { format: "pdf", size: 10, sha256: "00", revisions: 1, validationTime: "2026-01-01T00:00:00.000Z", signatures: [], result };
}

describe("VGCA VerifyMsg / VerifyXML → verify", () => {
  it("are endpoints; VerifyPDF (not in the notes) is not", () => {
    expect(isVgcaEndpoint("VerifyMsg")).toBe(true);
    expect(isVgcaEndpoint("VerifyXML")).toBe(true);
    expect(isVgcaEndpoint("VerifyPDF")).toBe(false);
  });

  it("a bare base64 document or {Base64Content, DetachedContent, Online} become params the bridge's schema accepts", () => {
    const plans = [
      planVgca("VerifyMsg", DOC),
      planVgca("VerifyXML", ` ${DOC}\n`),
      planVgca("VerifyMsg", JSON.stringify({ Base64Content: DOC, DetachedContent: "AAAA", Online: "true", Extra: 1 })),
      planVgca("VerifyXML", JSON.stringify({ Base64Content: DOC, Online: false })),
    ];
    for (const plan of plans) {
      expect(plan.kind).toBe("verify");
      if (plan.kind === "verify") expect(verifyParamsSchema.safeParse(plan.params).success).toBe(true);
    }
    expect(plans[0]).toEqual({ kind: "verify", params: { document: DOC } });
    expect(plans[2]).toEqual({ kind: "verify", params: { document: DOC, detachedContent: "AAAA", online: true } });
    expect(plans[3]).toEqual({ kind: "verify", params: { document: DOC } });
  });

  it("what it cannot read is Status 3, never an exception and never a call", () => {
    for (const text of ["", "not base64!", "{", JSON.stringify({ Base64Content: "" }), JSON.stringify({ Base64Content: "%%" }), JSON.stringify({ Document: DOC })]) {
      expect(planVgca("VerifyMsg", text), text).toMatchObject({ kind: "reply", reply: { Status: VGCA_STATUS.invalidInput } });
    }
  });

  it("reply: Status 0 only for TOTAL-PASSED, 7 TOTAL-FAILED, 8 INDETERMINATE; the verdict in words; the report unchanged", () => {
    const passed = reportWith({ indication: "TOTAL-PASSED", reason: "allSignaturesValid" });
    expect(renderVgcaVerify(passed, "en")).toEqual({ Status: 0, Message: "Valid. Every signature in the document is valid.", Indication: "TOTAL-PASSED", Report: passed });
    const failed = reportWith({ indication: "TOTAL-FAILED", subIndication: "HASH_FAILURE", reason: "someSignatureFailed" });
    expect(renderVgcaVerify(failed, "vi")).toMatchObject({ Status: VGCA_STATUS.signatureInvalid, Indication: "TOTAL-FAILED", SubIndication: "HASH_FAILURE" });
    expect(String(renderVgcaVerify(failed, "vi").Message)).not.toBe(String(renderVgcaVerify(failed, "en").Message));
    const open = reportWith({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "noSignatures" });
    expect(renderVgcaVerify(open, "en")).toMatchObject({ Status: VGCA_STATUS.indeterminate, Message: "Cannot be determined. The document has no signatures." });
    // A reason from a newer verifier without words yet: the verdict alone.
    const unknown = reportWith({ indication: "INDETERMINATE", reason: "brandNew" as never });
    expect(renderVgcaVerify(unknown, "en").Message).toBe("Cannot be determined.");
  });
});
