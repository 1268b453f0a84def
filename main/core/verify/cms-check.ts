/**
 * The cryptographic checks of one PDF signature's CMS (ETSI EN 319 102-1 §5.2.7 "cryptographic verification"):
 * the signer certificate identified by the SignerInfo's sid, the messageDigest attribute compared with the hash of
 * the exact /ByteRange bytes, the signature over the DER SET of signed attributes verified with the signer's key,
 * ESS signingCertificateV2 (when present) naming that certificate, plus what the CMS carries for validation:
 * certificates, CRLs, OCSP responses (RevocationInfoChoices and Adobe's revocationInfoArchival), signingTime
 * and the signature timestamp (its messageImprint checked against the signature value).
 */
import { createHash, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { PdfSource } from "../signing/pdf/pdf-source.js";
import { HASH_BY_OID, OID_SIGNING_CERTIFICATE_V2, SCHEME_BY_OID, essCertificateMatch, findSigner, hashByteRange, messageDigestMatches, parseSignedData, signedAttributesBytes, verifySignerSignature } from "../signing/cms/signer-info-check.js";

const OID_SIGNING_TIME = "1.2.840.113549.1.9.5";
const OID_SIGNATURE_TIMESTAMP = "1.2.840.113549.1.9.16.2.14";
const OID_ADBE_REVOCATION = "1.2.840.113583.1.1.8";
const OID_RI_OCSP_RESPONSE = "1.3.6.1.5.5.7.16.2";

export type CmsProblem = "not-cms" | "signer-certificate-missing" | "unsupported-algorithm" | "no-signed-attributes" | "signing-certificate-mismatch";

export interface CmsCheck {
  readonly problem?: CmsProblem;
  readonly detail?: string;
  readonly signerCertificate?: Uint8Array;
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
  readonly hashAlgorithm?: string;
  readonly hash: "valid" | "invalid" | "not-checked";
  readonly signature: "valid" | "invalid" | "not-checked";
  readonly signingTime?: Date;
  readonly timestamp?: { readonly time: Date; readonly imprintValid: boolean };
  readonly sha1: boolean;
}

const der = (value: { toSchema(): asn1js.AsnType }): Uint8Array => new Uint8Array(value.toSchema().toBER(false));

export function checkCms(cms: Uint8Array, source: PdfSource, range: readonly [number, number, number, number]): CmsCheck {
  const empty = { certificates: [], crls: [], ocspResponses: [], hash: "not-checked", signature: "not-checked", sha1: false } as const;
  let signedData: pkijs.SignedData;
  try {
    signedData = parseSignedData(cms);
  } catch (error) {
    return { ...empty, problem: "not-cms", detail: `not a CMS SignedData: ${(error as Error).message}` };
  }
  const certs = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const certificates = certs.map(der);
  const crls: Uint8Array[] = [];
  const ocspResponses: Uint8Array[] = [];
  for (const item of signedData.crls ?? []) {
    if (item instanceof pkijs.CertificateRevocationList) crls.push(der(item));
    else if (item instanceof pkijs.OtherRevocationInfoFormat && item.otherRevInfoFormat === OID_RI_OCSP_RESPONSE) ocspResponses.push(new Uint8Array(item.otherRevInfo.toBER(false)));
  }
  const base = { ...empty, certificates, crls, ocspResponses };
  if (signedData.signerInfos.length !== 1) return { ...base, problem: "not-cms", detail: `${signedData.signerInfos.length} signers in one CMS` };
  const signerInfo = signedData.signerInfos[0]!;
  const certificate = findSigner(signerInfo, certs);
  if (!certificate) return { ...base, problem: "signer-certificate-missing", detail: "the signer certificate is not in the CMS" };
  const certDer = der(certificate);
  const hashName = HASH_BY_OID[signerInfo.digestAlgorithm.algorithmId];
  const withCert = { ...base, signerCertificate: certDer, sha1: hashName === "sha1" };
  if (!hashName) return { ...withCert, problem: "unsupported-algorithm", detail: `digest ${signerInfo.digestAlgorithm.algorithmId}` };
  const attrs = signerInfo.signedAttrs;
  if (!attrs) return { ...withCert, problem: "no-signed-attributes", detail: "no signed attributes" };
  collectAdobeRevocation(attrs.attributes.find((a) => a.type === OID_ADBE_REVOCATION)?.values[0], crls, ocspResponses);
  const signingTimeValue = attrs.attributes.find((a) => a.type === OID_SIGNING_TIME)?.values[0];
  const signingTime = signingTimeValue instanceof asn1js.UTCTime || signingTimeValue instanceof asn1js.GeneralizedTime ? signingTimeValue.toDate() : undefined;
  const timestamp = timestampOf(signerInfo);
  const extra = { ...(signingTime ? { signingTime } : {}), ...(timestamp ? { timestamp } : {}), hashAlgorithm: hashName };

  // The exact bytes of /ByteRange, read in chunks (never the whole file at once).
  const hashOk = messageDigestMatches(attrs, hashByteRange(source, range, hashName)) === true;

  const essV2 = attrs.attributes.find((a) => a.type === OID_SIGNING_CERTIFICATE_V2)?.values[0];
  if (essV2 && !essNamesCertificate(essV2, certDer)) {
    return { ...withCert, ...extra, hash: hashOk ? "valid" : "invalid", problem: "signing-certificate-mismatch", detail: "signingCertificateV2 names another certificate" };
  }
  const signed = signedAttributesBytes(attrs);
  const scheme = SCHEME_BY_OID[signerInfo.signatureAlgorithm.algorithmId];
  if (!scheme) return { ...withCert, ...extra, hash: hashOk ? "valid" : "invalid", problem: "unsupported-algorithm", detail: `signature ${signerInfo.signatureAlgorithm.algorithmId}` };
  let signatureOk = false;
  try {
    const key = new X509Certificate(certDer).publicKey;
    // RSASSA-PSS parameters without a known hash: SHA-1, the RFC 4055 default.
    signatureOk = verifySignerSignature(signerInfo, scheme, hashName, (oid) => HASH_BY_OID[oid] ?? "sha1", signed, key);
  } catch {
    signatureOk = false;
  }
  const sha1 = hashName === "sha1" || scheme.kind !== "pss" && scheme.hash === "sha1";
  return { ...withCert, ...extra, sha1, hash: hashOk ? "valid" : "invalid", signature: signatureOk ? "valid" : "invalid" };
}

/** ESS signingCertificateV2 names the signer certificate, or uses a hash not checked (as OpenSSL does). */
function essNamesCertificate(value: unknown, certDer: Uint8Array): boolean {
  const match = essCertificateMatch(value, certDer, (oid) => HASH_BY_OID[oid]);
  return match === "match" || match === "not-checked";
}

/** RFC 3161 token in the unsigned attributes: its genTime, and whether it timestamps this signature value. */
function timestampOf(signerInfo: pkijs.SignerInfo): { time: Date; imprintValid: boolean } | undefined {
  const token = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === OID_SIGNATURE_TIMESTAMP)?.values[0];
  if (!token) return undefined;
  return readTimestampToken(token, signerInfo.signature.valueBlock.valueHexView);
}

/**
 * An RFC 3161 timestamp token (a ContentInfo, as an ASN.1 value or DER): its genTime, and whether its
 * messageImprint is the hash of `covered` (a CMS signature value, or XAdES' canonical ds:SignatureValue).
 * Only the imprint is checked, not the TSA's signature (docs/verify.md "Not done yet").
 */
export function readTimestampToken(token: asn1js.AsnType | Uint8Array, covered: Uint8Array): { time: Date; imprintValid: boolean } | undefined {
  try {
    let schema = token;
    if (token instanceof Uint8Array) {
      const asn1 = asn1js.fromBER(token.slice().buffer);
      if (asn1.offset === -1) return undefined;
      schema = asn1.result;
    }
    const signed = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema }).content });
    const content = signed.encapContentInfo.eContent;
    if (!content) return undefined;
    const tst = pkijs.TSTInfo.fromBER(content.getValue());
    const hashName = HASH_BY_OID[tst.messageImprint.hashAlgorithm.algorithmId];
    const expected = hashName ? createHash(hashName).update(covered).digest() : undefined;
    const imprintValid = expected !== undefined && expected.equals(Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView));
    return { time: tst.genTime, imprintValid };
  } catch {
    return undefined;
  }
}

/** adbe-revocationInfoArchival: SEQUENCE { [0] SEQUENCE OF CRL, [1] SEQUENCE OF OCSPResponse, ... }. */
function collectAdobeRevocation(value: unknown, crls: Uint8Array[], ocsps: Uint8Array[]): void {
  if (!(value instanceof asn1js.Sequence)) return;
  for (const tagged of value.valueBlock.value) {
    const tag = tagged.idBlock.tagNumber;
    const inner = (tagged as asn1js.Constructed).valueBlock.value?.[0];
    if (!(inner instanceof asn1js.Sequence) || (tag !== 0 && tag !== 1)) continue;
    for (const item of inner.valueBlock.value) (tag === 0 ? crls : ocsps).push(new Uint8Array(item.toBER(false)));
  }
}
