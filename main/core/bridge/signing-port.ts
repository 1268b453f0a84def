/**
 * What the bridge needs from the signing formats (main/core/signing): read a document for the approval screen,
 * and sign it with an opened signer. Kept as a small port so the bridge and its tests do not depend on how the
 * formats are built; `builtinSigning` covers `raw` until (and besides) the formats module.
 */
import { createHash } from "node:crypto";
import type { SigningFormat } from "../app-info.js";
import type { DocumentDescription } from "../domain/document-description.js";
import { DIGEST_LENGTH, NODE_HASH_NAME, type HashAlgorithm } from "../domain/hash-algorithm.js";
import { defaultScheme, type Signer } from "../domain/signer.js";
import { KysoError } from "../errors/kyso-error.js";

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

export interface SigningPort {
  /** KySo's own reading of the item (never the page's words); throws `document_invalid` for unreadable input. */
  describe(item: SignItem): Promise<DocumentDescription>;
  sign(item: SignItem, signer: Signer, context: { readonly signingTime: Date }): Promise<SignOutput>;
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

const PREVIEW_CHARS = 2000;

function textPreview(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, PREVIEW_CHARS * 4)).slice(0, PREVIEW_CHARS);
  } catch {
    return undefined;
  }
}

function digestOf(item: SignItem): Uint8Array {
  if (item.hash) {
    if (item.hash.length !== DIGEST_LENGTH[item.hashAlgorithm]) {
      throw new KysoError("invalid_params", `${item.hashAlgorithm} hash must be ${DIGEST_LENGTH[item.hashAlgorithm]} bytes`);
    }
    return item.hash;
  }
  return createHash(NODE_HASH_NAME[item.hashAlgorithm]).update(item.document ?? new Uint8Array()).digest();
}

/** `raw`: a bare signature value over the hash (given, or of the document), PKCS#1 v1.5 or ECDSA (DER). */
export function builtinSigning(): SigningPort {
  return {
    // A generic reading (hash, or size + SHA-256 + text preview) for every format: the formats module's
    // describe() replaces it with a PDF/XML-aware one.
    async describe(item) {
      if (item.hash) return { kind: "hash", hashAlgorithm: item.hashAlgorithm, hex: Buffer.from(digestOf(item)).toString("hex") };
      const document = item.document ?? new Uint8Array();
      const preview = textPreview(document);
      return {
        kind: "data",
        size: document.length,
        sha256: createHash("sha256").update(document).digest("hex"),
        ...(preview !== undefined ? { textPreview: preview } : {}),
      };
    },
    async sign(item, signer) {
      if (item.format !== "raw") throw new KysoError("signing_failed", `format ${item.format} is not available in this build`);
      const result = await signer.signDigest({ hashAlgorithm: item.hashAlgorithm, digest: digestOf(item), scheme: defaultScheme(signer.keyAlgorithm) });
      return { signature: result.value };
    },
  };
}
