/**
 * Tax declaration (HSoThueDTu, GDT's iHTKK/eTax layout): the signature goes inside `<CKyDTu></CKyDTu>`, references
 * `#<Id of HSoKhaiThue>` with the enveloped transform, canonicalises SignedInfo with C14N WithComments, carries
 * the certificate in X509Data and a SigningTime object that a second reference signs (an unsigned time would
 * prove nothing).
 */
import type { Document, Element } from "@xmldom/xmldom";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { Signer } from "../../../domain/signer.js";
import { KysoError } from "../../../domain/errors/index.js";
import type { XmlSigningKey } from "./crypto-engine.js";
import { C14N_WITH_COMMENTS, randomId, refuseIfSigned } from "./dsig-common.js";
import { childByLocalName } from "./layouts.js";
import { signWithSigningTime } from "./sign-timed-dsig.js";
import type { XmlSignaturePlan } from "./signed-node.js";

/** `plan` is planXmlSignature's resolution (the HSoKhaiThue describe() summarised, its Id, the checks). */
export async function signVnTax(doc: Document, plan: XmlSignaturePlan, signer: Signer, key: XmlSigningKey, hash: HashAlgorithm, signedAt: Date): Promise<void> {
  const root = doc.documentElement!;
  const id = plan.id;
  if (!id || plan.wholeDocument) throw new KysoError("document_invalid", "HSoKhaiThue has no Id to reference");
  const container = childByLocalName(root, "CKyDTu") ?? appendContainer(doc, root);
  refuseIfSigned(container, "CKyDTu");

  const signatureId = randomId("sigTK");
  const timeId = `${signatureId}-SigningTime`;
  await signWithSigningTime(doc, { signedElement: plan.signedElement, referenceId: id.value, signatureId, timeId, canonicalization: C14N_WITH_COMMENTS, container }, signer, key, hash, signedAt);
}

/** `<CKyDTu/>` in the root's namespace, right after HSoKhaiThue, when the file came without one. */
function appendContainer(doc: Document, root: Element): Element {
  const container = doc.createElementNS(root.namespaceURI, root.prefix ? `${root.prefix}:CKyDTu` : "CKyDTu");
  root.appendChild(container);
  return container;
}
