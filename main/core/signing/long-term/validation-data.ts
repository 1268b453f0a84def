/**
 * Validation data for the long-term levels (B-LT, B-LTA): the certificates of a chain and, for each certificate
 * that is not a self-signed root, the OCSP response or CRL that says it was not revoked. Collected by
 * `collectRevocationData` (certificates/revocation/revocation-data.ts, the same function that builds a signature's
 * evidence) through the revocation service, so only CA-published or policy URLs are asked, the service's cache
 * (filled by the approval's own checks) and timeouts apply, and offline mode answers from the cache only.
 *
 * Collected before the approval opens (signing-port.ts → `gatherLongTermData`): a responder that cannot answer
 * must fail the request while the page can still be told, never after the PIN. What was fetched then is what goes
 * into the signature, even when its nextUpdate passes while the user reads the approval: it was current when the
 * certificate was checked, which is what a validator asks of data proving the status at signing time.
 */
import type { RevocationResult } from "../../certificates/revocation/types.js";
import { collectRevocationData, isSelfIssued, mergeValidationData, type ValidationData } from "../../certificates/revocation/revocation-data.js";
import { KysoError } from "../../../domain/errors/index.js";

export { isSelfIssued, mergeValidationData, type ValidationData };

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
  const leafSelfIssued = chain[0] !== undefined && isSelfIssued(chain[0]);
  const data = await collectRevocationData(chain, (certificate, issuer) => (certificate === chain[0] && leafSelfIssued ? undefined : lookup.check(certificate, issuer)));
  const answers = [...(data.result ? [{ certificate: chain[0]!, result: data.result, leaf: true }] : []), ...data.intermediates.map((a) => ({ ...a, leaf: false }))];
  for (const { certificate, result, leaf } of answers) {
    const who = `${role === "tsa" ? "the timestamp authority's" : "the signer's"} ${leaf ? "certificate" : `CA certificate #${chain.indexOf(certificate)}`}`;
    if (result.status === "revoked") {
      throw new KysoError("revocation_unavailable", `${who} is revoked${result.revokedAt ? ` since ${result.revokedAt.toISOString()}` : ""}`, { problems: ["revoked"] });
    }
    if (result.status === "good" && result.evidence) continue;
    if (!leaf && result.status === "error" && result.detail === "no-url") continue;
    const problem = result.detail === "offline" ? "offline" : result.status === "unknown" ? "unknown" : "unavailable";
    throw new KysoError(
      "revocation_unavailable",
      `no OCSP response or CRL for ${who} (${result.status}${result.detail ? `, ${result.detail}` : ""}${result.message ? `: ${result.message}` : ""})`,
      { problems: [problem] },
    );
  }
  return { certificates: data.certificates, ocspResponses: data.ocspResponses, crls: data.crls };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
