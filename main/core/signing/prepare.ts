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
 * The certificate's content matters to one rule only: the MST a tax declaration or an e-invoice names must be the
 * certificate's (`identityMismatch`, certificates/vn-identifiers.ts). That rule is applied to every candidate here,
 * without a dry run; the dry run then runs once per key kind (RSA size, EC curve) among the candidates the rule
 * accepts, since nothing else in a format depends on which certificate of a key kind signs. A candidate that cannot
 * sign this item is returned with its reason (a mismatch is `tax_code_mismatch` with both codes).
 */
import { DIGEST_LENGTH } from "../../domain/hash-algorithm.js";
import type { DocumentDescription } from "../../domain/document-description.js";
import type { KeyAlgorithm, Signer, SignatureValue } from "../../domain/signer.js";
import { KysoError, toKysoError, transferable, type ErrorPayload } from "../../domain/errors/kyso-error.js";
import { certificateIdentifiers, identityMismatch, identityMismatchError } from "../certificates/vn-identifiers.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import { describe } from "./describe.js";
import type { LongTermData } from "./long-term/validation-data.js";
import { planSignature } from "./plan.js";
import { isLongTerm, isTimestamped, parseSigningRequest, type SignatureLevel, type SigningRequest, type SigningRequestInput } from "./request.js";
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
  /** Whether settings or policy name a timestamp authority (levels B-T and above need one). */
  readonly timestampAuthority: boolean;
  /**
   * Levels B-LT/B-LTA: per candidate id, the validation data the port gathered (in the core's thread, through the
   * revocation service) or the typed error gathering met. A candidate without an entry cannot sign B-LT.
   */
  readonly longTerm?: Readonly<Record<string, LongTermOutcome>>;
}

export type LongTermOutcome = { readonly data: LongTermData } | { readonly error: ErrorPayload };

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

export async function prepareItem(input: SigningRequestInput, candidates: readonly CandidateKey[], options: PrepareOptions): Promise<PreparedItem> {
  const request = parseSigningRequest(input);
  const description = await describe(input);
  const level = levelOf(request);
  if (isTimestamped(level) && !options.timestampAuthority) {
    throw new KysoError("timestamp_failed", `level ${level} needs a timestamp authority in KySo's settings or policy, and none is configured`, { reason: "no_tsa" });
  }
  const longTerm = isLongTerm(level);
  const refused: CandidateRefusal[] = [];
  const outcomes = new Map<string, ErrorPayload | null>();
  const signerTaxCode = description.kind === "xml" ? description.signerTaxCode : undefined;
  for (const candidate of candidates) {
    const mismatch = signerTaxCode === undefined ? undefined : identityMismatch(signerTaxCode, certificateIdentifiers(candidate.certificate));
    if (mismatch) {
      refused.push({ certificateId: candidate.id, error: transferable(identityMismatchError(mismatch)) });
      continue;
    }
    // B-LT: a candidate whose revocation data could not be gathered is refused with that error, before any dry run.
    const gathered = longTerm ? options.longTerm?.[candidate.id] : undefined;
    if (longTerm && (!gathered || "error" in gathered)) {
      const error = gathered && "error" in gathered ? gathered.error : transferable(new KysoError("revocation_unavailable", "no validation data was gathered for this certificate", { problems: ["unavailable"] }));
      refused.push({ certificateId: candidate.id, error });
      continue;
    }
    const key = keyKind(candidate.keyAlgorithm);
    let outcome = outcomes.get(key);
    if (outcome === undefined) {
      outcome = await dryRun(request, candidate, gathered && "data" in gathered ? gathered.data : undefined);
      outcomes.set(key, outcome);
    }
    if (outcome) refused.push({ certificateId: candidate.id, error: outcome });
  }
  // After the dry run: a stamp on a page that does not exist has been refused there, with its message.
  const signature = refused.length < candidates.length || candidates.length === 0 ? await planSignature(request) : { format: request.format };
  return { description, refused, signature };
}

async function dryRun(request: SigningRequest, candidate: CandidateKey, longTerm: LongTermData | undefined): Promise<ErrorPayload | null> {
  try {
    // The dry run never contacts a TSA (dryRun leaves the tokens out): the timestamp is the one step that is
    // allowed to fail after the PIN. The long-term steps (DSS, CertificateValues, RevocationValues) do run.
    await sign(request as SigningRequestInput, standInSigner(candidate), { signingTime: new Date(), dryRun: true, ...(longTerm ? { longTerm } : {}) });
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

/** The level a request asks for (formats without levels are B-B). */
export function levelOf(request: SigningRequest): SignatureLevel {
  if (request.format === "pades" || request.format === "cms" || request.format === "xades") return request.options.level ?? "B-B";
  return "B-B";
}
