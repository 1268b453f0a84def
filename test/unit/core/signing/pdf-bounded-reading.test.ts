/**
 * Defect 1 (issue 9): a 605-byte PDF froze the app. Every walk over a PDF's object graph now keeps a visited set
 * and charges one work budget; every number from the file is range-checked before it sizes a loop. Each hostile
 * document below is refused with a typed error or described, and the work it cost is counted (never timed).
 */
import { PDFDocument, PDFRef } from "@cantoo/pdf-lib";
import { describe as suite, expect, it, vi } from "vitest";
import { isKysoError } from "../../../../main/domain/errors/index.js";
import { describe } from "../../../../main/core/signing/index.js";
import { WorkBudget } from "../../../../main/core/signing/pdf/pdf-limits.js";
import { formFields, pageCount } from "../../../../main/core/signing/pdf/pdf-model.js";
import { readPdfStructure, type PdfStructure } from "../../../../main/core/signing/pdf/pdf-reader.js";
import { memorySource } from "../../../../main/core/signing/pdf/pdf-source.js";
import { appendXrefSection, lastStartxref, minimalPdf, objectStreamPdf, xrefStreamPdf } from "../../../fuzz/pdf-handmade.js";

async function structure(pdf: Uint8Array, budget = new WorkBudget()): Promise<PdfStructure> {
  const { context } = await PDFDocument.create({ updateMetadata: false });
  return readPdfStructure(memorySource(pdf), context, budget);
}

const describePdf = (pdf: Uint8Array) => describe({ format: "pades", document: pdf });
const refused = (code = "document_invalid") => (e: unknown) => isKysoError(e, code as never);

suite("AcroForm field walks", () => {
  it("a field that lists itself among its own /Kids (the 605-byte freeze) is refused after a handful of steps", async () => {
    const pdf = minimalPdf({ 4: "<< /FT /Sig /T (a) /Kids [4 0 R 4 0 R 4 0 R 4 0 R 4 0 R 4 0 R 4 0 R 4 0 R] >>" }, "/AcroForm << /Fields [4 0 R 4 0 R] >>");
    expect(pdf.length).toBeLessThan(700);
    const s = await structure(pdf);
    expect(() => formFields(s)).toThrow(/cycle/);
    expect(s.budget.steps).toBeLessThan(50);
    await expect(describePdf(pdf)).rejects.toSatisfy(refused());
  });

  it.each([
    ["2-cycle", { 4: "<< /T (a) /Kids [5 0 R 5 0 R] >>", 5: "<< /T (b) /Kids [4 0 R 4 0 R] >>" }],
    ["3-cycle", { 4: "<< /T (a) /Kids [5 0 R 5 0 R] >>", 5: "<< /T (b) /Kids [6 0 R 6 0 R] >>", 6: "<< /T (c) /Kids [4 0 R 4 0 R] >>" }],
  ])("a %s through /Kids is refused", async (_name, objects) => {
    const pdf = minimalPdf(objects, "/AcroForm << /Fields [4 0 R] >>");
    const s = await structure(pdf);
    expect(() => formFields(s)).toThrow(/cycle/);
    expect(s.budget.steps).toBeLessThan(50);
    await expect(describePdf(pdf)).rejects.toSatisfy(refused());
  });

  it("a diamond (every level lists the next one eight times, 30 levels deep) is read once per field", async () => {
    const objects: Record<number, string> = {};
    for (let level = 0; level < 30; level++) {
      const kid = `${level + 5} 0 R `;
      objects[level + 4] = `<< /T (f${level}) /Kids [${kid.repeat(8)}] >>`;
    }
    objects[34] = "<< /T (leaf) /FT /Tx >>";
    const pdf = minimalPdf(objects, "/AcroForm << /Fields [4 0 R] >>");
    const s = await structure(pdf);
    const fields = formFields(s);
    expect(fields).toHaveLength(31);
    expect(s.budget.steps).toBeLessThan(2_000);
    expect(await describePdf(pdf)).toMatchObject({ kind: "pdf", pageCount: 1 });
  });

  it("a /Parent cycle is never followed (fields and pages are walked downwards only)", async () => {
    const pdf = minimalPdf({ 4: "<< /T (a) /FT /Tx /Parent 5 0 R >>", 5: "<< /T (b) /Parent 4 0 R >>" }, "/AcroForm << /Fields [4 0 R] >>");
    const s = await structure(pdf);
    expect(formFields(s).map((f) => f.name)).toEqual(["a"]);
    expect(await describePdf(pdf)).toMatchObject({ kind: "pdf", pageCount: 1 });
  });

  it("fields nested deeper than the limit are refused as too complex", async () => {
    const objects: Record<number, string> = {};
    for (let level = 0; level < 80; level++) objects[level + 4] = `<< /T (f${level}) /Kids [${level + 5} 0 R] >>`;
    objects[84] = "<< /T (leaf) >>";
    await expect(describePdf(minimalPdf(objects, "/AcroForm << /Fields [4 0 R] >>"))).rejects.toThrow(/too_complex/);
  });
});

suite("page tree walks", () => {
  it("a page tree that lists its own root among its /Kids is refused", async () => {
    const pdf = minimalPdf({ 2: "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>" });
    await expect(describePdf(pdf)).rejects.toSatisfy(refused());
  });

  it("a 2-cycle of /Pages nodes is refused", async () => {
    const pdf = minimalPdf({ 2: "<< /Type /Pages /Kids [4 0 R] /Count 1 >>", 4: "<< /Type /Pages /Kids [2 0 R] /Count 1 >>" });
    const s = await structure(pdf);
    expect(() => pageCount(s)).toThrow(/twice/);
    expect(s.budget.steps).toBeLessThan(50);
  });

  it("a page whose /Parent points at itself is described (parents are never walked)", async () => {
    const pdf = minimalPdf({ 3: "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>" });
    expect(await describePdf(pdf)).toMatchObject({ pageCount: 1 });
  });

  it("a huge /Count is refused: the page count shown is the pages KySo found", async () => {
    await expect(describePdf(minimalPdf({ 2: "<< /Type /Pages /Kids [3 0 R] /Count 999999999999 >>" }))).rejects.toThrow(/Count says/);
    await expect(describePdf(minimalPdf({ 2: "<< /Type /Pages /Kids [3 0 R] /Count 7 >>" }))).rejects.toThrow(/holds 1/);
  });
});

suite("cross-reference sections", () => {
  it("an xref section whose /Prev points at itself is read once (and the objects it hides are missing)", async () => {
    const base = minimalPdf();
    const { pdf } = appendXrefSection(base, base.length);
    const { context } = await PDFDocument.create({ updateMetadata: false });
    const budget = new WorkBudget();
    expect(() => readPdfStructure(memorySource(pdf), context, budget).lookup(PDFRef.of(1))).not.toThrow();
    expect(budget.steps).toBeLessThan(20);
    await expect(describePdf(pdf)).rejects.toSatisfy(refused());
  });

  it("a /Prev 2-cycle between two sections reads each once and describes the document", async () => {
    const placeholder = "0".repeat(10);
    const base = minimalPdf({}, "", { trailer: `/Prev ${placeholder}` });
    const { pdf, at } = appendXrefSection(base, lastStartxref(base));
    // The original section's /Prev now points forward at the appended one, which points back.
    const text = Buffer.from(pdf).toString("latin1").replace(`/Prev ${placeholder}`, `/Prev ${String(at).padStart(10, "0")}`);
    const cyclic = Buffer.from(text, "latin1");
    const s = await structure(cyclic);
    expect(s.budget.steps).toBeLessThan(30);
    expect(await describePdf(cyclic)).toMatchObject({ pageCount: 1 });
  });

  it("/Prev and /Size out of range are refused", async () => {
    await expect(describePdf(minimalPdf({}, "", { trailer: "/Prev 99999999" }))).rejects.toSatisfy(refused());
    await expect(describePdf(minimalPdf({}, "", { size: 99999999999 }))).rejects.toSatisfy(refused());
  });

  it("an xref stream with /W [0 0 0] and a huge /Index is refused without looping", async () => {
    const pdf = xrefStreamPdf({ w: [0, 0, 0], index: "[0 4000000000]", rows: new Uint8Array(8) });
    await expect(describePdf(pdf)).rejects.toThrow(/W\[1\]/);
  });

  it("an xref stream whose /Index lists more rows than it holds is refused before the loop", async () => {
    const pdf = xrefStreamPdf({ w: [1, 4, 1], index: "[0 4000000]", rows: new Uint8Array(60) });
    await expect(describePdf(pdf)).rejects.toThrow(/Index/);
  });

  it("/W wider than a safe integer, or with the wrong arity, is refused", async () => {
    await expect(describePdf(xrefStreamPdf({ w: [1, 40, 1], rows: new Uint8Array(84) }))).rejects.toSatisfy(refused());
    await expect(describePdf(xrefStreamPdf({ w: "[1 2]", rows: new Uint8Array(30) }))).rejects.toSatisfy(refused());
  });

  it("an xref stream whose /Length points past the end of the file is refused", async () => {
    const pdf = Buffer.from(Buffer.from(xrefStreamPdf({ w: [1, 4, 1], rows: new Uint8Array(30) })).toString("latin1").replace(/\/Length \d+/, "/Length 99999999"), "latin1");
    await expect(describePdf(pdf)).rejects.toSatisfy(refused());
  });

  it("an object stream with a huge /N or /First is refused; a sane one is read", async () => {
    expect(await describePdf(objectStreamPdf("1"))).toMatchObject({ pageCount: 1 });
    await expect(describePdf(objectStreamPdf("4000000000"))).rejects.toThrow(/\/N/);
    await expect(describePdf(objectStreamPdf("1", "99999999"))).rejects.toThrow(/\/First/);
  });
});

suite("objects", () => {
  it("arrays nested 10,000 deep are refused with a typed error", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    await expect(describePdf(minimalPdf({}, `/Deep ${deep}`))).rejects.toSatisfy(refused());
  });

  it("dictionaries nested past the limit are refused as too complex; 50 deep is fine", async () => {
    const nest = (n: number) => `${"<< /A ".repeat(n)}1${" >>".repeat(n)}`;
    await expect(describePdf(minimalPdf({}, `/Deep ${nest(500)}`))).rejects.toThrow(/too_complex|does not parse/);
    expect(await describePdf(minimalPdf({}, `/Deep ${nest(50)}`))).toMatchObject({ pageCount: 1 });
  });

  it("numbers above 2^53 do not make the parser write one warning each to the log", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const pdf = minimalPdf({}, `/Big [${"99999999999999999999 ".repeat(2000)}]`);
      expect(await describePdf(pdf)).toMatchObject({ pageCount: 1 });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("the work budget refuses a document that needs more steps than allowed", async () => {
    const pdf = minimalPdf({ 4: `<< /T (a) /Kids [${"5 0 R ".repeat(1000)}] >>`, 5: "<< /T (b) >>" }, "/AcroForm << /Fields [4 0 R] >>");
    const s = await structure(pdf, new WorkBudget(500));
    expect(() => formFields(s)).toThrow(/too_complex/);
    expect(formFields(await structure(pdf))).toHaveLength(2);
  });
});
