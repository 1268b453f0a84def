/**
 * XAdES B-T and B-LT (ETSI EN 319 132-1 §5.3, §5.5) added to a signed XAdES signature, as unsigned properties:
 *  - B-T: `xades:SignatureTimeStamp` over the `ds:SignatureValue` element canonicalised with exclusive C14N (named
 *    by the ds:CanonicalizationMethod inside the timestamp, as the standard asks), the RFC 3161 token base64 in
 *    `xades:EncapsulatedTimeStamp`;
 *  - B-LT: `xades:CertificateValues` (the signer's chain and the TSA's) and `xades:RevocationValues` (CRLs and OCSP
 *    responses), gathered before the approval.
 * Unsigned properties are outside SignedInfo: adding them leaves the signature value as it is.
 */
import type { Document, Element } from "@xmldom/xmldom";
import * as xmldsig from "xmldsigjs";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import { requestTimestamp } from "../cms/timestamp-client.js";
import { checkTimestampAuthority, requireLongTerm } from "../long-term/timestamp-check.js";
import type { SignatureLevel } from "../request.js";
import type { SignContext } from "../types.js";
import { EXC_C14N, randomId } from "./dsig-common.js";
import { DSIG_NS } from "./safe-xml.js";

export const XADES_NS = "http://uri.etsi.org/01903/v1.3.2#";

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

function child(parent: Element, ns: string, name: string): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const e = node as Element;
    if (node.nodeType === 1 && e.namespaceURI === ns && e.localName === name) return e;
  }
  return undefined;
}

/** The exclusive canonical form of the SignatureValue element: what the signature timestamp covers. */
export function canonicalSignatureValue(signature: Element): Uint8Array {
  const value = child(signature, DSIG_NS, "SignatureValue");
  if (!value) throw new Error("the signature has no SignatureValue");
  const transform = new xmldsig.XmlDsigExcC14NTransform();
  transform.LoadInnerXml(value as never);
  return Buffer.from(transform.GetOutput() as string, "utf8");
}

export async function addXadesUnsignedProperties(doc: Document, signature: Element, level: SignatureLevel, hashAlgorithm: HashAlgorithm, context: SignContext): Promise<void> {
  if (level === "B-B") return;
  const object = child(signature, DSIG_NS, "Object");
  const qualifying = object && child(object, XADES_NS, "QualifyingProperties");
  if (!qualifying) throw new Error("the XAdES signature has no QualifyingProperties");
  const prefix = qualifying.prefix ? `${qualifying.prefix}:` : "";
  const dsPrefix = signature.prefix ? `${signature.prefix}:` : "";
  const el = (name: string, text?: string): Element => {
    const e = doc.createElementNS(XADES_NS, `${prefix}${name}`);
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    return e;
  };
  const unsigned = el("UnsignedProperties");
  const properties = el("UnsignedSignatureProperties");
  unsigned.appendChild(properties);

  // The dry run before the approval never asks the TSA; the long-term values below are still built.
  if (!context.dryRun) {
    const stamp = await requestTimestamp(context.timestampAuthority, hashAlgorithm, canonicalSignatureValue(signature), context.fetch);
    checkTimestampAuthority(stamp.token, context.longTerm);
    const timestamp = el("SignatureTimeStamp");
    timestamp.setAttribute("Id", randomId("ts"));
    const method = doc.createElementNS(DSIG_NS, `${dsPrefix}CanonicalizationMethod`);
    method.setAttribute("Algorithm", EXC_C14N);
    timestamp.appendChild(method);
    timestamp.appendChild(el("EncapsulatedTimeStamp", b64(stamp.token)));
    properties.appendChild(timestamp);
  }

  if (level === "B-LT") {
    const { validation } = requireLongTerm(context);
    const certificates = el("CertificateValues");
    for (const der of validation.certificates) certificates.appendChild(el("EncapsulatedX509Certificate", b64(der)));
    properties.appendChild(certificates);
    const revocation = el("RevocationValues");
    if (validation.crls.length > 0) {
      const crls = el("CRLValues");
      for (const der of validation.crls) crls.appendChild(el("EncapsulatedCRLValue", b64(der)));
      revocation.appendChild(crls);
    }
    if (validation.ocspResponses.length > 0) {
      const ocsps = el("OCSPValues");
      for (const der of validation.ocspResponses) ocsps.appendChild(el("EncapsulatedOCSPValue", b64(der)));
      revocation.appendChild(ocsps);
    }
    properties.appendChild(revocation);
  }
  if (properties.firstChild) qualifying.appendChild(unsigned);
}
