/**
 * CAdES-B-B / B-T / B-LT SignedData (ETSI EN 319 122-1) over a digest computed by the caller, so the same code serves
 * `cms` (data or a page-supplied hash) and PAdES (the PDF byte ranges). The chain is embedded; the key only
 * ever sees the digest of the signed attributes.
 */
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { SignatureScheme, Signer } from "../../../domain/signer.js";
import { KysoError, isKysoError } from "../../../domain/errors/index.js";
import { digest } from "../hashing.js";
import type { SignContext } from "../types.js";
import { digestAlgorithmId, signatureAlgorithmId } from "./algorithms.js";
import { certificateFields } from "./certificate-fields.js";
import { explicit, integer, octets, oid, seq, setOf, tlv } from "./der.js";
import { OID_DATA, attribute, attributesField, attributesToBeSigned, buildSignedAttributes } from "./signed-attributes.js";
import { requestTimestamp } from "./timestamp-client.js";
import { checkTimestampAuthority, requireLongTerm } from "../long-term/timestamp-check.js";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_TIMESTAMP_TOKEN = "1.2.840.113549.1.9.16.2.14";
/** RFC 5940 §4.1: an OCSPResponse as OtherRevocationInfoFormat. */
const OID_RI_OCSP_RESPONSE = "1.3.6.1.5.5.7.16.2";

export interface CadesInput {
  readonly contentDigest: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  readonly scheme: SignatureScheme;
  /** B-LT (ETSI EN 319 122-1 §5.5.1): B-T plus the chains and revocation data in `certificates` and `crls`. */
  readonly level: "B-B" | "B-T" | "B-LT";
  /** CAdES carries it as an attribute; PAdES must not (ETSI EN 319 142-1 §6.3: the time is /M). */
  readonly signingTime?: Date;
  /** Attached signatures encapsulate the content. */
  readonly content?: Uint8Array;
}

export interface CadesOutput {
  /** DER ContentInfo. */
  readonly cms: Uint8Array;
  readonly timestampTime?: Date;
}

export async function buildCades(input: CadesInput, signer: Signer, context: SignContext): Promise<CadesOutput> {
  const attributes = buildSignedAttributes({
    contentDigest: input.contentDigest,
    certificate: signer.certificate,
    ...(input.signingTime ? { signingTime: input.signingTime } : {}),
  });
  const toBeSigned = digest(input.hashAlgorithm, attributesToBeSigned(attributes));
  let signatureValue: Uint8Array;
  try {
    signatureValue = (await signer.signDigest({ hashAlgorithm: input.hashAlgorithm, digest: toBeSigned, scheme: input.scheme })).value;
  } catch (error) {
    throw isKysoError(error) ? error : new KysoError("signing_failed", String(error), undefined, { cause: error });
  }

  let unsigned: Uint8Array | undefined;
  let timestampTime: Date | undefined;
  // The dry run before the approval never asks the TSA: the token is the one part left out.
  if (input.level !== "B-B" && !context.dryRun) {
    const stamp = await requestTimestamp(context.timestampAuthority, input.hashAlgorithm, signatureValue, context.fetch);
    checkTimestampAuthority(stamp.token, context.longTerm);
    unsigned = attributesField([attribute(OID_TIMESTAMP_TOKEN, stamp.token)], 1);
    timestampTime = stamp.genTime;
  }
  const longTerm = input.level === "B-LT" ? requireLongTerm(context).validation : undefined;
  const certificates = unique([signer.certificate, ...signer.chain, ...(longTerm?.certificates ?? [])]);
  // RevocationInfoChoices: a CRL as itself, an OCSP response as [1] OtherRevocationInfoFormat (RFC 5940).
  const revocation = longTerm ? [...longTerm.crls, ...longTerm.ocspResponses.map((ocsp) => tlv(0xa1, oid(OID_RI_OCSP_RESPONSE), ocsp))] : [];

  const { issuer, serialNumber } = certificateFields(signer.certificate);
  const signerInfo = seq(
    integer(1),
    seq(issuer, serialNumber),
    digestAlgorithmId(input.hashAlgorithm),
    attributesField(attributes, 0),
    signatureAlgorithmId(input.scheme, input.hashAlgorithm),
    octets(signatureValue),
    ...(unsigned ? [unsigned] : []),
  );
  const encapContentInfo = input.content ? seq(oid(OID_DATA), explicit(0, octets(input.content))) : seq(oid(OID_DATA));
  const signedData = seq(
    // RFC 5652 §5.1: version 5 when a crls entry is of the "other" kind.
    integer(longTerm && longTerm.ocspResponses.length > 0 ? 5 : 1),
    setOf([digestAlgorithmId(input.hashAlgorithm)]),
    encapContentInfo,
    // certificates [0] IMPLICIT SET OF: the signer first in meaning, DER order in bytes.
    setOf(certificates, 0xa0),
    ...(revocation.length > 0 ? [setOf(revocation, 0xa1)] : []),
    setOf([signerInfo]),
  );
  const cms = seq(oid(OID_SIGNED_DATA), explicit(0, signedData));
  return timestampTime ? { cms, timestampTime } : { cms };
}

/** Size of a CMS signature from this module without a timestamp, for PDF /Contents reservations. */
export function estimateCadesSize(signer: Signer): number {
  const certs = [signer.certificate, ...signer.chain].reduce((n, c) => n + c.length + 8, 0);
  const keyBytes = signer.keyAlgorithm.kind === "rsa" ? signer.keyAlgorithm.modulusBits / 8 : 140;
  return certs + keyBytes + 1500;
}


function unique(values: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = Buffer.from(value).toString("base64");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
