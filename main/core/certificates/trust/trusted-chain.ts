/**
 * Chain from a certificate to a trust anchor. Issuers are recognised by signature (node:crypto checkIssued +
 * verify), never by name; intermediates must be CA certificates valid at `now`. Candidates come from the caller
 * (token, policy, bundle) and, when an AiaIssuerFetcher is given, from the AIA caIssuers URLs of the certificate
 * being extended. The result names the anchor (and the national root it is, if any).
 */
import type { X509Certificate } from "node:crypto";
import { parsedX509 } from "../der-memo.js";
import type { AiaIssuerFetcher } from "./aia-issuers.js";
import { fingerprint, type TrustAnchor } from "./anchor-store.js";

/** Real Vietnamese chains have 2-3 levels. */
export const MAX_CHAIN_DEPTH = 8;

export interface TrustedChainOptions {
  readonly anchors: readonly TrustAnchor[];
  /** Intermediates from the token, the policy or the bundle (DER). */
  readonly intermediates?: readonly Uint8Array[];
  readonly aia?: AiaIssuerFetcher;
  readonly now?: Date;
}

export type TrustedChain =
  | {
      readonly trusted: true;
      /** Issuers nearest first; the last one is the anchor's certificate. */
      readonly chain: readonly Uint8Array[];
      readonly anchor: TrustAnchor;
      /** Intermediates that came from AIA caIssuers. */
      readonly fetched: readonly Uint8Array[];
    }
  | {
      readonly trusted: false;
      readonly chain: readonly Uint8Array[];
      readonly reason: "no-anchor" | "too-deep" | "unreadable";
      readonly fetched: readonly Uint8Array[];
    };

interface Candidate {
  readonly der: Uint8Array;
  readonly parsed: X509Certificate;
  readonly fingerprint: string;
}

export async function buildTrustedChain(certificate: Uint8Array, options: TrustedChainOptions): Promise<TrustedChain> {
  const now = (options.now ?? new Date()).getTime();
  let current: X509Certificate;
  try {
    current = parsedX509(certificate);
  } catch {
    return { trusted: false, chain: [], reason: "unreadable", fetched: [] };
  }
  const anchors = options.anchors.flatMap((anchor) => {
    try {
      return [{ anchor, parsed: parsedX509(anchor.der) }];
    } catch {
      return [];
    }
  });
  const pool: Candidate[] = [];
  const addToPool = (ders: readonly Uint8Array[]): void => {
    for (const der of ders) {
      const fp = fingerprint(der);
      if (pool.some((item) => item.fingerprint === fp)) continue;
      try {
        pool.push({ der, parsed: parsedX509(der), fingerprint: fp });
      } catch {
        // an unreadable candidate cannot be an issuer
      }
    }
  };
  addToPool(options.intermediates ?? []);
  const chain: Uint8Array[] = [];
  const fetched: Uint8Array[] = [];
  const seen = new Set<string>([fingerprint(certificate)]);
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    const subject = current;
    const byAnchor = anchors.find((item) => issued(item.parsed, subject));
    if (byAnchor) {
      // The anchor itself ends the chain (it may be the certificate's own issuer or a self-signed root).
      if (!seen.has(byAnchor.anchor.fingerprintSha256)) chain.push(byAnchor.anchor.der);
      return { trusted: true, chain, anchor: byAnchor.anchor, fetched };
    }
    const usable = (item: Candidate): boolean =>
      !seen.has(item.fingerprint) &&
      item.parsed.ca &&
      now >= Date.parse(item.parsed.validFrom) &&
      now <= Date.parse(item.parsed.validTo) &&
      issued(item.parsed, subject);
    let next = pool.find(usable);
    if (!next && options.aia) {
      const found = await options.aia.issuersOf(new Uint8Array(subject.raw));
      const before = pool.length;
      addToPool(found);
      fetched.push(...pool.slice(before).map((item) => item.der));
      next = pool.find(usable);
    }
    if (!next) return { trusted: false, chain, reason: "no-anchor", fetched };
    chain.push(next.der);
    seen.add(next.fingerprint);
    current = next.parsed;
  }
  return { trusted: false, chain, reason: "too-deep", fetched };
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
