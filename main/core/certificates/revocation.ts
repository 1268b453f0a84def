/**
 * Offline revocation check against CRLs the caller already holds (fetched by the revocation service, or shipped
 * with a test). A CRL counts only when its issuer signed it; CRLs come as DER or PEM (NEAC serves PEM).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

export type RevocationStatus = "revoked" | "good" | "unknown";

export function parseCrl(data: Uint8Array | string): x509.X509Crl {
  if (typeof data === "string") return new x509.X509Crl(data);
  const text = Buffer.from(data).subarray(0, 64).toString("latin1");
  return new x509.X509Crl(text.includes("-----BEGIN") ? Buffer.from(data).toString("latin1") : data);
}

/**
 * `revoked` when a CRL from the certificate's issuer lists its serial, `good` when such a CRL does not,
 * `unknown` when no CRL from that issuer was supplied. The CRL signature is checked with `issuer` when given.
 */
export async function revocationStatus(
  certificate: x509.X509Certificate,
  crls: readonly x509.X509Crl[],
  issuer?: x509.X509Certificate,
): Promise<RevocationStatus> {
  let status: RevocationStatus = "unknown";
  for (const crl of crls) {
    if (crl.issuerName.toString() !== certificate.issuerName.toString()) continue;
    if (issuer && !(await crl.verify({ publicKey: issuer.publicKey }).catch(() => false))) continue;
    if (crl.findRevoked(certificate)) return "revoked";
    status = "good";
  }
  return status;
}
