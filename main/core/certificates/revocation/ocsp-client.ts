/**
 * One OCSP exchange: build the request, POST it (application/ocsp-request) through boundedFetch, validate the
 * answer. A SHA-1 CertID is tried only after the responder failed to recognise a SHA-256 one (see ocsp-request.ts).
 */
import type * as pkijs from "pkijs";
import { boundedFetch, type FetchOptions } from "./bounded-fetch.js";
import { buildOcspRequest, type CertIdHash } from "./ocsp-request.js";
import { checkOcspResponse, type OcspAnswer } from "./ocsp-response.js";

/** OCSP responses are small (one SingleResponse, perhaps a responder certificate); more is not an answer. */
export const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_OCSP_TIMEOUT_MS = 10_000;

export interface OcspQueryOptions extends FetchOptions {
  readonly now: () => Date;
  readonly clockSkewMs?: number;
  /** "auto": SHA-256, then SHA-1 if the responder did not recognise it; or one fixed hash. */
  readonly certIdHash?: "auto" | CertIdHash;
  readonly nonce?: boolean;
}

export interface OcspQueryResult extends OcspAnswer {
  readonly url: string;
  /** The DER response that gave `status` (present whenever a response was received). */
  readonly evidence?: Uint8Array;
}

export async function queryOcsp(
  url: string,
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  options: OcspQueryOptions,
): Promise<OcspQueryResult> {
  const mode = options.certIdHash ?? "auto";
  const first = await queryOnce(url, certificate, issuer, mode === "sha1" ? "sha1" : "sha256", options);
  if (mode !== "auto" || !unrecognised(first)) return first;
  const second = await queryOnce(url, certificate, issuer, "sha1", options);
  return second.status === "error" && first.status !== "error" ? first : { ...second, notes: [...second.notes, "sha1-cert-id"] };
}

/** Answers a responder gives when it indexes only SHA-1 CertIDs. */
function unrecognised(answer: OcspQueryResult): boolean {
  return (
    answer.status === "unknown" ||
    answer.detail === "cert-id-mismatch" ||
    (answer.detail === "responder-status" && (answer.responseStatus === 1 || answer.responseStatus === 6))
  );
}

async function queryOnce(
  url: string,
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  hash: CertIdHash,
  options: OcspQueryOptions,
): Promise<OcspQueryResult> {
  const request = buildOcspRequest(certificate, issuer, { hash, nonce: options.nonce ?? true });
  const reply = await boundedFetch(
    url,
    { method: "POST", body: request.der, contentType: "application/ocsp-request", accept: "application/ocsp-response" },
    options,
  );
  if (!reply.ok) return { status: "error", detail: reply.detail, message: reply.message, notes: [], url };
  const answer = checkOcspResponse({
    response: reply.body,
    issuer,
    certId: request.certId,
    ...(request.nonceExtnValue ? { nonceExtnValue: request.nonceExtnValue } : {}),
    now: options.now(),
    ...(options.clockSkewMs !== undefined ? { clockSkewMs: options.clockSkewMs } : {}),
  });
  return { ...answer, url, evidence: reply.body };
}
