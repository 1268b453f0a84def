/**
 * Adapter to the bridge's `SigningPort` (main/core/bridge/signing-port.ts), declared structurally so the formats do
 * not import the bridge. The TSA comes from settings/policy through `timestampAuthority()`, read at each signature.
 */
import type { SigningFormat } from "../app-info.js";
import type { DocumentDescription } from "../domain/document-description.js";
import type { HashAlgorithm } from "../domain/hash-algorithm.js";
import type { Signer } from "../domain/signer.js";
import { KysoError } from "../errors/index.js";
import { describe } from "./describe.js";
import type { SigningRequestInput } from "./request.js";
import { sign } from "./sign.js";
import type { TimestampAuthority } from "./types.js";

export interface SigningPortItem {
  readonly format: SigningFormat;
  readonly document?: Uint8Array;
  readonly hash?: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface FormatsSigningPort {
  describe(item: SigningPortItem): Promise<DocumentDescription>;
  sign(item: SigningPortItem, signer: Signer, context: { readonly signingTime: Date }): Promise<{ signature?: Uint8Array; document?: Uint8Array }>;
}

function toRequest(item: SigningPortItem): SigningRequestInput {
  return {
    format: item.format,
    hashAlgorithm: item.hashAlgorithm,
    options: item.options,
    ...(item.document ? { document: item.document } : {}),
    ...(item.hash ? { hash: item.hash } : {}),
  } as SigningRequestInput;
}

export function signingPort(settings: { timestampAuthority?: () => TimestampAuthority | undefined } = {}): FormatsSigningPort {
  return {
    async describe(item) {
      try {
        return await describe(toRequest(item));
      } catch (error) {
        // What cannot be read cannot be shown for approval: the page learns "document_invalid", not a stack.
        if (error instanceof KysoError) throw error;
        throw new KysoError("document_invalid", (error as Error).message);
      }
    },
    async sign(item, signer, context) {
      const tsa = settings.timestampAuthority?.();
      const result = await sign(toRequest(item), signer, { signingTime: context.signingTime, ...(tsa ? { timestampAuthority: tsa } : {}) });
      return result.kind === "signature" ? { signature: result.signature } : { document: result.document };
    },
  };
}
