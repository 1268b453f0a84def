/**
 * The existing signatures of a PDF, each checked by KySo itself before it is shown as valid: the /ByteRange bytes
 * are hashed and compared with the CMS messageDigest, and the CMS signature over the signed attributes is verified
 * with the public key of the embedded signer certificate (and the ESS signingCertificateV2 hash, when present,
 * must name that certificate). NOT checked: the certificate's trust chain, validity period and revocation, and
 * timestamps. The signer name comes from the certificate that verified; /Name, /M, /Reason, /Location are the
 * document's claims. Bounded: at most MAX_VERIFIED_SIGNATURES signatures and MAX_VERIFIED_BYTES hashed.
 */
import { createHash, verify, X509Certificate, constants } from "node:crypto";
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDict } from "@cantoo/pdf-lib";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { ExistingSignature, SignatureIntegrityReason } from "../../../domain/document-description.js";
import { HASH_CHUNK_BYTES } from "../limits.js";
import { MAX_SIGNATURE_CMS_BYTES, MAX_VERIFIED_BYTES, MAX_VERIFIED_SIGNATURES } from "./pdf-limits.js";
import type { FieldInfo } from "./pdf-model.js";
import { textOf } from "./pdf-model.js";
import type { PdfStructure } from "./pdf-reader.js";
import { signerDisplayName } from "./prepare-update.js";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
const OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";
const HASH_BY_OID: Readonly<Record<string, string>> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
type Scheme = { readonly kind: "pkcs1" | "ecdsa"; readonly hash?: string } | { readonly kind: "pss" };
const SCHEME_BY_OID: Readonly<Record<string, Scheme>> = {
  "1.2.840.113549.1.1.1": { kind: "pkcs1" },
  "1.2.840.113549.1.1.11": { kind: "pkcs1", hash: "sha256" },
  "1.2.840.113549.1.1.12": { kind: "pkcs1", hash: "sha384" },
  "1.2.840.113549.1.1.13": { kind: "pkcs1", hash: "sha512" },
  "1.2.840.113549.1.1.10": { kind: "pss" },
  "1.2.840.10045.2.1": { kind: "ecdsa" },
  "1.2.840.10045.4.3.2": { kind: "ecdsa", hash: "sha256" },
  "1.2.840.10045.4.3.3": { kind: "ecdsa", hash: "sha384" },
  "1.2.840.10045.4.3.4": { kind: "ecdsa", hash: "sha512" },
};
const DETACHED_SUBFILTERS = new Set(["/adbe.pkcs7.detached", "/ETSI.CAdES.detached"]);

/** A verdict: the reason is a key the UI words (`doc.sigReason.<reason>`); the detail is technical, for support. */
class Verdict extends Error {
  constructor(
    readonly integrity: "broken" | "unsupported",
    readonly reason: SignatureIntegrityReason,
    detail: string,
  ) {
    super(detail);
  }
}
const broken = (reason: SignatureIntegrityReason, detail: string): Verdict => new Verdict("broken", reason, detail);
const unsupported = (reason: SignatureIntegrityReason, detail: string): Verdict => new Verdict("unsupported", reason, detail);

export function existingSignatures(pdf: PdfStructure, fields: readonly FieldInfo[]): ExistingSignature[] {
  const out: ExistingSignature[] = [];
  const hashed = { bytes: 0 };
  for (const field of fields) {
    if (!field.terminal || field.dict.get(PDFName.of("FT")) !== PDFName.of("Sig")) continue;
    const value = pdf.lookupDict(field.dict.get(PDFName.of("V")));
    if (!value) continue;
    pdf.budget.step("existing signature");
    const claims = {
      ...optional("name", textOf(value.get(PDFName.of("Name")))),
      ...optional("signedAt", textOf(value.get(PDFName.of("M")))),
      ...optional("reason", textOf(value.get(PDFName.of("Reason")))),
      ...optional("location", textOf(value.get(PDFName.of("Location")))),
    };
    let result: Omit<ExistingSignature, "fieldName" | "claims">;
    try {
      if (out.length >= MAX_VERIFIED_SIGNATURES) throw unsupported("too-many-signatures", `more than ${MAX_VERIFIED_SIGNATURES} signatures`);
      result = check(pdf, value, hashed);
    } catch (error) {
      if (!(error instanceof Verdict)) throw error;
      result = { integrity: error.integrity, integrityReason: error.reason, integrityDetail: error.message };
    }
    out.push({ fieldName: field.name, ...result, claims });
  }
  return out;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function check(pdf: PdfStructure, sig: PDFDict, hashed: { bytes: number }): Omit<ExistingSignature, "fieldName" | "claims"> {
  const subFilter = sig.get(PDFName.of("SubFilter"));
  if (!subFilter || !DETACHED_SUBFILTERS.has(subFilter.toString())) throw unsupported("unsupported-subfilter", `/SubFilter ${String(subFilter)}`);
  const range = byteRange(pdf, sig.get(PDFName.of("ByteRange")));
  const contents = sig.get(PDFName.of("Contents"));
  const cms = contents instanceof PDFHexString || contents instanceof PDFString ? contents.asBytes() : undefined;
  if (!cms || cms.length === 0) throw broken("no-signature-value", "no /Contents");
  if (cms.length > MAX_SIGNATURE_CMS_BYTES) throw unsupported("signature-too-large", `signature value over ${MAX_SIGNATURE_CMS_BYTES} bytes`);
  const [o1, l1, o2, l2] = range;
  if (hashed.bytes + l1 + l2 > MAX_VERIFIED_BYTES) throw unsupported("too-many-bytes", `more than ${MAX_VERIFIED_BYTES} bytes to hash`);
  hashed.bytes += l1 + l2;

  const { signerInfo, certificate } = parseCms(cms);
  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  const hashName = HASH_BY_OID[digestOid];
  if (!hashName) throw unsupported("unsupported-algorithm", `digest algorithm ${digestOid}`);

  // The document bytes the signature covers, read in large chunks (never the whole file at once).
  const hash = createHash(hashName);
  for (const [offset, length] of [[o1, l1], [o2, l2]] as const) {
    for (let at = 0; at < length; at += HASH_CHUNK_BYTES) hash.update(pdf.source.read(offset + at, Math.min(HASH_CHUNK_BYTES, length - at)));
  }
  const digest = hash.digest();

  const attrs = signerInfo.signedAttrs;
  if (!attrs) throw unsupported("no-signed-attributes", "no signed attributes");
  const messageDigest = attrs.attributes.find((a) => a.type === OID_MESSAGE_DIGEST)?.values[0];
  if (!(messageDigest instanceof asn1js.OctetString)) throw broken("no-message-digest", "no messageDigest attribute");
  if (!Buffer.from(messageDigest.valueBlock.valueHexView).equals(digest)) throw broken("digest-mismatch", "messageDigest differs from the hash of /ByteRange");

  const certDer = new Uint8Array(certificate.toSchema(true).toBER(false));
  const essV2 = attrs.attributes.find((a) => a.type === OID_SIGNING_CERTIFICATE_V2)?.values[0];
  if (essV2) checkEssCertIdV2(essV2, certDer);

  const signed = new Uint8Array(attrs.encodedValue.slice(0));
  signed[0] = 0x31; // [0] IMPLICIT in the SignerInfo, a SET when signed (RFC 5652 §5.4)
  const signature = new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
  let key;
  try {
    key = new X509Certificate(certDer).publicKey;
  } catch {
    throw broken("certificate-unreadable", "the signer certificate does not parse");
  }
  const scheme = SCHEME_BY_OID[signerInfo.signatureAlgorithm.algorithmId];
  if (!scheme) throw unsupported("unsupported-algorithm", `signature algorithm ${signerInfo.signatureAlgorithm.algorithmId}`);
  let ok: boolean;
  try {
    if (scheme.kind === "pss") {
      const params = new pkijs.RSASSAPSSParams({ schema: signerInfo.signatureAlgorithm.algorithmParams });
      const pssHash = HASH_BY_OID[params.hashAlgorithm.algorithmId];
      if (!pssHash) throw unsupported("unsupported-algorithm", `PSS hash ${params.hashAlgorithm.algorithmId}`);
      ok = verify(pssHash, signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    } else if (scheme.kind === "ecdsa") {
      ok = verify(scheme.hash ?? hashName, signed, { key, dsaEncoding: "der" }, signature);
    } else {
      ok = verify(scheme.hash ?? hashName, signed, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
  } catch (error) {
    if (error instanceof Verdict) throw error;
    throw broken("signature-invalid", `verification threw: ${(error as Error).message}`);
  }
  if (!ok) throw broken("signature-invalid", "the signature does not verify with the signer certificate's key");
  let signerName: string | undefined;
  try {
    signerName = signerDisplayName(certDer);
  } catch {
    signerName = undefined;
  }
  return { integrity: "intact", ...(signerName ? { signerName } : {}), coverage: coverageOf(pdf, range) };
}

/** Four non-negative integers, in order, inside the file. */
function byteRange(pdf: PdfStructure, value: unknown): [number, number, number, number] {
  const items = value instanceof PDFArray ? value.asArray() : [];
  const numbers = items.map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN));
  if (numbers.length !== 4 || numbers.some((n) => !Number.isInteger(n) || n < 0)) throw broken("byte-range-invalid", "/ByteRange is not four non-negative integers");
  const [o1, l1, o2, l2] = numbers as [number, number, number, number];
  if (o1 + l1 > o2 || o2 + l2 > pdf.source.size) throw broken("byte-range-invalid", "/ByteRange points outside the file or overlaps itself");
  return [o1, l1, o2, l2];
}

function parseCms(cms: Uint8Array): { signerInfo: pkijs.SignerInfo; certificate: pkijs.Certificate } {
  let signedData: pkijs.SignedData;
  try {
    const asn1 = asn1js.fromBER(cms.slice().buffer);
    if (asn1.offset === -1) throw new Error(asn1.result.error);
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== OID_SIGNED_DATA) throw new Error(`content type ${info.contentType}`);
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (error) {
    throw broken("not-cms", `not a CMS SignedData: ${(error as Error).message}`);
  }
  if (signedData.encapContentInfo.eContent) throw unsupported("encapsulated-content", "the CMS encapsulates its content");
  if (signedData.signerInfos.length !== 1) throw unsupported("several-signers", `${signedData.signerInfos.length} signers in one CMS`);
  const signerInfo = signedData.signerInfos[0]!;
  const sid = signerInfo.sid;
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  // The signer is named by issuer and serial, or by [0] subjectKeyIdentifier (RFC 5652 §5.3).
  const sidKey = sid instanceof pkijs.IssuerAndSerialNumber ? undefined : (sid as { valueBlock?: { valueHexView?: Uint8Array } }).valueBlock?.valueHexView;
  const certificate = certificates.find((c) => {
    if (sid instanceof pkijs.IssuerAndSerialNumber) return c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber);
    const ski = c.extensions?.find((e) => e.extnID === "2.5.29.14")?.parsedValue;
    return sidKey !== undefined && ski instanceof asn1js.OctetString && Buffer.from(ski.valueBlock.valueHexView).equals(Buffer.from(sidKey));
  });
  if (!certificate) throw broken("certificate-missing", "the signer certificate is not in the signature");
  return { signerInfo, certificate };
}

/** ESS signingCertificateV2: the first ESSCertIDv2's hash must be the signer certificate's (default SHA-256). */
function checkEssCertIdV2(value: unknown, certDer: Uint8Array): void {
  try {
    const certs = (value as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let hashName = "sha256";
    let hashValue = parts[0];
    if (parts[0] instanceof asn1js.Sequence) {
      const oid = (parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
      const named = HASH_BY_OID[oid];
      if (!named) return; // another hash: not checked, as OpenSSL does
      hashName = named;
      hashValue = parts[1];
    }
    if (!(hashValue instanceof asn1js.OctetString)) throw new Error("no certHash");
    if (!Buffer.from(hashValue.valueBlock.valueHexView).equals(createHash(hashName).update(certDer).digest())) {
      throw broken("signing-certificate-mismatch", "signingCertificateV2 names another certificate");
    }
  } catch (error) {
    if (error instanceof Verdict) throw error;
    throw broken("signing-certificate-mismatch", "signingCertificateV2 does not parse");
  }
}

/**
 * "whole-file": from byte 0 to the end, with only the signature value left out; "revision": the same up to an
 * %%EOF that later updates follow; "partial": anything else.
 */
function coverageOf(pdf: PdfStructure, [o1, l1, o2, l2]: readonly number[]): "whole-file" | "revision" | "partial" {
  const gapLength = o2! - l1!;
  if (o1 !== 0 || gapLength < 2 || gapLength > MAX_SIGNATURE_CMS_BYTES * 4) return "partial";
  // The gap must be exactly one hex string (the signature value): nothing else of the file may be left out.
  const gap = Buffer.from(pdf.source.read(l1!, gapLength)).toString("latin1");
  if (!/^<[0-9A-Fa-f\s]*>$/.test(gap)) return "partial";
  const end = o2! + l2!;
  if (end === pdf.source.size) return "whole-file";
  const tail = Buffer.from(pdf.source.read(Math.max(0, end - 8), Math.min(8, end))).toString("latin1");
  return /%%EOF(\r\n|\r|\n)?$/.test(tail) ? "revision" : "partial";
}
