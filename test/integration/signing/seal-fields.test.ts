/**
 * The seal preset fills the drafter's number and date fields in the same update as its signature: the leader's
 * signature stays valid and is followed only by "signature" and "form-fill" (pdfsig, qpdf, KySo's verifier).
 */
import { PDFDocument, PDFHexString, PDFName, PDFString } from "@cantoo/pdf-lib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sign } from "../../../main/core/signing/index.js";
import { fieldRole } from "../../../main/core/signing/pdf/presets/fill-fields.js";
import { placeAndDate } from "../../../main/domain/stamp-presets.js";
import { loadAnchors } from "../../../main/core/certificates/trust/index.js";
import { verifyPdf } from "../../../main/core/verify/index.js";
import type { Signer } from "../../../main/domain/signer.js";
import { pdfsigVerify, qpdfCheck } from "../../verifiers/cli-verifiers.js";
import { openHarness, type Harness } from "./harness.js";
import { sealPng } from "./png.js";

vi.setConfig({ testTimeout: 120_000 });
const image = Buffer.from(sealPng(96)).toString("base64");
let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

async function signPdf(pdf: Uint8Array, signer: Signer, options: Record<string, unknown>): Promise<Uint8Array> {
  const result = await sign({ format: "pades", document: pdf, options }, signer, {});
  if (result.kind !== "document") throw new Error("expected a document");
  return result.document;
}

/** A page with the drafter's two empty text fields: "so_van_ban" and "ngay_ban_hanh", and an unrelated one. */
async function draftWithFields(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const form = doc.getForm();
  form.createTextField("so_van_ban").addToPage(page, { x: 60, y: 740, width: 160, height: 18 });
  form.createTextField("ngay_ban_hanh").addToPage(page, { x: 320, y: 740, width: 230, height: 18 });
  form.createTextField("ghi_chu").addToPage(page, { x: 60, y: 100, width: 160, height: 18 });
  return doc.save({ useObjectStreams: false, updateFieldAppearances: true });
}

async function fieldValue(pdf: Uint8Array, name: string): Promise<string | undefined> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const v = doc.getForm().getTextField(name).acroField.dict.get(PDFName.of("V"));
  return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;
}

describe("seal: number and date fields in the seal's revision", () => {
  it("names: so / number / ngày / date", () => {
    expect(["so_van_ban", "So", "docNumber", "form.sokyhieu"].map(fieldRole)).toEqual(Array(4).fill("documentNumber"));
    expect(["ngay_ban_hanh", "NgàyBanHành", "issueDate"].map(fieldRole)).toEqual(Array(3).fill("documentDate"));
    expect(fieldRole("ghi_chu")).toBeUndefined();
    expect(placeAndDate("Đà Nẵng", "2026-02-05")).toBe("Đà Nẵng, ngày 05 tháng 02 năm 2026");
    expect(placeAndDate(undefined, "2026-12-02")).toBe("ngày 02 tháng 12 năm 2026");
  });

  it("leader, then seal filling 'Số' and the date: both valid, the leader followed by signature + form-fill only", async () => {
    const leader = await signPdf(await draftWithFields(), await h.signer("personRsa"), { preset: { name: "leader", image, at: { page: 1, x: 420, y: 300 } } });
    const sealed = await signPdf(leader, await h.signer("orgRsa3072"), {
      preset: { name: "seal", image, sealDiameterMm: 36, documentNumber: "15/QĐ-UBND", documentDate: "2026-12-02", place: "Đà Nẵng" },
    });
    expect(Buffer.from(sealed.subarray(0, leader.length)).equals(Buffer.from(leader))).toBe(true);
    expect(await fieldValue(sealed, "so_van_ban")).toBe("15/QĐ-UBND");
    expect(await fieldValue(sealed, "ngay_ban_hanh")).toBe("Đà Nẵng, ngày 02 tháng 12 năm 2026");
    expect(await fieldValue(sealed, "ghi_chu")).toBeUndefined();
    // The filled appearances are drawn in the text presets' face, Tinos (Times New Roman metrics), subset-tagged.
    const increment = Buffer.from(sealed.subarray(leader.length)).toString("latin1");
    expect(increment).toMatch(/\/FontName \/[A-Z]{6}\+Tinos-Regular/);
    expect(increment).not.toMatch(/DejaVu/);
    const file = await h.file("seal-fields.pdf", sealed);
    const pdfsig = await pdfsigVerify(file);
    expect(pdfsig.signatures.map((s) => s.valid)).toEqual([true, true]);
    const qpdf = await qpdfCheck(file);
    expect(qpdf.code, qpdf.stderr).toBe(0);

    const report = await verifyPdf(sealed, { anchors: [...(await loadAnchors({})).anchors] });
    const [first, second] = report.signatures;
    expect(first!.integrity).toEqual({ hash: "valid", signature: "valid" });
    // One later update (the seal's) that signs and fills, nothing else.
    expect(first!.laterUpdates.map((u) => u.kinds)).toEqual([["signature", "form-fill"]]);
    expect(second!.coverage).toBe("whole-file");
    expect(report.officialDocument).toEqual({ status: "complete", leader: 0, seal: 1 });
  });

  it("an explicit field name that does not exist is refused", async () => {
    await expect(
      signPdf(await draftWithFields(), await h.signer("orgRsa3072"), {
        preset: { name: "seal", image, sealDiameterMm: 36, at: { page: 1, x: 200, y: 200 }, documentNumber: "1", fields: { documentNumber: "missing" } },
      }),
    ).rejects.toMatchObject({ code: "invalid_params" });
  });
});
