/**
 * Plain XMLDSig, enveloped over the whole document (`URI=""`), appended to the root element; unprefixed
 * (`<Signature xmlns="…xmldsig#">`) unless `prefix` asks for `ds:`.
 */
import type { Document } from "@xmldom/xmldom";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { Signer } from "../../../domain/signer.js";
import type { XmlSigningKey } from "./crypto-engine.js";
import { C14N, certificatesBase64, placeSignature, randomId } from "./dsig-common.js";
import { DsigSignedXml, type DsigPrefix } from "./dsig-prefix.js";
import { signInPlace } from "./sign-in-place.js";

export async function signEnveloped(doc: Document, signer: Signer, key: XmlSigningKey, hash: HashAlgorithm, prefix: DsigPrefix = ""): Promise<void> {
  const signedXml = new DsigSignedXml(prefix);
  signedXml.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = C14N;
  await signInPlace(signedXml, key.algorithm, key.key, doc, {
    id: randomId("sig"),
    // uri "" must be explicit: a Reference without URI passes xmlsec1 but not Santuario or EU DSS.
    references: [{ uri: "", hash, transforms: ["enveloped", "c14n"] }],
    x509: certificatesBase64(signer),
  });
  placeSignature(doc, signedXml, doc.documentElement!);
}
