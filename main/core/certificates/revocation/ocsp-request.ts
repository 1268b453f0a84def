/**
 * RFC 6960 OCSPRequest for one certificate: a CertID and a nonce extension (RFC 8954: 32 random octets).
 *
 * CertID hash: SHA-256 by default. Many CA responders (older Microsoft OCSP, several commercial products) index
 * only SHA-1 CertIDs and answer "unknown" or an error for a SHA-256 one, so the client falls back to a SHA-1
 * CertID only after such an answer (ocsp-client.ts). The CertID hash only identifies the certificate asked about;
 * the response is still bound by the responder's own SHA-2 signature, so the fallback does not weaken the check.
 */
import { createHash, randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export const OID_OCSP_NONCE = "1.3.6.1.5.5.7.48.1.2";
export const NONCE_BYTES = 32;

export type CertIdHash = "sha256" | "sha1";

const HASH_OID: Readonly<Record<CertIdHash, string>> = {
  sha256: "2.16.840.1.101.3.4.2.1",
  sha1: "1.3.14.3.2.26",
};

export interface OcspRequestMaterial {
  readonly der: Uint8Array;
  readonly certId: pkijs.CertID;
  /** The nonce extension's extnValue as sent (an OCTET STRING around the random octets); undefined when none. */
  readonly nonceExtnValue?: Uint8Array;
}

/** CertID (RFC 6960 §4.1.1): hashes of the issuer's name as written in the certificate and of the issuer's key. */
export function certIdFor(certificate: pkijs.Certificate, issuer: pkijs.Certificate, hash: CertIdHash): pkijs.CertID {
  const issuerName = new Uint8Array(certificate.issuer.valueBeforeDecode);
  const issuerKey = issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash], algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: createHash(hash).update(issuerName).digest() }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: createHash(hash).update(issuerKey).digest() }),
    serialNumber: new asn1js.Integer({ valueHex: certificate.serialNumber.valueBlock.valueHexView }),
  });
}

export function buildOcspRequest(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  options: { readonly hash: CertIdHash; readonly nonce: boolean },
): OcspRequestMaterial {
  const certId = certIdFor(certificate, issuer, options.hash);
  const nonceExtnValue = options.nonce ? new Uint8Array(new asn1js.OctetString({ valueHex: randomBytes(NONCE_BYTES) }).toBER()) : undefined;
  const request = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({
      requestList: [new pkijs.Request({ reqCert: certId })],
      ...(nonceExtnValue
        ? { requestExtensions: [new pkijs.Extension({ extnID: OID_OCSP_NONCE, extnValue: nonceExtnValue.slice().buffer })] }
        : {}),
    }),
  });
  return { der: new Uint8Array(request.toSchema(true).toBER()), certId, ...(nonceExtnValue ? { nonceExtnValue } : {}) };
}

export function sameCertId(a: pkijs.CertID, b: pkijs.CertID): boolean {
  const bytes = (v: { valueBlock: { valueHexView: Uint8Array } }): Buffer => Buffer.from(v.valueBlock.valueHexView);
  return (
    a.hashAlgorithm.algorithmId === b.hashAlgorithm.algorithmId &&
    bytes(a.issuerNameHash).equals(bytes(b.issuerNameHash)) &&
    bytes(a.issuerKeyHash).equals(bytes(b.issuerKeyHash)) &&
    stripLeadingZeros(bytes(a.serialNumber)).equals(stripLeadingZeros(bytes(b.serialNumber)))
  );
}

function stripLeadingZeros(value: Buffer): Buffer {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  return value.subarray(i);
}
