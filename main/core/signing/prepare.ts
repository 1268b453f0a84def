/**
 * Everything a request can fail, run before the approval opens (threat model: "after the PIN, only the token or
 * the TSA can fail").
 *
 * `prepareItem` reads the document (KySo's own description for the approval screen) and then runs the whole
 * format once with a stand-in signer: the real candidate certificate and chain, a key that answers with a
 * signature of the right length and no cryptography. Whatever the format would throw after the PIN (a stamp on a
 * page that does not exist, an Id that does not resolve, a seller MST that is not the certificate's, a scheme the
 * key cannot do) is thrown here instead, typed, while the page can still be told and no approval is shown.
 *
 * Only the candidates a format cares about are tried: one per key kind (RSA, EC) in general, every candidate
 * where the format checks the certificate's content (`vn-einvoice` compares the seller's MST). A candidate that
 * cannot sign this item is returned with its reason; the request fails only when none can.
 */
import { DIGEST_LENGTH } from "../../domain/hash-algorithm.js";
import type { DocumentDescription } from "../../domain/document-description.js";
import type { KeyAlgorithm, Signer, SignatureValue } from "../../domain/signer.js";
import { KysoError, toKysoError, transferable, type ErrorPayload } from "../../domain/errors/kyso-error.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import { describe } from "./describe.js";
import { planSignature } from "./plan.js";
import { parseSigningRequest, type SigningRequest, type SigningRequestInput } from "./request.js";
import { sign } from "./sign.js";

/** A certificate the user could choose, as the stand-in needs it (no private key, no token). */
export interface CandidateKey {
  readonly id: string;
  /** DER. */
  readonly certificate: Uint8Array;
  /** DER, nearest issuer first. */
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
}

export interface PrepareOptions {
  /** Whether settings or policy name a timestamp authority (level B-T needs one). */
  readonly timestampAuthority: boolean;
}

export interface CandidateRefusal {
  readonly certificateId: string;
  readonly error: ErrorPayload;
}

export interface PreparedItem {
  readonly description: DocumentDescription;
  /** Candidates that cannot sign this item, with the error signing would have given after the PIN. */
  readonly refused: readonly CandidateRefusal[];
  /** What the signature will carry (level, reason, location, stamp), for the approval screen. */
  readonly signature: SignaturePlan;
}

/** Formats whose outcome depends on what the certificate says (not only on its key kind). */
const CERTIFICATE_CONTENT_FORMATS: ReadonlySet<SigningRequest["format"]> = new Set(["vn-einvoice"]);

/** More candidates than this are tried by key kind only: a token with dozens of certificates must not multiply the work. */
export const MAX_CONTENT_CHECKED_CANDIDATES = 8;

export async function prepareItem(input: SigningRequestInput, candidates: readonly CandidateKey[], options: PrepareOptions): Promise<PreparedItem> {
  const request = parseSigningRequest(input);
  const description = await describe(input);
  if (needsTimestamp(request) && !options.timestampAuthority) {
    throw new KysoError("timestamp_failed", "level B-T needs a timestamp authority in KySo's settings or policy, and none is configured", { reason: "no_tsa" });
  }
  // The dry run never contacts a TSA: the timestamp is the one step that is allowed to fail after the PIN.
  const dryRequest = withoutTimestamp(request);
  const refused: CandidateRefusal[] = [];
  const outcomes = new Map<string, ErrorPayload | null>();
  const contentMatters = CERTIFICATE_CONTENT_FORMATS.has(request.format);
  for (const [index, candidate] of candidates.entries()) {
    const key = contentMatters && index < MAX_CONTENT_CHECKED_CANDIDATES ? candidate.id : keyKind(candidate.keyAlgorithm);
    let outcome = outcomes.get(key);
    if (outcome === undefined) {
      outcome = await dryRun(dryRequest, candidate);
      outcomes.set(key, outcome);
    }
    if (outcome) refused.push({ certificateId: candidate.id, error: outcome });
  }
  // After the dry run: a stamp on a page that does not exist has been refused there, with its message.
  const signature = refused.length < candidates.length || candidates.length === 0 ? await planSignature(request) : { format: request.format };
  return { description, refused, signature };
}

async function dryRun(request: SigningRequest, candidate: CandidateKey): Promise<ErrorPayload | null> {
  try {
    await sign(request as SigningRequestInput, standInSigner(candidate), { signingTime: new Date() });
    return null;
  } catch (thrown) {
    const error = toKysoError(thrown);
    // A format that breaks on this input would break the same way after the PIN: to the user it is a document
    // KySo cannot sign, said now. The cause stays in the detail for diagnostics.
    return transferable(error.code === "internal" ? new KysoError("document_invalid", error.message) : error);
  }
}

/** The candidate's certificate with a key that signs nothing: right lengths, no cryptography, never the token. */
export function standInSigner(candidate: CandidateKey): Signer {
  return {
    certificate: candidate.certificate,
    chain: candidate.chain,
    keyAlgorithm: candidate.keyAlgorithm,
    async signDigest(request): Promise<SignatureValue> {
      if (request.digest.length !== DIGEST_LENGTH[request.hashAlgorithm]) {
        throw new KysoError("invalid_params", `a ${request.hashAlgorithm} digest has ${DIGEST_LENGTH[request.hashAlgorithm]} bytes, not ${request.digest.length}`);
      }
      return placeholderSignature(candidate.keyAlgorithm);
    },
  };
}

const CURVE_BYTES = { "P-256": 32, "P-384": 48, "P-521": 66 } as const;

function placeholderSignature(key: KeyAlgorithm): SignatureValue {
  if (key.kind === "rsa") {
    const value = new Uint8Array(Math.ceil(key.modulusBits / 8)).fill(0x5a);
    return { value, raw: value };
  }
  const n = CURVE_BYTES[key.curve];
  // The longest DER ECDSA-Sig-Value for the curve (both integers with a leading zero), so size reserves hold.
  const integer = [0x02, n + 1, 0x00, ...new Array<number>(n).fill(0x5a)];
  const body = [...integer, ...integer];
  const value = Uint8Array.from(body.length < 128 ? [0x30, body.length, ...body] : [0x30, 0x81, body.length, ...body]);
  return { value, raw: new Uint8Array(2 * n).fill(0x5a) };
}

function keyKind(key: KeyAlgorithm): string {
  return key.kind === "rsa" ? `rsa-${key.modulusBits}` : `ec-${key.curve}`;
}

function needsTimestamp(request: SigningRequest): boolean {
  return (request.format === "pades" || request.format === "cms") && request.options.level === "B-T";
}

function withoutTimestamp(request: SigningRequest): SigningRequest {
  if (request.format === "pades" && request.options.level === "B-T") return { ...request, options: { ...request.options, level: "B-B" } };
  if (request.format === "cms" && request.options.level === "B-T") return { ...request, options: { ...request.options, level: "B-B" } };
  return request;
}
