/** Pieces the four XML formats share: key, certificate, the SigningTime object, placing the signature. */
import { randomBytes } from "node:crypto";
import { DOMParser, type Document, type Element } from "@xmldom/xmldom";
import * as xmldsig from "xmldsigjs";
import { defaultScheme, type Signer } from "../../../domain/signer.js";
import { KysoError } from "../../../domain/errors/index.js";
import { formatVnLocalIso } from "../vn-time.js";
import type { DsigPrefix } from "./dsig-prefix.js";
import { DSIG_NS } from "./safe-xml.js";

export const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
export const C14N_WITH_COMMENTS = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
export const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const SIGNATURE_PROPERTIES_TYPE = "http://www.w3.org/2000/09/xmldsig#SignatureProperties";

export function certificatesBase64(signer: Signer): string[] {
  return [signer.certificate, ...signer.chain].map((der) => Buffer.from(der).toString("base64"));
}

export function randomId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString("hex")}`;
}

/** The XML formats sign with the key's default scheme: every portal sample is rsa-sha256 or ecdsa-sha256. */
export function xmlScheme(signer: Signer) {
  return defaultScheme(signer.keyAlgorithm);
}

/**
 * `<Object Id><SignatureProperties><SignatureProperty Target="#sig"><SigningTime>` as in the e-invoice and tax
 * samples: Vietnam local time without an offset. `prefix` is the enclosing signature's (see dsig-prefix).
 */
export function signingTimeObject(objectId: string, signatureId: string, signedAt: Date, prefix: DsigPrefix = ""): xmldsig.DataObject {
  const xml =
    `<Object xmlns="${DSIG_NS}" Id="${objectId}"><SignatureProperties>` +
    `<SignatureProperty Target="#${signatureId}"><SigningTime>${formatVnLocalIso(signedAt)}</SigningTime>` +
    `</SignatureProperty></SignatureProperties></Object>`;
  const element = new DOMParser().parseFromString(xml, "text/xml").documentElement!;
  // Unprefixed, the element keeps its namespace and relies on the `xmlns` the Signature always declares (so it is
  // `<Object Id=…>` as in the samples). Under a `ds:Signature` the declaration must stay: without it the serialiser
  // would write the element as `ds:Object`, which is not what was digested.
  if (prefix === "") element.removeAttribute("xmlns");
  const object = new xmldsig.DataObject();
  object.LoadXml(element as unknown as Parameters<xmldsig.DataObject["LoadXml"]>[0]);
  return object;
}

/** Moves the finished Signature into the document under `parent`. */
export function placeSignature(doc: Document, signedXml: { GetXml(): unknown }, parent: Element): void {
  const element = signedXml.GetXml();
  if (!element) throw new Error("xmldsigjs produced no Signature element");
  parent.appendChild(doc.importNode(element as unknown as Element, true));
}

export function refuseIfSigned(container: Element, what: string): void {
  if (container.getElementsByTagNameNS(DSIG_NS, "Signature").length > 0) {
    throw new KysoError("document_invalid", `${what} already holds a signature`);
  }
}

