/**
 * Issue 9, defect 8 (XML part): what xmldom accepts but libxml2/xmlsec1 reject, or what would fail only after the
 * PIN, is refused by describe() with document_invalid. Every walk is bounded by depth and node count.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe as suite, expect, it } from "vitest";
import { isKysoError } from "../../../../main/domain/errors/index.js";
import { describe } from "../../../../main/core/signing/index.js";
import { MAX_XML_ATTRIBUTE_CHARS, MAX_XML_ATTRIBUTES_PER_ELEMENT, MAX_XML_DEPTH, MAX_XML_NODES } from "../../../../main/core/signing/xml/xml-limits.js";
import { precheckXml } from "../../../../main/core/signing/xml/xml-precheck.js";

const DOCS = join(import.meta.dirname, "../../../fixtures/documents");
const TAX = readFileSync(join(DOCS, "tax-declaration-01gtgt.xml"), "utf8");
const CONTRACT = readFileSync(join(DOCS, "generic-contract.xml"), "utf8");
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const inside = (text: string): string => CONTRACT.replace("<BenA>", `<BenA>${text}`);

async function describeError(xml: string, format: "xmldsig" | "vn-tax" = "xmldsig"): Promise<unknown> {
  return describe({ format, document: utf8(xml) }).then(() => undefined, (e: unknown) => e);
}

suite("refused before the approval (document_invalid)", () => {
  const cases: [string, string][] = [
    ["U+0001 literal", inside("\u0001")],
    ["U+001F literal", inside("\u001F")],
    ["U+FFFE literal", inside("\uFFFE")],
    ["U+0000 literal", inside("\u0000")],
    ["&#1;", inside("&#1;")],
    ["&#x0;", inside("&#x0;")],
    ["lone surrogate &#xD800;", inside("&#xD800;")],
    ["lone surrogate &#55296;", inside("&#55296;")],
    ["&#xFFFF;", inside("&#xFFFF;")],
    ["&#x110000;", inside("&#x110000;")],
    ["char reference in an attribute", CONTRACT.replace("<BenA>", '<BenA a="&#x1;">')],
    ["unknown entity", inside("&nbsp;")],
    ["bare ampersand", inside("a & b")],
    ["]]> in text", inside("]]>")],
    ["-- in a comment", inside("<!-- a -- b -->")],
    ["DOCTYPE", `<!DOCTYPE HopDong>${CONTRACT.replace(/<\?xml[^>]*>/, "")}`],
    ["ATTLIST", inside("<!ATTLIST a Id ID #IMPLIED>")],
    ["conditional section", inside("<![INCLUDE[<a/>]]>")],
    ["XML declaration inside", inside("<?xml version='1.0'?>")],
    ["XInclude 2001", inside('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd"/>')],
    ["XInclude 2003 default namespace", inside('<include xmlns="http://www.w3.org/2003/XInclude" href="a"/>')],
    ["xmlns:p=\"\"", CONTRACT.replace("<BenA>", '<BenA xmlns:p="">')],
    ["xml prefix rebound", CONTRACT.replace("<BenA>", '<BenA xmlns:xml="urn:x">')],
    ["xmlns prefix declared", CONTRACT.replace("<BenA>", '<BenA xmlns:xmlns="urn:x">')],
    ["relative namespace", CONTRACT.replace("<BenA>", '<BenA xmlns:r="relative">')],
    ["namespace with a space", CONTRACT.replace("<BenA>", '<BenA xmlns:r="urn:a b">')],
    ["undeclared attribute prefix", CONTRACT.replace("<BenA>", '<BenA p:x="1">')],
    ["text outside the root", `${CONTRACT}junk`],
    ["second root", `${CONTRACT}<again/>`],
  ];
  it.each(cases)("%s", async (_name, xml) => {
    const error = await describeError(xml);
    expect(isKysoError(error, "document_invalid")).toBe(true);
  });

  // Over a limit the document may be honest: the refusal says it is too complex, not damaged.
  const limits: [string, string][] = [
    ["too deep", inside(`${"<d>".repeat(MAX_XML_DEPTH)}x${"</d>".repeat(MAX_XML_DEPTH)}`)],
    ["huge attribute", CONTRACT.replace("<BenA>", `<BenA a="${"x".repeat(MAX_XML_ATTRIBUTE_CHARS + 1)}">`)],
    ["too many attributes", CONTRACT.replace("<BenA>", `<BenA ${Array.from({ length: MAX_XML_ATTRIBUTES_PER_ELEMENT + 1 }, (_, i) => `a${i}="1"`).join(" ")}>`)],
    ["too many nodes", inside("<w/>".repeat(MAX_XML_NODES))],
  ];
  it.each(limits)("%s: document_too_complex", async (_name, xml) => {
    expect(isKysoError(await describeError(xml), "document_too_complex")).toBe(true);
  });

  it("xml:* on an ancestor of a #Id-referenced node is refused (C14N 1.0 inherits it, xmldsigjs does not)", async () => {
    expect(isKysoError(await describeError(TAX.replace("<HSoThueDTu ", '<HSoThueDTu xml:lang="vi" '), "vn-tax"), "document_invalid")).toBe(true);
    expect(isKysoError(await describeError(TAX.replace("<CKyDTu>", '<CKyDTu xml:space="preserve">'), "vn-tax"), "document_invalid")).toBe(true);
    expect(isKysoError(await describeError(TAX.replace("<HSoThueDTu ", '<HSoThueDTu xml:lang="vi" '), "xmldsig"), "document_invalid")).toBe(true);
    await expect(describe({ format: "xades", document: utf8(TAX.replace("<HSoThueDTu ", '<HSoThueDTu xml:lang="vi" ')) })).rejects.toSatisfy((e) => isKysoError(e, "document_invalid"));
  });

  it("a referenced Id that is not a plain XML name is refused (verifiers would resolve it differently)", async () => {
    expect(isKysoError(await describeError(TAX.replace('Id="ID_1"', 'Id="a b"'), "vn-tax"), "document_invalid")).toBe(true);
  });
});

suite("accepted: what XML 1.0 allows", () => {
  it.each([
    ["comment and PI inside the signed node", TAX.replace("<CTieuTKhaiChinh>", "<CTieuTKhaiChinh><!-- ghi chú --><?kyso x?><!---->")],
    ["CDATA inside the signed node", TAX.replace("<ct21>0</ct21>", "<ct21><![CDATA[0]]></ct21>")],
    ["CRLF line ends", TAX.replace(/\n/g, "\r\n")],
    ["character references to allowed characters", TAX.replace("<ct21>0</ct21>", "<ct21>&#48;&#x9;&#13;&#x1F600;&lt;&amp;</ct21>")],
    ["xml:lang on the signed node, markup inside a comment", TAX.replace("<HSoKhaiThue", '<!-- <a href="x"> --><HSoKhaiThue xml:lang="vi"')],
    ["depth just under the limit", TAX.replace("<ct21>0</ct21>", `${"<d>".repeat(MAX_XML_DEPTH - 8)}${"</d>".repeat(MAX_XML_DEPTH - 8)}<ct21>0</ct21>`)],
  ])("%s", async (_name, xml) => {
    await expect(describe({ format: "vn-tax", document: utf8(xml) })).resolves.toMatchObject({ kind: "xml", layout: "vn-tax" });
  });

  it("the precheck is linear: a million references cost one pass (counted, not timed)", () => {
    expect(() => precheckXml(`<a>${"&amp;".repeat(MAX_XML_NODES)}</a>`)).toThrow(/nodes/);
    expect(() => precheckXml(`<a>${"&amp;".repeat(1000)}</a>`)).not.toThrow();
  });
});
