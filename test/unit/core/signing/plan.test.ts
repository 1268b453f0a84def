/**
 * planSignature: what the approval shows as "what goes into the signature" is read from the validated request with
 * the signer's own functions, so the stamp rectangle on screen is the /Rect the signer writes.
 */
import { PDFDocument } from "@cantoo/pdf-lib";
import { describe, expect, it } from "vitest";
import { planSignature } from "../../../../main/core/signing/plan.js";
import { stampRect } from "../../../../main/core/signing/pdf/prepare-update.js";
import { parseSigningRequest } from "../../../../main/core/signing/request.js";

async function pdf(sizes: readonly [number, number][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const size of sizes) doc.addPage([...size]);
  return doc.save({ useObjectStreams: false });
}

describe("planSignature", () => {
  it("pades: level, reason, location, contact exactly as requested; invisible without a stamp", async () => {
    const request = parseSigningRequest({
      format: "pades",
      document: await pdf([[595.28, 841.89]]),
      options: { level: "B-T", reason: "Tôi đồng ý nộp thay cho Giám đốc", location: "Hà Nội", contactInfo: "0901 234 567" },
    });
    expect(await planSignature(request)).toEqual({
      format: "pades",
      hashAlgorithm: "SHA-256",
      level: "B-T",
      reason: "Tôi đồng ý nộp thay cho Giám đốc",
      location: "Hà Nội",
      contactInfo: "0901 234 567",
    });
  });

  it("pades stamp on the last page with an explicit rect: page resolved, rect as [x1, y1, x2, y2]", async () => {
    const request = parseSigningRequest({
      format: "pades",
      document: await pdf([[595.28, 841.89], [595.28, 841.89], [841.89, 595.28]]),
      options: { visible: { page: "last", rect: [400, 40, 160, 60] } },
    });
    expect((await planSignature(request)).stamp).toEqual({ page: 3, rect: [400, 40, 560, 100], image: false });
  });

  it("pades stamp by position: the corner of that page's MediaBox, the same function the signer uses", async () => {
    const request = parseSigningRequest({
      format: "pades",
      document: await pdf([[595.28, 841.89], [300, 400]]),
      options: { visible: { page: 2, position: "top-left" } },
    });
    const plan = await planSignature(request);
    expect(plan.stamp?.page).toBe(2);
    expect(plan.stamp?.rect).toEqual(stampRect({ position: "top-left" }, [0, 0, 300, 400]));
  });

  it("cms: level and detached (a hash is always detached); xml formats carry no level option except xades", async () => {
    const cms = parseSigningRequest({ format: "cms", document: new Uint8Array([1, 2, 3]), options: { detached: false, level: "B-T" } });
    expect(await planSignature(cms)).toMatchObject({ format: "cms", level: "B-T", detached: false });
    const xades = parseSigningRequest({ format: "xades", document: new TextEncoder().encode("<a/>") });
    expect(await planSignature(xades)).toMatchObject({ format: "xades", level: "B-B" });
    const tax = parseSigningRequest({ format: "vn-tax", document: new TextEncoder().encode("<a/>") });
    expect(await planSignature(tax)).toEqual({ format: "vn-tax", hashAlgorithm: "SHA-256" });
  });
});
