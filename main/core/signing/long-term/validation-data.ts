/**
 * Validation data for the long-term levels (B-LT, B-LTA): the certificates of a chain and, for each certificate
 * that is not a self-signed root, the OCSP response or CRL that says it was not revoked. Fetched through the
 * revocation service (main/core/certificates/revocation), so only CA-published or policy URLs are asked, the
 * service's cache and timeouts apply, and offline mode answers from the cache only.
 *
 * Collected before the approval opens (signing-port.ts → `gatherLongTermData`): a responder that cannot answer
 * must fail the request while the page can still be told, never after the PIN. What was fetched then is what goes
 * into the signature, even when its nextUpdate passes while the user reads the approval: it was current when the
 * certificate was checked, which is what a validator asks of data proving the status at signing time.
 */
import { createHash } from "node:crypto";
import * as pkijs from "pkijs";
import type { RevocationResult } from "../../certificates/revocation/types.js";
import { KysoError } from "../../../domain/errors/index.js";

/** DER values, deduplicated, in the order found. */
export interface ValidationData {
  readonly certificates: readonly Uint8Array[];
  /** Complete OCSPResponse values (RFC 6960 §4.2.1), as the responder sent them. */
  readonly ocspResponses: readonly Uint8Array[];
  /** CertificateList values. */
  readonly crls: readonly Uint8Array[];
}

/** What the long-term levels need, gathered before the approval and handed to sign() in its context. */
export interface LongTermData {
  readonly validation: ValidationData;
  /** The TSA certificate the pre-approval probe saw: a timestamp from another key is refused after the PIN. */
  readonly tsaCertificate?: Uint8Array;
}

/** The revocation service's `check`, as a port (tests and the core pass a RevocationService). */
export interface RevocationLookup {
  check(certificate: Uint8Array, issuer: Uint8Array | undefined): Promise<RevocationResult>;
}

export type ChainRole = "signer" | "tsa";

/**
 * Validation data for `chain` (leaf first, each certificate's issuer after it). The leaf must get an OCSP response
 * or CRL saying "good"; an intermediate that names no revocation source (no AIA OCSP, no CRL distribution point,
 * no policy URL) is carried without one, any other intermediate must get one too. A self-signed root needs none.
 * Refusals: a revoked certificate, or no usable answer, is `revocation_unavailable` with `data.problems`.
 */
export async function collectChainValidationData(chain: readonly Uint8Array[], lookup: RevocationLookup, role: ChainRole): Promise<ValidationData> {
  if (chain.length === 0) throw new Error("an empty chain has no validation data");
  const checks = chain.map((certificate, index) => (isSelfIssued(certificate) ? undefined : lookup.check(certificate, chain[index + 1])));
  const results = await Promise.all(checks);
  const ocspResponses: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  results.forEach((result, index) => {
    if (!result) return;
    const leaf = index === 0;
    const who = `${role === "tsa" ? "the timestamp authority's" : "the signer's"} ${leaf ? "certificate" : `CA certificate #${index}`}`;
    if (result.status === "revoked") {
      throw new KysoError("revocation_unavailable", `${who} is revoked${result.revokedAt ? ` since ${result.revokedAt.toISOString()}` : ""}`, { problems: ["revoked"] });
    }
    if (result.status === "good" && result.evidence) {
      (result.source === "crl" ? crls : ocspResponses).push(result.evidence);
      return;
    }
    if (!leaf && result.status === "error" && result.detail === "no-url") return;
    const problem = result.detail === "offline" ? "offline" : result.status === "unknown" ? "unknown" : "unavailable";
    throw new KysoError(
      "revocation_unavailable",
      `no OCSP response or CRL for ${who} (${result.status}${result.detail ? `, ${result.detail}` : ""}${result.message ? `: ${result.message}` : ""})`,
      { problems: [problem] },
    );
  });
  return { certificates: unique(chain), ocspResponses: unique(ocspResponses), crls: unique(crls) };
}

export function mergeValidationData(...parts: readonly ValidationData[]): ValidationData {
  return {
    certificates: unique(parts.flatMap((p) => p.certificates)),
    ocspResponses: unique(parts.flatMap((p) => p.ocspResponses)),
    crls: unique(parts.flatMap((p) => p.crls)),
  };
}

/** Subject equals issuer (byte for byte): a root, whose status no one else can vouch for. */
export function isSelfIssued(certificate: Uint8Array): boolean {
  try {
    const cert = pkijs.Certificate.fromBER(certificate);
    return Buffer.from(cert.subject.toSchema().toBER()).equals(Buffer.from(cert.issuer.toSchema().toBER()));
  } catch {
    return false;
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function unique(values: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const value of values) {
    const key = createHash("sha256").update(value).digest("hex");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}
