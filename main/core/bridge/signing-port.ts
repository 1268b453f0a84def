/**
 * What the bridge needs from the signing formats (main/core/signing): read a document for the approval screen,
 * and sign it with an opened signer. Kept as a small port so the bridge and its tests do not depend on how the
 * formats are built. The formats module implements it (`signingPort` in main/core/signing) without importing the
 * bridge.
 */
import type { SigningFormat } from "../app-info.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { DocumentDescription } from "../../domain/document-description.js";
import type { ErrorPayload } from "../../domain/errors/kyso-error.js";
import type { HashAlgorithm } from "../../domain/hash-algorithm.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import type { Signer } from "../../domain/signer.js";
import type { RevocationData } from "../certificates/revocation/revocation-data.js";

/** What a format gets besides the item and the signer. */
export interface SignContext {
  readonly signingTime: Date;
  /**
   * The signer's chain and the OCSP response or CRL of the approval's check (never fetched again): what the
   * long-term levels (PAdES B-LT DSS, CAdES revocation values, XAdES B-LT) embed. Absent in callers that made no check.
   */
  readonly revocation?: RevocationData;
}

export interface SignItem {
  readonly format: SigningFormat;
  readonly document?: Uint8Array;
  readonly hash?: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface SignOutput {
  readonly signature?: Uint8Array;
  readonly document?: Uint8Array;
}

export interface PreparedSignItem {
  /** KySo's own reading of the item (never the page's words). */
  readonly description: DocumentDescription;
  /** Candidates that cannot sign this item, with the error signing would give after the PIN. */
  readonly refused: readonly { readonly certificateId: string; readonly error: ErrorPayload }[];
  /** What the signature will carry (main/core/signing/plan.ts); absent from ports that do not plan (test fakes). */
  readonly signature?: SignaturePlan;
}

export interface SigningPort {
  /**
   * Reads the item and runs every check it can fail before the approval opens (main/core/signing/prepare.ts);
   * throws a typed error (`document_invalid`, `document_too_complex`, ...) for what cannot be signed at all.
   */
  prepare(item: SignItem, candidates: readonly CertificateInfo[]): Promise<PreparedSignItem>;
  sign(item: SignItem, signer: Signer, context: SignContext): Promise<SignOutput>;
  /**
   * Every item under one confirmation of a `BatchSigner` (a remote account: one phone prompt for the batch);
   * each item's outcome in order. Absent (test fakes): the session signs item by item.
   */
  signBatch?(items: readonly SignItem[], signer: Signer, context: SignContext): Promise<PromiseSettledResult<SignOutput>[]>;
  /**
   * A trusted portal announced itself (hello, certificate listing): start a document worker now, so its module
   * loading (seconds on a slow desk) is not on the first document's path. Absent: nothing to warm.
   */
  warm?(): void;
}

/** Warms the document workers for a trusted origin only: an unknown page must not make KySo spend memory. */
export function warmForPortal(context: { readonly trust: string; readonly services: { readonly signing: Pick<SigningPort, "warm"> } }): void {
  if (context.trust !== "none") context.services.signing.warm?.();
}

export const MEDIA_TYPES: Readonly<Record<SigningFormat, string>> = {
  raw: "application/octet-stream",
  cms: "application/octet-stream",
  pades: "application/pdf",
  xades: "application/xml",
  xmldsig: "application/xml",
  "vn-tax": "application/xml",
  "vn-einvoice": "application/xml",
};
