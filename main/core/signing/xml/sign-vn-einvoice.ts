/**
 * E-invoice seller signature (Decree 123/2020, Decision 1450/QĐ-TCT layout): plain XMLDSig at
 * `HDon/DSCKS/NBan/Signature Id="NBan"`, references `#<DLHDon Id>` (enveloped) and the SigningTime object.
 * The seller's MST is checked against the certificate by sign-xml (`checkSignerIdentity`) before any signing.
 */
import type { Document, Element } from "@xmldom/xmldom";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { Signer } from "../../../domain/signer.js";
import { KysoError } from "../../../domain/errors/index.js";
import type { XmlSigningKey } from "./crypto-engine.js";
import { C14N, refuseIfSigned } from "./dsig-common.js";
import { childByLocalName } from "./layouts.js";
import { signWithSigningTime } from "./sign-timed-dsig.js";
import { EINVOICE_SIGNATURE_ID, EINVOICE_TIME_ID, type XmlSignaturePlan } from "./signed-node.js";

const SIGNATURE_ID = EINVOICE_SIGNATURE_ID;

/** `plan` is planXmlSignature's resolution (the DLHDon describe() summarised, its Id, the checks). */
export async function signVnEinvoice(doc: Document, plan: XmlSignaturePlan, signer: Signer, key: XmlSigningKey, hash: HashAlgorithm, signedAt: Date): Promise<void> {
  const root = doc.documentElement!;
  const id = plan.id;
  if (!id || plan.wholeDocument) throw new KysoError("document_invalid", "DLHDon has no Id to reference");
  const container = sellerContainer(doc, root);
  refuseIfSigned(container, "DSCKS/NBan");

  await signWithSigningTime(doc, { signedElement: plan.signedElement, referenceId: id.value, signatureId: SIGNATURE_ID, timeId: EINVOICE_TIME_ID, canonicalization: C14N, container }, signer, key, hash, signedAt);
}

/** `HDon/DSCKS/NBan`, created empty when the invoice came without it. */
function sellerContainer(doc: Document, root: Element): Element {
  const make = (name: string): Element => doc.createElementNS(root.namespaceURI, root.prefix ? `${root.prefix}:${name}` : name);
  let dscks = childByLocalName(root, "DSCKS");
  if (!dscks) dscks = root.appendChild(make("DSCKS")) as Element;
  let seller = childByLocalName(dscks, "NBan");
  if (!seller) seller = (dscks.firstChild ? dscks.insertBefore(make("NBan"), dscks.firstChild) : dscks.appendChild(make("NBan"))) as Element;
  return seller;
}
