/**
 * The existing signatures of a PDF, each checked by KySo itself before it is shown as valid: the /ByteRange bytes
 * are hashed and compared with the CMS messageDigest, and the CMS signature over the signed attributes is verified
 * with the public key of the embedded signer certificate (and the ESS signingCertificateV2 hash, when present,
 * must name that certificate). NOT checked: the certificate's trust chain, validity period and revocation, and
 * timestamps. The signer name comes from the certificate that verified; /Name, /M, /Reason, /Location are the
 * document's claims. Bounded: at most MAX_VERIFIED_SIGNATURES signatures and MAX_VERIFIED_BYTES hashed.
 */
import { X509Certificate } from "node:crypto";
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDict } from "@cantoo/pdf-lib";
import * as pkijs from "pkijs";
import type { ExistingSignature, SignatureIntegrityReason } from "../../../domain/document-description.js";
import { MAX_SIGNATURE_CMS_BYTES, MAX_VERIFIED_BYTES, MAX_VERIFIED_SIGNATURES } from "./pdf-limits.js";
import type { FieldInfo } from "./pdf-model.js";
import { textOf } from "./pdf-model.js";
import type { PdfStructure } from "./pdf-reader.js";
import { signerDisplayName } from "./prepare-update.js";
import { HASH_BY_OID, OID_SIGNING_CERTIFICATE_V2, SCHEME_BY_OID, essCertificateMatch, findSigner, hashByteRange, messageDigestMatches, parseSignedData, signedAttributesBytes, verifySignerSignature, type SignatureVerifyScheme } from "../cms/signer-info-check.js";

/** SHA-2 only here: a SHA-1 digest or signature is shown as `unsupported-algorithm` (the verifier reports SHA-1). */
const hashOf = (oid: string): string | undefined => (HASH_BY_OID[oid] === "sha1" ? undefined : HASH_BY_OID[oid]);
const schemeOf = (oid: string): SignatureVerifyScheme | undefined => {
  const scheme = SCHEME_BY_OID[oid];
  return scheme && scheme.kind !== "pss" && scheme.hash === "sha1" ? undefined : scheme;
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
  const [, l1, , l2] = range;
  if (hashed.bytes + l1 + l2 > MAX_VERIFIED_BYTES) throw unsupported("too-many-bytes", `more than ${MAX_VERIFIED_BYTES} bytes to hash`);
  hashed.bytes += l1 + l2;

  const { signerInfo, certificate } = parseCms(cms);
  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  const hashName = hashOf(digestOid);
  if (!hashName) throw unsupported("unsupported-algorithm", `digest algorithm ${digestOid}`);

  // The document bytes the signature covers, read in large chunks (never the whole file at once).
  const digest = hashByteRange(pdf.source, range, hashName);

  const attrs = signerInfo.signedAttrs;
  if (!attrs) throw unsupported("no-signed-attributes", "no signed attributes");
  const digestMatches = messageDigestMatches(attrs, digest);
  if (digestMatches === "missing") throw broken("no-message-digest", "no messageDigest attribute");
  if (!digestMatches) throw broken("digest-mismatch", "messageDigest differs from the hash of /ByteRange");

  const certDer = new Uint8Array(certificate.toSchema(true).toBER(false));
  const essV2 = attrs.attributes.find((a) => a.type === OID_SIGNING_CERTIFICATE_V2)?.values[0];
  if (essV2) {
    // ESS signingCertificateV2 must name the signer certificate (another hash: not checked, as OpenSSL does).
    const ess = essCertificateMatch(essV2, certDer, hashOf);
    if (ess === "unreadable") throw broken("signing-certificate-mismatch", "signingCertificateV2 does not parse");
    if (ess === "mismatch") throw broken("signing-certificate-mismatch", "signingCertificateV2 names another certificate");
  }

  const signed = signedAttributesBytes(attrs);
  let key;
  try {
    key = new X509Certificate(certDer).publicKey;
  } catch {
    throw broken("certificate-unreadable", "the signer certificate does not parse");
  }
  const scheme = schemeOf(signerInfo.signatureAlgorithm.algorithmId);
  if (!scheme) throw unsupported("unsupported-algorithm", `signature algorithm ${signerInfo.signatureAlgorithm.algorithmId}`);
  const pssHash = (oid: string): string => {
    const name = hashOf(oid);
    if (!name) throw unsupported("unsupported-algorithm", `PSS hash ${oid}`);
    return name;
  };
  let ok: boolean;
  try {
    ok = verifySignerSignature(signerInfo, scheme, hashName, pssHash, signed, key);
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
    signedData = parseSignedData(cms);
  } catch (error) {
    throw broken("not-cms", `not a CMS SignedData: ${(error as Error).message}`);
  }
  if (signedData.encapContentInfo.eContent) throw unsupported("encapsulated-content", "the CMS encapsulates its content");
  if (signedData.signerInfos.length !== 1) throw unsupported("several-signers", `${signedData.signerInfos.length} signers in one CMS`);
  const signerInfo = signedData.signerInfos[0]!;
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const certificate = findSigner(signerInfo, certificates);
  if (!certificate) throw broken("certificate-missing", "the signer certificate is not in the signature");
  return { signerInfo, certificate };
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
