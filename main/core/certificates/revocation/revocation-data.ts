/**
 * The revocation data of a certificate chain, collected in one place for both uses: the evidence kept with every
 * signature (evidence-store.ts, from the approval's own checks: nothing fetched again) and the long-term levels
 * (signing/long-term: PAdES B-LT DSS, CAdES revocation values, XAdES B-LT, through the revocation service and its
 * cache, which the approval's checks filled). Both go through `collectRevocationData`, so what is kept as evidence
 * and what a B-LT signature embeds are the same bytes for the same chain.
 */
import { createHash } from "node:crypto";
import * as pkijs from "pkijs";
import type { RevocationResult } from "./types.js";
import { memoByDer } from "../der-memo.js";

/** DER values, deduplicated, in the order found. */
export interface ValidationData {
  readonly certificates: readonly Uint8Array[];
  /** Complete OCSPResponse values (RFC 6960 §4.2.1), as the responder sent them. */
  readonly ocspResponses: readonly Uint8Array[];
  /** CertificateList values. */
  readonly crls: readonly Uint8Array[];
}

/** One certificate of the chain and the answer about it (the evidence says which certificate each answer is for). */
export interface CertificateAnswer {
  /** DER of the certificate the answer is about. */
  readonly certificate: Uint8Array;
  readonly result: RevocationResult;
}

export interface RevocationData extends ValidationData {
  /** The signer's own check; absent when none was made (policy `revocationCheck: "off"`). */
  readonly result?: RevocationResult;
  /** The answers about the chain's CA certificates (intermediates), each with its certificate; roots have none. */
  readonly intermediates: readonly CertificateAnswer[];
}

/** Where an answer comes from: the approval's results (evidence) or the revocation service (long-term levels). */
export type AnswerOf = (certificate: Uint8Array, issuer: Uint8Array | undefined) => Promise<RevocationResult | undefined> | RevocationResult | undefined;

/** The OCSP response or CRL of an answer, when it is usable (good, revoked, unknown); none for an error. */
export function usableEvidence(result: RevocationResult | undefined): { readonly ocsp?: Uint8Array; readonly crl?: Uint8Array } {
  if (!result || result.status === "error" || !result.evidence) return {};
  return result.source === "crl" ? { crl: result.evidence } : result.source === "ocsp" ? { ocsp: result.evidence } : {};
}

/**
 * `chain`: the signer's certificate first, then each certificate's issuer after it (DER). The signer and every CA
 * certificate that is not self-issued is answered by `answerOf(certificate, its issuer)` (a root's status no one
 * else can vouch for);
 * the usable OCSP responses and CRLs of all of them are collected, deduplicated, and each answer is kept with the
 * certificate it is about.
 */
export async function collectRevocationData(chain: readonly Uint8Array[], answerOf: AnswerOf): Promise<RevocationData> {
  if (chain.length === 0) throw new Error("an empty chain has no revocation data");
  // The signer is always asked (a self-signed signer still has the approval's answer); a self-issued CA is a root.
  const results = await Promise.all(chain.map(async (certificate, index) => (index > 0 && isSelfIssued(certificate) ? undefined : answerOf(certificate, chain[index + 1]))));
  const ocspResponses: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const intermediates: CertificateAnswer[] = [];
  results.forEach((result, index) => {
    const { ocsp, crl } = usableEvidence(result);
    if (ocsp) ocspResponses.push(ocsp);
    if (crl) crls.push(crl);
    if (index > 0 && result) intermediates.push({ certificate: chain[index]!, result });
  });
  const signer = results[0];
  return { certificates: unique(chain), ocspResponses: unique(ocspResponses), crls: unique(crls), ...(signer ? { result: signer } : {}), intermediates };
}

/** Answers already in hand, by the SHA-256 of the certificate they are about (the evidence path: no fetching). */
export function knownAnswers(answers: ReadonlyMap<string, RevocationResult>): AnswerOf {
  return (certificate) => answers.get(sha256Hex(certificate));
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function mergeValidationData(...parts: readonly ValidationData[]): ValidationData {
  return {
    certificates: unique(parts.flatMap((p) => p.certificates)),
    ocspResponses: unique(parts.flatMap((p) => p.ocspResponses)),
    crls: unique(parts.flatMap((p) => p.crls)),
  };
}

/** Subject equals issuer (byte for byte): a root, whose status no one else can vouch for. */
/** Read once per certificate (der-memo.ts): the evidence of every signature asks it of the same chain. */
export const isSelfIssued: (certificate: Uint8Array) => boolean = memoByDer((certificate) => {
  try {
    const cert = pkijs.Certificate.fromBER(certificate);
    return Buffer.from(cert.subject.toSchema().toBER()).equals(Buffer.from(cert.issuer.toSchema().toBER()));
  } catch {
    return false;
  }
});

export function unique(values: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const value of values) {
    const key = sha256Hex(value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}
