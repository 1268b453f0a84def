/**
 * CAdES signed attributes (ETSI EN 319 122-1 §5.2): content-type, message-digest, signing-certificate-v2 and,
 * for CAdES only, signing-time (PAdES forbids it: the time lives in the PDF's /M).
 *
 * They are emitted in DER order (sorted by encoding): pkijs does not sort, OpenSSL accepts unsorted attributes,
 * but BouncyCastle (EU DSS, PDFBox, iText) re-encodes them in DER and the signature then fails.
 */
import * as asn1js from "asn1js";
import { createHash } from "node:crypto";
import { certificateFields } from "./certificate-fields.js";
import { concat, octets, oid, seq, setOf, sortDer, time, tlv } from "./der.js";

export const OID_DATA = "1.2.840.113549.1.7.1";
const OID_CONTENT_TYPE = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
const OID_SIGNING_TIME = "1.2.840.113549.1.9.5";
const OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";

export function attribute(type: string, ...values: readonly Uint8Array[]): Uint8Array {
  return seq(oid(type), setOf(values));
}

/**
 * ESSCertIDv2 (RFC 5035): certHash is SHA-256 of the whole certificate; hashAlgorithm is omitted because SHA-256
 * is its DEFAULT (DER forbids encoding a default). issuerSerial = GeneralNames{directoryName} + serial, built
 * with asn1js from the certificate's own bytes.
 */
export function essCertIdV2(certificate: Uint8Array): Uint8Array {
  const { issuer, serialNumber } = certificateFields(certificate);
  const certHash = createHash("sha256").update(certificate).digest();
  const issuerName = asn1js.fromBER(issuer).result;
  const serial = asn1js.fromBER(serialNumber).result;
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames ::= SEQUENCE OF GeneralName; directoryName is [4] EXPLICIT Name.
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [issuerName] })] }),
      serial,
    ],
  });
  const id = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial] });
  return new Uint8Array(id.toBER());
}

export function signingCertificateV2(certificate: Uint8Array): Uint8Array {
  return attribute(OID_SIGNING_CERTIFICATE_V2, seq(seq(essCertIdV2(certificate))));
}

export interface SignedAttributesInput {
  readonly contentDigest: Uint8Array;
  readonly certificate: Uint8Array;
  /** Absent for PAdES. */
  readonly signingTime?: Date;
}

/** The attributes, each DER-encoded, already sorted. */
export function buildSignedAttributes(input: SignedAttributesInput): Uint8Array[] {
  const attributes = [
    attribute(OID_CONTENT_TYPE, oid(OID_DATA)),
    attribute(OID_MESSAGE_DIGEST, octets(input.contentDigest)),
    signingCertificateV2(input.certificate),
  ];
  if (input.signingTime) attributes.push(attribute(OID_SIGNING_TIME, time(input.signingTime)));
  return sortDer(attributes);
}

/** What the key signs (RFC 5652 §5.4): the attributes as an explicit SET OF, tag 0x31. */
export function attributesToBeSigned(sorted: readonly Uint8Array[]): Uint8Array {
  return tlv(0x31, concat(sorted));
}

/** The same attributes as stored in SignerInfo: [0] IMPLICIT. */
export function attributesField(sorted: readonly Uint8Array[], tagNumber: 0 | 1): Uint8Array {
  return tlv(0xa0 | tagNumber, concat(sorted));
}

