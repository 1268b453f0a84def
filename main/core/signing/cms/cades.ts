/**
 * CAdES-B-B / B-T SignedData (ETSI EN 319 122-1) over a digest computed by the caller, so the same code serves
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
import { explicit, integer, octets, oid, seq, setOf } from "./der.js";
import { OID_DATA, attribute, attributesField, attributesToBeSigned, buildSignedAttributes } from "./signed-attributes.js";
import { requestTimestamp } from "./timestamp-client.js";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_TIMESTAMP_TOKEN = "1.2.840.113549.1.9.16.2.14";

export interface CadesInput {
  readonly contentDigest: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  readonly scheme: SignatureScheme;
  readonly level: "B-B" | "B-T";
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
  if (input.level === "B-T") {
    const stamp = await requestTimestamp(context.timestampAuthority, input.hashAlgorithm, signatureValue, context.fetch);
    unsigned = attributesField([attribute(OID_TIMESTAMP_TOKEN, stamp.token)], 1);
    timestampTime = stamp.genTime;
  }

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
    integer(1),
    setOf([digestAlgorithmId(input.hashAlgorithm)]),
    encapContentInfo,
    // certificates [0] IMPLICIT SET OF: the signer first in meaning, DER order in bytes.
    setOf([signer.certificate, ...signer.chain], 0xa0),
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

