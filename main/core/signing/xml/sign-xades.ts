/**
 * XAdES-B-B enveloped (B-T and B-LT add unsigned properties afterwards: xades-long-term.ts) (ETSI EN 319 132-1): the document reference (`URI=""`, with an Id) is described by a
 * DataObjectFormat, which B-B requires and xadesjs does not add on its own; SigningTime and SigningCertificateV2
 * sit in the signed properties.
 */
import type { Document, Element } from "@xmldom/xmldom";
import * as xades from "xadesjs";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { Signer } from "../../../domain/signer.js";
import type { DsigAlgorithm, DsigKey, XmlSigningKey } from "./crypto-engine.js";
import { EXC_C14N, certificatesBase64, placeSignature, randomId } from "./dsig-common.js";
import { signInPlace } from "./sign-in-place.js";
import type { SignatureLevel } from "../request.js";
import type { SignContext } from "../types.js";
import { addXadesUnsignedProperties } from "./xades-long-term.js";

const DOCUMENT_REFERENCE_ID = "ref-doc";

class XadesWithDataObjectFormat extends xades.SignedXml {
  protected override async ApplySignOptions(signature: Parameters<xades.SignedXml["ApplySignOptions"]>[0], algorithm: DsigAlgorithm, key: DsigKey, options: xades.OptionsXAdES): Promise<void> {
    await super.ApplySignOptions(signature, algorithm, key, options);
    const format = new xades.xml.DataObjectFormat();
    format.ObjectReference = `#${DOCUMENT_REFERENCE_ID}`;
    format.MimeType = "text/xml";
    this.SignedProperties.SignedDataObjectProperties.DataObjectFormats.Add(format);
  }
}

export async function signXades(
  doc: Document,
  signer: Signer,
  key: XmlSigningKey,
  hash: HashAlgorithm,
  signedAt: Date,
  level: SignatureLevel = "B-B",
  context: SignContext = {},
): Promise<void> {
  const signedXml = new XadesWithDataObjectFormat();
  signedXml.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = EXC_C14N;
  const [certificate] = certificatesBase64(signer);
  await signInPlace(signedXml, key.algorithm, key.key, doc, {
    id: randomId("xades"),
    references: [{ id: DOCUMENT_REFERENCE_ID, uri: "", hash, transforms: ["enveloped", "exc-c14n"] }],
    x509: certificatesBase64(signer),
    signingCertificateV2: { certificate: certificate!, digestAlgorithm: hash },
    signingTime: { value: signedAt },
  });
  placeSignature(doc, signedXml, doc.documentElement!);
  const signature = doc.documentElement!.lastChild as unknown as Element;
  await addXadesUnsignedProperties(doc, signature, level, hash, context);
}
