/**
 * The only sources of revocation and issuer URLs: the certificate's own AIA (OCSP, caIssuers) and CRL
 * distribution points. Non-http(s) entries (ldap://, file://) are dropped here, so nothing downstream can be led
 * to another scheme.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { fetchableUrl } from "./bounded-fetch.js";
import { memoByDer } from "../der-memo.js";

export interface CertificateUrls {
  readonly ocsp: readonly string[];
  readonly crl: readonly string[];
  readonly caIssuers: readonly string[];
}

/** Read once per certificate (der-memo.ts): the chain check asks for every candidate on every request. */
export const certificateUrls: (der: Uint8Array | string) => CertificateUrls = memoByDer(readCertificateUrls);

function readCertificateUrls(der: Uint8Array): CertificateUrls {
  const certificate = new x509.X509Certificate(der);
  const aia = certificate.getExtension(x509.AuthorityInfoAccessExtension);
  const fromNames = (names: readonly x509.GeneralName[] | undefined): string[] =>
    (names ?? []).filter((name) => name.type === "url").map((name) => name.value);
  const cdp = certificate.getExtension(x509.CRLDistributionPointsExtension);
  const crl = (cdp?.distributionPoints ?? []).flatMap((point) =>
    // Only full names: a relative name needs the CRL issuer's DN and is not used by Vietnamese CAs.
    (point.distributionPoint?.fullName ?? []).flatMap((name) => (name.uniformResourceIdentifier ? [name.uniformResourceIdentifier] : [])),
  );
  // Frozen: one answer is shared by every caller.
  return Object.freeze({ ocsp: Object.freeze(onlyHttp(fromNames(aia?.ocsp))), crl: Object.freeze(onlyHttp(crl)), caIssuers: Object.freeze(onlyHttp(fromNames(aia?.caIssuers))) });
}

function onlyHttp(urls: readonly string[]): string[] {
  return [...new Set(urls.filter((url) => fetchableUrl(url) !== undefined))];
}
