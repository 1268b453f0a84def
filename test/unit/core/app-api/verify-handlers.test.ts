/**
 * The verify page's methods with the real document workers and real anchors: a file above the policy's document
 * limit is refused with the typed `document_too_large` before it is decoded, a PDF is verified in the worker and its
 * report exported as XML and PDF from the core's copy, and an unknown or evicted report is `not_found`.
 */
import { PDFDocument } from "@cantoo/pdf-lib";
import { afterAll, describe, expect, it } from "vitest";
import { APP_PARAMS } from "../../../../main/core/app-api/contract.js";
import { createVerifyHandlers, KEPT_REPORTS, verifyFileLimit } from "../../../../main/core/app-api/verify-handlers.js";
import { loadAnchors } from "../../../../main/core/certificates/trust/anchor-store.js";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";
import { createDocumentWorkers } from "../../../../main/core/signing/worker/document-workers.js";
import { KysoError } from "../../../../main/domain/errors/kyso-error.js";

const workers = createDocumentWorkers({ maxWorkers: 1 });
afterAll(() => workers.close());

async function unsignedPdf(): Promise<string> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  return Buffer.from(await doc.save()).toString("base64");
}

function handlers(maxDocumentBytes?: number) {
  let verifyCalls = 0;
  const policy = policySchema.parse(maxDocumentBytes ? { maxDocumentBytes } : {});
  const methods = createVerifyHandlers({
    workers: () => ({
      verifyDocument: (...args) => {
        verifyCalls++;
        return workers.verifyDocument(...args);
      },
    }),
    anchors: async () => (await loadAnchors({ bundled: true })).anchors,
    policy,
    language: () => "en",
    now: () => new Date("2026-12-02T00:00:00Z"),
  });
  return { methods, calls: () => verifyCalls };
}

describe("verify.file", () => {
  it("refuses a file above the policy's document limit with document_too_large, without verifying it", async () => {
    const { methods, calls } = handlers(1024);
    const base64 = Buffer.alloc(1025, 1).toString("base64");
    const error = await methods["verify.file"]({ fileName: "big.pdf", base64 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KysoError);
    expect((error as KysoError).code).toBe("document_too_large");
    // The detached content counts too.
    const detached = await methods["verify.file"]({ fileName: "a.p7s", base64: "AAAA", detachedContent: { fileName: "a.bin", base64 } }).catch((e: unknown) => e);
    expect((detached as KysoError).code).toBe("document_too_large");
    expect(calls()).toBe(0);
  });

  it("the default limit is the largest document a portal may send (the message cap, decoded)", () => {
    expect(verifyFileLimit(policySchema.parse({}))).toBe(48 * 1024 * 1024);
    expect(verifyFileLimit(policySchema.parse({ maxDocumentBytes: 5000 }))).toBe(5000);
  });

  it("rejects params that are not base64 at the door", () => {
    expect(APP_PARAMS["verify.file"].safeParse({ fileName: "a.pdf", base64: "not base64!" }).success).toBe(false);
    expect(APP_PARAMS["verify.file"].safeParse({ fileName: "a.pdf", base64: "QUJD", extra: 1 }).success).toBe(false);
  });

  it("verifies a PDF in the worker and exports the core's own copy of the report", async () => {
    const { methods } = handlers();
    const { reportId, report, fileName } = await methods["verify.file"]({ fileName: "công văn.pdf", base64: await unsignedPdf() });
    expect(fileName).toBe("công văn.pdf");
    expect(report.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND" });
    const xml = await methods["verify.exportReport"]({ reportId, format: "xml" });
    expect(xml).toMatchObject({ fileName: "công văn.verification.xml", mediaType: "application/xml" });
    expect(Buffer.from(xml.base64, "base64").toString("utf8")).toContain("<vr:ValidationReport");
    const pdf = await methods["verify.exportReport"]({ reportId, format: "pdf" });
    expect(pdf.mediaType).toBe("application/pdf");
    expect(Buffer.from(pdf.base64, "base64").subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("keeps only the last reports: an evicted or unknown id is not_found", async () => {
    const { methods } = handlers();
    const base64 = await unsignedPdf();
    const first = await methods["verify.file"]({ fileName: "a.pdf", base64 });
    for (let i = 0; i < KEPT_REPORTS; i++) await methods["verify.file"]({ fileName: `b${i}.pdf`, base64 });
    const evicted = await methods["verify.exportReport"]({ reportId: first.reportId, format: "xml" }).catch((e: unknown) => e);
    expect((evicted as KysoError).code).toBe("not_found");
    const unknown = await methods["verify.exportReport"]({ reportId: "nope", format: "pdf" }).catch((e: unknown) => e);
    expect((unknown as KysoError).code).toBe("not_found");
  });
});
