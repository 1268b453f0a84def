/**
 * The approval screen's reading of an XML document: parsed by the safe parser (which ran the lexical precheck),
 * resolved by `planXmlSignature` exactly as sign() will resolve it, summary read inside the signed node only.
 * Everything a document can fail at signing time (except the certificate's MST, which needs the certificate) fails
 * here, before the approval opens; the MST the certificate must carry is returned as `signerTaxCode`.
 */
import type { DocumentDescription } from "../../../domain/document-description.js";
import { sha256Hex } from "../hashing.js";
import { summaryOf } from "./layouts.js";
import { parseXml } from "./safe-xml.js";
import { planXmlSignature, signerTaxCodeOf, type XmlFormat } from "./signed-node.js";

export function describeXml(xml: Uint8Array, format: XmlFormat): DocumentDescription {
  const doc = parseXml(xml);
  const plan = planXmlSignature(doc, format);
  const root = doc.documentElement!;
  const signerTaxCode = signerTaxCodeOf(plan);
  return {
    kind: "xml",
    size: xml.length,
    sha256: sha256Hex(xml),
    rootElement: root.localName ?? root.nodeName,
    layout: plan.layout,
    summary: summaryOf(plan.summaryElement, plan.layout),
    ...(signerTaxCode ? { signerTaxCode } : {}),
    existingSignatures: plan.existingSignatures,
    signedNode: {
      localName: plan.signedElement.localName ?? plan.signedElement.nodeName,
      ...(plan.id ? { id: plan.id.value } : {}),
      wholeDocument: plan.wholeDocument,
    },
  };
}
