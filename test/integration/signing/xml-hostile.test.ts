/**
 * Issue 9 (XML): every document describe() accepts is signed into output xmlsec1 (libxml2) accepts, and the node
 * the output's signature references is the one the approval named, with every summary value inside it. Decoys
 * before, after and inside other Ids, comments/PIs/CDATA in the signed node, characters that only XML 1.1 treats
 * as line ends, CR references, namespace declarations. Fuzzer findings become cases here.
 */
import { afterAll, beforeAll, describe as suite, expect, it } from "vitest";
import { describe } from "../../../main/core/signing/index.js";
import { signingPort } from "../../../main/core/signing/signing-port.js";
import { invoiceDecoys, INVOICE_XML, TAX_XML, taxDecoys } from "../../fuzz/xml-decoys.js";
import { xmlCase } from "../../fuzz/xml-fuzzer.js";
import { coveredNode, summaryOutsideSignedNode, verifyWithXmlsec } from "../../fuzz/xml-oracle.js";
import { openHarness, type Harness } from "./harness.js";

type Format = "vn-tax" | "vn-einvoice" | "xmldsig" | "xades";
const MST = "8001234567";
let h: Harness;

beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

async function signAndCheck(name: string, format: Format, document: Uint8Array): Promise<void> {
  const signer = await h.signer("personB");
  const description = await describe({ format, document });
  const { document: output } = await signingPort().sign({ format, document, hashAlgorithm: "SHA-256", options: {} }, signer, { signingTime: new Date() });
  const covered = coveredNode(output!, format);
  if (typeof covered === "string") throw new Error(covered);
  expect(summaryOutsideSignedNode(description, covered)).toBeUndefined();
  expect(await verifyWithXmlsec({ dir: h.dir, rootPem: signer.rootPem, caFile: signer.caFile }, `${name}.xml`, output!, covered)).toBeUndefined();
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** The fixture documents name MST 0101234567; the signer here (personB's token) is MST 8001234567, and since the
 * signer's MST must match the document's for vn-tax and vn-einvoice (certificates/vn-identifiers.ts), the documents
 * are rewritten to the signer's MST. */
const invoice = (xml: string): string => xml.replaceAll("0101234567", MST);

suite("decoys: the summary is the signed node's, and the signature verifies", () => {
  const cases = [
    ...taxDecoys().flatMap((d) => (["vn-tax", "xmldsig", "xades"] as const).map((format) => ({ ...d, format, xml: invoice(d.xml) }))),
    ...invoiceDecoys().flatMap((d) => (["vn-einvoice", "xmldsig"] as const).map((format) => ({ ...d, format, xml: invoice(d.xml) }))),
  ];
  it.concurrent.each(cases)("$format, $name", async ({ format, xml, name }) => {
    await signAndCheck(`${format}-${name.replace(/\W+/g, "-")}`, format, utf8(xml));
  });
});

suite("hostile but valid XML is signed correctly (xmlsec1 accepts)", () => {
  const cases: [string, Format, string][] = [
    ["comment and PI in the signed node", "vn-tax", invoice(TAX_XML).replace("<CTieuTKhaiChinh>", "<CTieuTKhaiChinh><!-- x --><?kyso y?>")],
    ["CDATA in the signed node", "vn-tax", invoice(TAX_XML).replace("<ct21>0</ct21>", "<ct21><![CDATA[0 < 1]]></ct21>")],
    ["carriage-return reference in text", "vn-tax", invoice(TAX_XML).replace("<ct21>0</ct21>", "<ct21>a&#13;b&#xD;</ct21>")],
    ["tab, LF and CR references in an attribute", "xmldsig", invoice(TAX_XML).replace("<ct21>", '<ct21 t="&#9;&#10;&#13;" u="a\tb">')],
    ["U+0085 reference (fuzz seed 7 case 814)", "vn-einvoice", invoice(INVOICE_XML).replace("<KHHDon>", "<KHHDon>&#x85;")],
    ["U+0085 and U+2028 literal", "vn-tax", invoice(TAX_XML).replace("<ct21>0</ct21>", "<ct21>0\u0085\u2028</ct21>")],
    ["CRLF document", "vn-einvoice", invoice(INVOICE_XML).replace(/\n/g, "\r\n")],
    ["xml:lang on the signed node itself", "vn-tax", invoice(TAX_XML).replace("<HSoKhaiThue ", '<HSoKhaiThue xml:lang="vi" ')],
    ["xml:lang and xml:space inside the document, XAdES", "xades", invoice(TAX_XML).replace("<ct21>", '<ct21 xml:lang="vi" xml:space="preserve">')],
    ["prefixed XMLDSig namespace declared on the root", "vn-tax", invoice(TAX_XML).replace("<HSoThueDTu ", `<HSoThueDTu xmlns:ds="http://www.w3.org/2000/09/xmldsig#" `)],
    ["default namespace undeclared inside", "xades", invoice(TAX_XML).replace("<ct21>0</ct21>", '<x xmlns=""><y>1</y></x>')],
    ["id (lowercase) on the signed node", "vn-tax", invoice(TAX_XML).replace('Id="ID_1"', 'id="ID_1"')],
    ["supplementary characters", "vn-einvoice", invoice(INVOICE_XML).replace("<THDon>", "<THDon>\u{1F600}&#x1F600;")],
  ];
  it.concurrent.each(cases)("%s", async (name, format, xml) => {
    await signAndCheck(name.replace(/\W+/g, "-"), format, utf8(xml));
  });

  it("an earlier Signature directly inside the signed node is refused before the approval (fuzz seed 424242 case 5912)", async () => {
    const c = xmlCase(424242, 5912);
    await expect(describe({ format: c.format, document: c.document })).rejects.toSatisfy((e) => (e as { code?: string }).code === "document_invalid");
    const counterSigned = invoice(TAX_XML).replace("</HSoThueDTu>", '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature></HSoThueDTu>');
    await expect(describe({ format: "xmldsig", document: utf8(counterSigned) })).rejects.toSatisfy((e) => (e as { code?: string }).code === "document_invalid");
    // Deeper inside (not a direct child) it is kept in the digest by everyone, and the signature verifies.
    await signAndCheck("signature-deeper", "xmldsig", utf8(invoice(TAX_XML).replace("<CKyDTu></CKyDTu>", '<CKyDTu><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature></CKyDTu>')));
  });

  it("fuzz regressions replay clean", async () => {
    for (const [seed, index] of [[7, 814]] as const) {
      const c = xmlCase(seed, index);
      await signAndCheck(`fuzz-${seed}-${index}`, c.format, c.document);
    }
  });
});
