/** The certificate fields CMS needs, copied byte for byte from the DER (never re-encoded). */
import { bytesOf, children, readTlv } from "./der.js";

export interface CertificateFields {
  /** DER of the issuer Name. */
  readonly issuer: Uint8Array;
  /** DER INTEGER of the serial number. */
  readonly serialNumber: Uint8Array;
}

export function certificateFields(der: Uint8Array): CertificateFields {
  const cert = readTlv(der, 0);
  const tbs = children(der, readTlv(der, cert.contentStart));
  // TBSCertificate: [0] version is optional (v1 certificates omit it).
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = tbs[offset];
  const issuer = tbs[offset + 2];
  if (!serial || !issuer || serial.tag !== 0x02 || issuer.tag !== 0x30) throw new RangeError("not an X.509 certificate");
  return { issuer: bytesOf(der, issuer), serialNumber: bytesOf(der, serial) };
}
