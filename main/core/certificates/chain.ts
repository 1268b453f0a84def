/**
 * Issuer chain of a certificate from the CA certificates found on tokens and the configured trust anchors.
 * Issuers are recognised by signature (node:crypto `checkIssued` + `verify`), never by matching issuer strings.
 */
import { X509Certificate } from "node:crypto";

/** Longest chain followed; real Vietnamese chains have 2-3 levels. */
const MAX_DEPTH = 8;

/**
 * Issuer certificates (DER), nearest first, without the certificate itself. Stops at a self-signed certificate,
 * when no issuer is found, or at MAX_DEPTH.
 */
export function buildChain(certificate: Uint8Array, candidates: readonly Uint8Array[]): Uint8Array[] {
  return createChainPool(candidates).chainOf(certificate);
}

export interface ChainPool {
  /** Issuer chain of `certificate` (DER), nearest first; see buildChain. */
  chainOf(certificate: Uint8Array): Uint8Array[];
}

/**
 * The candidates parsed once, for many chains: the token service builds every certificate's chain against the
 * same pool (CA certificates on tokens plus trust anchors), and parsing the pool per certificate was most of the
 * cost of a listing.
 */
export function createChainPool(candidates: readonly Uint8Array[]): ChainPool {
  const pool = dedupe(candidates).flatMap((der) => {
    try {
      return [{ der, parsed: new X509Certificate(der) }];
    } catch {
      return [];
    }
  });
  return {
    chainOf(certificate) {
      const chain: Uint8Array[] = [];
      let current = new X509Certificate(certificate);
      const seen = new Set<string>([current.fingerprint256]);
      for (let depth = 0; depth < MAX_DEPTH; depth++) {
        if (isSelfSigned(current)) break;
        const subject = current;
        const issuer = pool.find((candidate) => !seen.has(candidate.parsed.fingerprint256) && issued(candidate.parsed, subject));
        if (!issuer) break;
        chain.push(issuer.der);
        seen.add(issuer.parsed.fingerprint256);
        current = issuer.parsed;
      }
      return chain;
    },
  };
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function isSelfSigned(certificate: X509Certificate): boolean {
  return issued(certificate, certificate);
}

function dedupe(certificates: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return certificates.filter((der) => {
    const key = Buffer.from(der).toString("base64");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
