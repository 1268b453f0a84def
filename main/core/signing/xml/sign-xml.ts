/** Dispatches the XML formats; each returns the whole signed document. */
import type { Document } from "@xmldom/xmldom";
import { certificateIdentifiers, identityMismatch, identityMismatchError } from "../../certificates/vn-identifiers.js";
import type { Signer } from "../../../domain/signer.js";
import type { RequestOf } from "../request.js";
import type { SignContext, SignResult } from "../types.js";
import { tokenSigningKey, type XmlSigningKey } from "./crypto-engine.js";
import { xmlScheme } from "./dsig-common.js";
import { parseXml, serializeXml } from "./safe-xml.js";
import { planXmlSignature, signerTaxCodeOf, type ResolvedPlan, type XmlSignaturePlan } from "./signed-node.js";
import { signEnveloped } from "./sign-enveloped.js";
import { signVnEinvoice } from "./sign-vn-einvoice.js";
import { signVnTax } from "./sign-vn-tax.js";
import { signXades } from "./sign-xades.js";
import { registerXmlDependencies } from "./xml-dependencies.js";

type XmlRequest = RequestOf<"xades" | "xmldsig" | "vn-tax" | "vn-einvoice">;

export async function signXml(request: XmlRequest, signer: Signer, signedAt: Date, context: SignContext = {}): Promise<SignResult> {
  registerXmlDependencies();
  const doc = parseXml(request.document);
  const key = tokenSigningKey(signer, request.hashAlgorithm, xmlScheme(signer));
  await signLayout(request, doc, signer, key, signedAt, context);
  const digest = key.digests.at(-1);
  if (!digest) throw new Error("the XML signature was never signed");
  return { kind: "document", document: serializeXml(doc), signedAt, certificate: signer.certificate, hashAlgorithm: request.hashAlgorithm, digest };
}

async function signLayout(request: XmlRequest, doc: Document, signer: Signer, key: XmlSigningKey, signedAt: Date, context: SignContext): Promise<void> {
  // The same resolution describe() showed: the signed node, its Id and every ambiguity check.
  const plan: ResolvedPlan = planXmlSignature(doc, request.format);
  checkSignerIdentity(plan, signer.certificate);
  switch (request.format) {
    case "xades":
      return signXades(doc, signer, key, request.hashAlgorithm, signedAt, request.options.level ?? "B-B", context);
    case "xmldsig":
      return signEnveloped(doc, signer, key, request.hashAlgorithm, request.options?.prefix ?? "");
    case "vn-tax":
      return signVnTax(doc, plan, signer, key, request.hashAlgorithm, signedAt);
    case "vn-einvoice":
      return signVnEinvoice(doc, plan, signer, key, request.hashAlgorithm, signedAt);
  }
}

/**
 * The rule prepare.ts applied to every candidate before the approval opened (a mismatching certificate could not be
 * chosen); here it is the last guard before the token signs: a tax declaration or invoice signed with another
 * taxpayer's certificate is legally void. The MST read is the one the signature covers.
 */
export function checkSignerIdentity(plan: XmlSignaturePlan, certificate: Uint8Array): void {
  const mismatch = identityMismatch(signerTaxCodeOf(plan), certificateIdentifiers(certificate));
  if (mismatch) throw identityMismatchError(mismatch);
}
