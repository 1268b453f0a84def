/**
 * Decoy documents for the "summary only from the signed node" tests (unit and integration): the fixture layouts
 * with blocks that look like the summary's fields placed before, after and beside the signed node, inside other
 * Ids, comments, CDATA and processing instructions. Every decoy value contains "DECOY", which never occurs in
 * the signed node, so a summary that shows it read outside what is signed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const DOCS = join(import.meta.dirname, "../fixtures/documents");
export const TAX_XML = readFileSync(join(DOCS, "tax-declaration-01gtgt.xml"), "utf8");
export const INVOICE_XML = readFileSync(join(DOCS, "einvoice-seller.xml"), "utf8");

const TAX_BLOCK = "<TTinChung><TTinTKhaiThue><TKhaiThue><maTKhai>DECOY-F</maTKhai><tenTKhai>DECOY-FORM</tenTKhai><KyKKhaiThue><kieuKy>DECOY-K</kieuKy><kyKKhai>DECOY-P</kyKKhai></KyKKhaiThue><soLan>DECOY-L</soLan><ngayLapTKhai>DECOY-D</ngayLapTKhai></TKhaiThue><NNT><mst>DECOY-MST</mst><tenNNT>DECOY-NAME</tenNNT></NNT></TTinTKhaiThue></TTinChung>";
const INVOICE_BLOCK = "<TTChung><KHMSHDon>DECOY-S</KHMSHDon><KHHDon>DECOY-H</KHHDon><SHDon>DECOY-N</SHDon><NLap>DECOY-D</NLap><DVTTe>DECOY-C</DVTTe></TTChung><NDHDon><NBan><Ten>DECOY-SELLER</Ten><MST>DECOY-MST</MST></NBan><NMua><Ten>DECOY-BUYER</Ten><MST>DECOY-BMST</MST></NMua><TToan><TgTTTBSo>DECOY-TOTAL</TgTTTBSo><TgTTTBChu>DECOY-WORDS</TgTTTBChu></TToan></NDHDon>";

export interface Decoy {
  readonly name: string;
  readonly xml: string;
}

/** Places `block` around the signed node whose start tag is `open` and end tag `close`, in every position. */
function placements(xml: string, open: string, close: string, block: string): Decoy[] {
  const before = (s: string): string => xml.replace(open, `${s}${open}`);
  const after = (s: string): string => xml.replace(close, `${close}${s}`);
  const rootClose = xml.lastIndexOf("</");
  return [
    { name: "plain block before the signed node", xml: before(`<GhiChu>${block}</GhiChu>`) },
    { name: "plain block after the signed node", xml: after(`<GhiChu>${block}</GhiChu>`) },
    { name: "block inside another Id before", xml: before(`<PhuLuc Id="decoy-1">${block}</PhuLuc>`) },
    { name: "block inside another Id after", xml: after(`<PhuLuc Id="decoy-2">${block}</PhuLuc>`) },
    { name: "block as the root's last child", xml: `${xml.slice(0, rootClose)}<X id="decoy-3">${block}</X>${xml.slice(rootClose)}` },
    { name: "signed-node lookalike inside a comment", xml: before(`<!-- ${open.replace(/Id="[^"]*"/, 'Id="decoy-4"')}${block}${close} -->`) },
    { name: "block inside CDATA", xml: before(`<GhiChu><![CDATA[${block}]]></GhiChu>`) },
    { name: "block inside a processing instruction", xml: before(`<?kyso ${block}?>`) },
  ];
}

export function taxDecoys(): Decoy[] {
  return placements(TAX_XML, '<HSoKhaiThue Id="ID_1">', "</HSoKhaiThue>", TAX_BLOCK);
}

export function invoiceDecoys(): Decoy[] {
  return placements(INVOICE_XML, '<DLHDon Id="data">', "</DLHDon>", INVOICE_BLOCK);
}

/** Documents that are ambiguous about what is signed: each must be refused before the approval. */
export function ambiguousDocuments(): Decoy[] {
  return [
    { name: "two HSoKhaiThue (decoy first, no Id)", xml: TAX_XML.replace('<HSoKhaiThue Id="ID_1">', `<HSoKhaiThue>${TAX_BLOCK}</HSoKhaiThue><HSoKhaiThue Id="ID_1">`) },
    { name: "two HSoKhaiThue (decoy after, other Id)", xml: TAX_XML.replace("</HSoKhaiThue>", `</HSoKhaiThue><HSoKhaiThue Id="ID_2">${TAX_BLOCK}</HSoKhaiThue>`) },
    { name: "HSoKhaiThue nested in another element", xml: TAX_XML.replace("<CKyDTu>", `<GhiChu><HSoKhaiThue Id="x">${TAX_BLOCK}</HSoKhaiThue></GhiChu><CKyDTu>`) },
    { name: "duplicate Id on a decoy (Id)", xml: TAX_XML.replace("<CKyDTu>", `<GhiChu Id="ID_1">${TAX_BLOCK}</GhiChu><CKyDTu>`) },
    { name: "duplicate Id on a decoy (id)", xml: TAX_XML.replace('<HSoKhaiThue Id="ID_1">', `<GhiChu id="ID_1">${TAX_BLOCK}</GhiChu><HSoKhaiThue Id="ID_1">`) },
    { name: "duplicate Id on a decoy (ID, inside the node)", xml: TAX_XML.replace("<CTieuTKhaiChinh>", `<CTieuTKhaiChinh ID="ID_1">`) },
    { name: "duplicate Id, namespaced attribute", xml: TAX_XML.replace("<CKyDTu>", `<GhiChu xmlns:w="urn:w" w:Id="ID_1"/><CKyDTu>`) },
    { name: "HSoKhaiThue without Id", xml: TAX_XML.replace('<HSoKhaiThue Id="ID_1">', "<HSoKhaiThue>") },
    { name: "two DLHDon", xml: INVOICE_XML.replace('<DLHDon Id="data">', `<DLHDon Id="data0">${INVOICE_BLOCK}</DLHDon><DLHDon Id="data">`) },
    { name: "DLHDon duplicate Id", xml: INVOICE_XML.replace("<DSCKS>", `<X Id="data"/><DSCKS>`) },
    { name: "DLHDon inside an existing Signature only", xml: INVOICE_XML.replace('<DLHDon Id="data">', '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><DLHDon Id="data">').replace("</DLHDon>", "</DLHDon></Object></Signature>") },
    { name: "invoice using the seller signature's own Id", xml: INVOICE_XML.replace("<DSCKS>", `<X Id="SigningTime"/><DSCKS>`) },
  ];
}
