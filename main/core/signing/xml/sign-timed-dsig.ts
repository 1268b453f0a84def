/**
 * The plain XMLDSig both Vietnamese tax layouts make (the e-invoice seller signature, sign-vn-einvoice.ts, and the
 * tax declaration, sign-vn-tax.ts): an enveloped reference to the signed element's Id, a second reference to a
 * SigningTime object (an unsigned time would prove nothing), the certificate in X509Data, and the signature placed
 * in the layout's container. Each layout keeps its container, ids and canonicalisation.
 */
import type { Document, Element } from "@xmldom/xmldom";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { Signer } from "../../../domain/signer.js";
import type { XmlSigningKey } from "./crypto-engine.js";
import { SIGNATURE_PROPERTIES_TYPE, certificatesBase64, placeSignature, signingTimeObject } from "./dsig-common.js";
import { DsigSignedXml } from "./dsig-prefix.js";
import { signInPlace } from "./sign-in-place.js";

interface TimedDsigLayout {
  /** The signed element and the value of its Id attribute (the enveloped reference). */
  readonly signedElement: Element;
  readonly referenceId: string;
  readonly signatureId: string;
  /** The SigningTime object's Id. */
  readonly timeId: string;
  /** SignedInfo's CanonicalizationMethod. */
  readonly canonicalization: string;
  /** Where the signature goes. */
  readonly container: Element;
}

export async function signWithSigningTime(doc: Document, layout: TimedDsigLayout, signer: Signer, key: XmlSigningKey, hash: HashAlgorithm, signedAt: Date): Promise<void> {
  const signedXml = new DsigSignedXml();
  signedXml.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = layout.canonicalization;
  signedXml.XmlSignature.ObjectList.Add(signingTimeObject(layout.timeId, layout.signatureId, signedAt));
  await signInPlace(signedXml, key.algorithm, key.key, doc, {
    id: layout.signatureId,
    references: [
      { uri: `#${layout.referenceId}`, hash, transforms: ["enveloped"] },
      { uri: `#${layout.timeId}`, type: SIGNATURE_PROPERTIES_TYPE, hash },
    ],
    x509: certificatesBase64(signer),
  }, layout.signedElement);
  placeSignature(doc, signedXml, layout.container);
}
