/**
 * Issue 9, defect 2: the approval summary is read only inside the node the signature covers. Decoys before, after
 * and inside other Ids, in comments, CDATA and PIs never reach the summary; ambiguous documents are refused.
 */
import { describe as suite, expect, it } from "vitest";
import { isKysoError } from "../../../../main/domain/errors/index.js";
import { describe } from "../../../../main/core/signing/index.js";
import { ambiguousDocuments, INVOICE_XML, invoiceDecoys, TAX_XML, taxDecoys } from "../../../fuzz/xml-decoys.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
type Format = "vn-tax" | "vn-einvoice" | "xmldsig" | "xades";

async function xmlDescription(format: Format, xml: string) {
  const description = await describe({ format, document: utf8(xml) });
  if (description.kind !== "xml") throw new Error("expected an XML description");
  return description;
}

async function refusal(format: Format, xml: string): Promise<unknown> {
  return describe({ format, document: utf8(xml) }).then(() => undefined, (error: unknown) => error);
}

suite("summary only from the signed node", () => {
  const cases = [
    ...taxDecoys().flatMap((d) => (["vn-tax", "xmldsig", "xades"] as const).map((format) => ({ ...d, format, clean: TAX_XML }))),
    ...invoiceDecoys().flatMap((d) => (["vn-einvoice", "xmldsig", "xades"] as const).map((format) => ({ ...d, format, clean: INVOICE_XML }))),
  ];

  it.each(cases)("$format, $name: the summary is the signed node's", async ({ format, xml, clean }) => {
    const expected = await xmlDescription(format, clean);
    const description = await xmlDescription(format, xml);
    expect(expected.summary.length).toBeGreaterThan(4);
    for (const { value } of description.summary) expect(JSON.stringify(value)).not.toContain("DECOY");
    expect(description.summary).toEqual(expected.summary);
    expect(description.signedNode).toEqual(expected.signedNode);
  });

  it("names what is covered: the referenced node and its Id, or the whole document", async () => {
    expect((await xmlDescription("vn-tax", TAX_XML)).signedNode).toEqual({ localName: "HSoKhaiThue", id: "ID_1", wholeDocument: false });
    expect((await xmlDescription("vn-einvoice", INVOICE_XML)).signedNode).toEqual({ localName: "DLHDon", id: "data", wholeDocument: false });
    expect((await xmlDescription("xmldsig", TAX_XML)).signedNode).toEqual({ localName: "HSoThueDTu", wholeDocument: true });
    expect((await xmlDescription("xades", INVOICE_XML)).signedNode).toEqual({ localName: "HDon", wholeDocument: true });
  });
});

suite("ambiguity about what is signed is refused before the approval", () => {
  it.each(ambiguousDocuments())("$name → document_invalid", async ({ xml }) => {
    const format = xml.includes("<HDon>") ? "vn-einvoice" : "vn-tax";
    const error = await refusal(format, xml);
    expect(isKysoError(error, "document_invalid")).toBe(true);
  });

  it("a whole-document signature over an ambiguous layout shows no layout summary rather than a guess", async () => {
    const twoDeclarations = ambiguousDocuments().find((d) => d.name.startsWith("two HSoKhaiThue (decoy first"))!.xml;
    const description = await xmlDescription("xmldsig", twoDeclarations);
    expect(description.layout).toBe("generic");
    expect(description.summary).toEqual([]);
  });

  it("the e-invoice layout, its seller MST and the container checks read the signed DLHDon", async () => {
    const noSellerInSignedNode = INVOICE_XML.replace("<MST>0101234567</MST>", "").replace("<DSCKS>", "<GhiChu><NDHDon><NBan><MST>0101234567</MST></NBan></NDHDon></GhiChu><DSCKS>");
    expect(isKysoError(await refusal("vn-einvoice", noSellerInSignedNode), "document_invalid")).toBe(true);
    const alreadySigned = INVOICE_XML.replace("<NBan></NBan>", '<NBan><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></NBan>');
    expect(isKysoError(await refusal("vn-einvoice", alreadySigned), "document_invalid")).toBe(true);
    const taxAlreadySigned = TAX_XML.replace("<CKyDTu></CKyDTu>", '<CKyDTu><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></CKyDTu>');
    expect(isKysoError(await refusal("vn-tax", taxAlreadySigned), "document_invalid")).toBe(true);
    expect(isKysoError(await refusal("vn-tax", INVOICE_XML), "document_invalid")).toBe(true);
    expect(isKysoError(await refusal("vn-einvoice", TAX_XML), "document_invalid")).toBe(true);
  });
});

suite("fuzz regressions", () => {
  // Seed 20261203, cases 1926 and 2073 (`npm run fuzz -- --target xml --workers`): an earlier Signature directly
  // under the root of an e-invoice or tax file passed describe() and failed only at signing, untyped.
  const signature = '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature>';
  it.each([
    ["vn-einvoice", INVOICE_XML.replace(/<\/HDon>\s*$/, `${signature}</HDon>`)],
    ["vn-tax", TAX_XML.replace(/<\/HSoThueDTu>\s*$/, `${signature}</HSoThueDTu>`)],
  ] as const)("%s: a Signature directly under the root is refused by describe(), typed", async (format, xml) => {
    expect(xml).toContain(signature);
    expect(isKysoError(await refusal(format, xml), "document_invalid")).toBe(true);
  });
});
