/**
 * Adapters to the bridge's `SigningPort` (main/core/bridge/signing-port.ts), declared structurally so the formats do
 * not import the bridge. The TSA comes from settings/policy through `timestampAuthority()`, read at each signature.
 *
 * - `workerSigningPort` is what the core uses: every item that carries a document is read and signed in a bounded
 *   document worker (worker/document-workers.ts); a bare hash has nothing to parse and is handled in place.
 * - `signingPort` runs the same code in the calling thread: for tests and tools that want no worker.
 */
import type { SigningFormat } from "../app-info.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { DocumentDescription } from "../../domain/document-description.js";
import type { HashAlgorithm } from "../../domain/hash-algorithm.js";
import type { Signer } from "../../domain/signer.js";
import { KysoError } from "../../domain/errors/index.js";
import { describe } from "./describe.js";
import { prepareItem, type CandidateKey, type PreparedItem } from "./prepare.js";
import type { SigningRequestInput } from "./request.js";
import { sign } from "./sign.js";
import type { SignOutput, TimestampAuthority } from "./types.js";
import { createDocumentWorkers, type DocumentWorkers, type DocumentWorkersOptions } from "./worker/document-workers.js";

export interface SigningPortItem {
  readonly format: SigningFormat;
  readonly document?: Uint8Array;
  readonly hash?: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface FormatsSigningPort {
  prepare(item: SigningPortItem, candidates: readonly CertificateInfo[]): Promise<PreparedItem>;
  sign(item: SigningPortItem, signer: Signer, context: { readonly signingTime: Date }): Promise<{ signature?: Uint8Array; document?: Uint8Array }>;
}

export interface PortSettings {
  readonly timestampAuthority?: () => TimestampAuthority | undefined;
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

export function candidateKeys(candidates: readonly CertificateInfo[]): CandidateKey[] {
  return candidates.map((c) => ({
    id: c.id,
    certificate: Buffer.from(c.certificate, "base64"),
    chain: c.chain.map((der) => Buffer.from(der, "base64")),
    keyAlgorithm: c.keyAlgorithm,
  }));
}

function toOutput(result: SignOutput): { signature?: Uint8Array; document?: Uint8Array } {
  return result.kind === "signature" ? { signature: result.signature } : { document: result.document };
}

/** In the calling thread (tests, tools): no CPU or memory bound. */
export function signingPort(settings: PortSettings = {}): FormatsSigningPort & { describe(item: SigningPortItem): Promise<DocumentDescription> } {
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
    async prepare(item, candidates) {
      try {
        return await prepareItem(toRequest(item), candidateKeys(candidates), { timestampAuthority: settings.timestampAuthority?.() !== undefined });
      } catch (error) {
        if (error instanceof KysoError && error.code !== "internal") throw error;
        throw new KysoError("document_invalid", (error as Error).message);
      }
    },
    async sign(item, signer, context) {
      const tsa = settings.timestampAuthority?.();
      return toOutput(await sign(toRequest(item), signer, { signingTime: context.signingTime, ...(tsa ? { timestampAuthority: tsa } : {}) }));
    },
  };
}

/** The core's port: documents go to the bounded workers. `close()` ends them. */
export function workerSigningPort(settings: PortSettings & { readonly workers?: DocumentWorkersOptions } = {}): FormatsSigningPort & {
  readonly workers: DocumentWorkers;
  close(): Promise<void>;
} {
  const inPlace = signingPort(settings);
  const workers = createDocumentWorkers(settings.workers);
  const hasDocument = (item: SigningPortItem): boolean => item.document !== undefined;
  return {
    workers,
    prepare(item, candidates) {
      if (!hasDocument(item)) return inPlace.prepare(item, candidates);
      return workers.prepare(toRequest(item), candidateKeys(candidates), settings.timestampAuthority?.() !== undefined);
    },
    async sign(item, signer, context) {
      if (!hasDocument(item)) return inPlace.sign(item, signer, context);
      const tsa = settings.timestampAuthority?.();
      return toOutput(await workers.sign(toRequest(item), signer, { signingTime: context.signingTime, ...(tsa ? { timestampAuthority: tsa } : {}) }));
    },
    close: () => workers.close(),
  };
}
