/**
 * Which key belongs to which certificate. First by CKA_ID (what every CA tool writes), then, because some vendor
 * tokens write the certificate with a different CKA_ID than its key, by comparing public keys: the RSA modulus or
 * the EC point of the certificate against the key objects'. Pure: the objects were read by find-certificates and
 * find-keys.
 */
import { X509Certificate } from "node:crypto";
import type { CertificateObject } from "./find-certificates.js";
import { stripLeadingZeros, type KeyObject } from "./find-keys.js";

export interface CertificatePublicKey {
  readonly kind: "rsa" | "ec" | "other";
  readonly modulus?: Buffer;
  /** `04 || x || y` */
  readonly ecPoint?: Buffer;
}

export function certificatePublicKey(der: Uint8Array): CertificatePublicKey {
  const jwk = new X509Certificate(der).publicKey.export({ format: "jwk" });
  if (jwk.kty === "RSA" && jwk.n) return { kind: "rsa", modulus: stripLeadingZeros(Buffer.from(jwk.n, "base64url")) };
  if (jwk.kty === "EC" && jwk.x && jwk.y) {
    return { kind: "ec", ecPoint: Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]) };
  }
  return { kind: "other" };
}

/** True when the key object holds the same public key as the certificate. */
export function sameKey(certificate: CertificatePublicKey, key: KeyObject): boolean {
  if (certificate.kind === "rsa" && key.modulus && certificate.modulus) return certificate.modulus.equals(key.modulus);
  if (certificate.kind === "ec" && key.ecPoint && certificate.ecPoint) {
    const point = certificate.ecPoint;
    // The driver may return the DER OCTET STRING (04 len point) or the bare point.
    return key.ecPoint.equals(point) || key.ecPoint.equals(Buffer.concat([Buffer.of(4, point.length), point]));
  }
  return false;
}

export interface PairedCertificate {
  readonly certificate: CertificateObject;
  /** CKA_ID of the private key to sign with, or null when no key on the token matches. */
  readonly keyId: string | null;
  readonly pairedBy: "id" | "publicKey" | "assumed" | null;
}

/**
 * Pairs every certificate. `keys` holds whatever key objects were visible (public keys before login, private
 * keys too after it). When the token shows no key objects at all before login, a certificate is assumed to have
 * a key under its own CKA_ID unless it is a CA certificate; the assumption is checked at login.
 */
export function pairCertificatesWithKeys(certificates: readonly CertificateObject[], keys: readonly KeyObject[]): PairedCertificate[] {
  return certificates.map((certificate) => {
    if (certificate.id && keys.some((key) => key.id === certificate.id)) return { certificate, keyId: certificate.id, pairedBy: "id" };
    const publicKey = certificatePublicKey(certificate.der);
    const match = keys.find((key) => sameKey(publicKey, key));
    if (match) return { certificate, keyId: match.id, pairedBy: "publicKey" };
    if (keys.length === 0 && !isCaCertificate(certificate.der)) return { certificate, keyId: certificate.id, pairedBy: "assumed" };
    return { certificate, keyId: null, pairedBy: null };
  });
}

function isCaCertificate(der: Uint8Array): boolean {
  try {
    return new X509Certificate(der).ca;
  } catch {
    return false;
  }
}

/** After login: the private key for a certificate, by id first, then by public key. */
export function choosePrivateKey(publicKey: CertificatePublicKey, byId: readonly KeyObject[], all: () => readonly KeyObject[]): KeyObject | undefined {
  const withSameKey = byId.find((key) => !key.modulus && !key.ecPoint ? true : sameKey(publicKey, key));
  if (withSameKey) return withSameKey;
  return all().find((key) => sameKey(publicKey, key));
}
