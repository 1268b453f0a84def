/**
 * Defect 8, PDF part (issue 9): everything in a PAdES request that sign() could refuse is refused by describe(),
 * before the approval and the PIN, with the same typed error. describe() runs sign()'s own preparation as a dry
 * run (`precheckPades`), so the two cannot drift apart.
 */
import { PDFDocument } from "@cantoo/pdf-lib";
import { describe as suite, expect, it } from "vitest";
import { isKysoError, type KysoError } from "../../../../main/domain/errors/index.js";
import { describe } from "../../../../main/core/signing/index.js";
import { minimalPdf, objectStreamPdf } from "../../../fuzz/pdf-handmade.js";

async function threePages(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < 3; i++) doc.addPage();
  return doc.save({ useObjectStreams: false });
}
const describePades = (document: Uint8Array, options: Record<string, unknown>) => describe({ format: "pades", document, options });
const code = (c: KysoError["code"]) => (e: unknown) => isKysoError(e, c);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

suite("PAdES options checked by describe()", () => {
  it("a visible stamp on a page that does not exist is invalid_params before the approval", async () => {
    const pdf = await threePages();
    await expect(describePades(pdf, { visible: { page: 4 } })).rejects.toSatisfy(code("invalid_params"));
    await expect(describePades(pdf, { visible: { page: 3 } })).resolves.toMatchObject({ pageCount: 3 });
  });

  it("a field name already used in the PDF is invalid_params, also when it names a parent field", async () => {
    const pdf = minimalPdf({ 4: "<< /T (ChuKy) /FT /Sig >>", 5: "<< /T (Nhom) /Kids [6 0 R] >>", 6: "<< /T (Con) /FT /Tx /Parent 5 0 R >>" }, "/AcroForm << /Fields [4 0 R 5 0 R] >>");
    await expect(describePades(pdf, { fieldName: "ChuKy" })).rejects.toSatisfy(code("invalid_params"));
    await expect(describePades(pdf, { fieldName: "Nhom" })).rejects.toSatisfy(code("invalid_params"));
    await expect(describePades(pdf, { fieldName: "ChuKyMoi" })).resolves.toMatchObject({ kind: "pdf" });
  });

  it("an encrypted PDF is document_encrypted", async () => {
    await expect(describePades(minimalPdf({ 9: "<< /Filter /Standard /V 4 >>" }, "", { trailer: "/Encrypt 9 0 R" }), {})).rejects.toSatisfy(code("document_encrypted"));
  });

  it("an object stream with an unsupported filter is document_invalid", async () => {
    const pdf = Buffer.from(Buffer.from(objectStreamPdf("1")).toString("latin1").replace("/Type /ObjStm", "/Type /ObjStm /Filter /LZWDecode"), "latin1");
    await expect(describePades(pdf, {})).rejects.toSatisfy(code("document_invalid"));
  });

  it("a stamp image that is not PNG/JPEG, or a PNG that does not decode, is invalid_params", async () => {
    const pdf = await threePages();
    const gif = Buffer.from("GIF89a....").toString("base64");
    const brokenPng = Buffer.from([...PNG_SIGNATURE, ...Buffer.from("garbage that is not a PNG chunk stream at all")]).toString("base64");
    await expect(describePades(pdf, { visible: { image: gif } })).rejects.toSatisfy(code("invalid_params"));
    await expect(describePades(pdf, { visible: { image: brokenPng } })).rejects.toSatisfy(code("invalid_params"));
  });

  it("a page whose objects cannot be rewritten (a /Kids entry that is not a reference) is refused by describe()", async () => {
    const pdf = minimalPdf({ 2: "<< /Type /Pages /Kids [<< /Type /Page >>] /Count 1 >>" });
    await expect(describePades(pdf, {})).rejects.toSatisfy(code("document_invalid"));
  });
});
