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
import { isBatchSigner, type DigestSigningRequest, type SignatureValue, type Signer } from "../../domain/signer.js";
import { KysoError, fromPayload } from "../../domain/errors/index.js";
import { signTogether } from "./batch-together.js";
import { gatherForCandidates } from "./long-term/gather.js";
import type { LongTermData, RevocationLookup } from "./long-term/validation-data.js";
import type * as InPlaceFormatsModule from "./in-place-formats.js";
import type { CandidateKey, LongTermOutcome, PreparedItem } from "./prepare.js";
import { isLongTerm, type SigningRequestInput } from "./request.js";
import type { SignOutput, TimestampAuthority } from "./types.js";
import { withStampImage, type StampImageLookup } from "./stamp-image-options.js";
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
  /** A batch under one confirmation of a `BatchSigner` (batch-together.ts): each item's outcome, in order. */
  signBatch(items: readonly SigningPortItem[], signer: Signer, context: { readonly signingTime: Date }): Promise<PromiseSettledResult<{ signature?: Uint8Array; document?: Uint8Array }>[]>;
}

export interface PortSettings {
  readonly timestampAuthority?: () => TimestampAuthority | undefined;
  /** The core's revocation service (offline mode and cache included): levels B-LT/B-LTA gather through it. */
  readonly revocation?: () => RevocationLookup | undefined;
  /** The user's stamp images per certificate (leader, seal presets): stamp-image-options.ts. */
  readonly stampImages?: StampImageLookup;
}

/**
 * What prepare() gathered for a long-term item, per signer certificate (base64 DER), kept until sign() of the same
 * item object: the data checked before the approval is the data embedded, even if it went stale meanwhile
 * (validation-data.ts). A WeakMap, so an item that is never signed takes its data with it.
 */
class LongTermMemory {
  private readonly items = new WeakMap<SigningPortItem, Map<string, LongTermData>>();

  async gather(item: SigningPortItem, candidates: readonly CandidateKey[], settings: PortSettings): Promise<Record<string, LongTermOutcome> | undefined> {
    if (!isLongTerm(item.options.level as never) || !["pades", "cms", "xades"].includes(item.format)) return undefined;
    const outcomes = await gatherForCandidates(candidates, settings.revocation?.(), { timestampAuthority: settings.timestampAuthority?.() });
    const kept = new Map<string, LongTermData>();
    for (const candidate of candidates) {
      const outcome = outcomes[candidate.id];
      if (outcome && "data" in outcome) kept.set(Buffer.from(candidate.certificate).toString("base64"), outcome.data);
    }
    this.items.set(item, kept);
    return outcomes;
  }

  for(item: SigningPortItem, signer: Signer): { longTerm?: LongTermData } {
    const data = this.items.get(item)?.get(Buffer.from(signer.certificate).toString("base64"));
    return data ? { longTerm: data } : {};
  }
}

type InPlaceFormats = typeof InPlaceFormatsModule;
let formats: Promise<InPlaceFormats> | undefined;
/** The formats for in-place work, imported once on first use (in-place-formats.ts says why). */
function inPlaceFormats(): Promise<InPlaceFormats> {
  formats ??= import("./in-place-formats.js");
  return formats;
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
export function signingPort(settings: PortSettings = {}, memory = new LongTermMemory()): FormatsSigningPort & { describe(item: SigningPortItem): Promise<DocumentDescription> } {
  return {
    async describe(item) {
      try {
        const { describe } = await inPlaceFormats();
        return await describe(toRequest(item));
      } catch (error) {
        // What cannot be read cannot be shown for approval: the page learns "document_invalid", not a stack.
        if (error instanceof KysoError) throw error;
        throw new KysoError("document_invalid", (error as Error).message);
      }
    },
    async prepare(item, candidates) {
      try {
        const keys = candidateKeys(candidates);
        const longTerm = await memory.gather(item, keys, settings);
        const { prepareItem } = await inPlaceFormats();
        const request = await withStampImage(toRequest(item), keys[0]?.certificate, settings.stampImages);
        return await prepareItem(request, keys, { timestampAuthority: settings.timestampAuthority?.() !== undefined, ...(longTerm ? { longTerm } : {}) });
      } catch (error) {
        if (error instanceof KysoError && error.code !== "internal") throw error;
        throw new KysoError("document_invalid", (error as Error).message);
      }
    },
    async sign(item, signer, context) {
      const tsa = settings.timestampAuthority?.();
      const { sign } = await inPlaceFormats();
      const request = await withStampImage(toRequest(item), signer.certificate, settings.stampImages);
      return toOutput(await sign(request, signer, { signingTime: context.signingTime, ...(tsa ? { timestampAuthority: tsa } : {}), ...memory.for(item, signer) }));
    },
    async signBatch(items, signer, context) {
      const tsa = settings.timestampAuthority?.();
      const { sign } = await inPlaceFormats();
      return signTogether(items.length, signer, (requests) => signAll(signer, requests), async (index, stand) =>
        toOutput(await sign(await withStampImage(toRequest(items[index]!), signer.certificate, settings.stampImages), stand, { signingTime: context.signingTime, ...(tsa ? { timestampAuthority: tsa } : {}), ...memory.for(items[index]!, signer) })),
      );
    },
  };
}

/** The batch signer's one call, or (a token) one digest after the other. */
async function signAll(signer: Signer, requests: readonly DigestSigningRequest[]): Promise<SignatureValue[]> {
  if (isBatchSigner(signer)) return signer.signDigests(requests);
  const values: SignatureValue[] = [];
  for (const request of requests) values.push(await signer.signDigest(request));
  return values;
}

/** The core's port: documents go to the bounded workers. `close()` ends them. */
export function workerSigningPort(settings: PortSettings & { readonly workers?: DocumentWorkersOptions } = {}): FormatsSigningPort & {
  readonly workers: DocumentWorkers;
  warm(): void;
  close(): Promise<void>;
} {
  const memory = new LongTermMemory();
  const inPlace = signingPort(settings, memory);
  const workers = createDocumentWorkers(settings.workers);
  const hasDocument = (item: SigningPortItem): boolean => item.document !== undefined;
  return {
    workers,
    async prepare(item, candidates) {
      if (!hasDocument(item)) return inPlace.prepare(item, candidates);
      const keys = candidateKeys(candidates);
      // Network in the core's thread (the revocation service and its cache live here), the document in a worker.
      const longTerm = await memory.gather(item, keys, settings);
      // The plan shows the first candidate's image (one certificate in the usual case); sign() uses the signer's.
      const request = await withStampImage(toRequest(item), keys[0]?.certificate, settings.stampImages);
      return workers.prepare(request, keys, settings.timestampAuthority?.() !== undefined, longTerm);
    },
    async sign(item, signer, context) {
      if (!hasDocument(item)) return inPlace.sign(item, signer, context);
      const tsa = settings.timestampAuthority?.();
      const request = await withStampImage(toRequest(item), signer.certificate, settings.stampImages);
      return toOutput(await workers.sign(request, signer, { signingTime: context.signingTime, ...(tsa ? { timestampAuthority: tsa } : {}), ...memory.for(item, signer) }));
    },
    async signBatch(items, signer, context) {
      // Bare hashes have nothing to parse: in place. Documents: all in one worker task (one `sign-digests`).
      if (!items.every(hasDocument)) return inPlace.signBatch(items, signer, context);
      const tsa = settings.timestampAuthority?.();
      // The stored stamp images go in as for a single signature (withStampImage): one helper for both paths.
      const requests = await Promise.all(items.map((item) => withStampImage(toRequest(item), signer.certificate, settings.stampImages)));
      const outcomes = await workers.signBatch(requests, signer, {
        signingTime: context.signingTime,
        ...(tsa ? { timestampAuthority: tsa } : {}),
        longTerm: items.map((item) => memory.for(item, signer).longTerm),
      });
      return outcomes.map((o): PromiseSettledResult<{ signature?: Uint8Array; document?: Uint8Array }> =>
        o.ok ? { status: "fulfilled", value: toOutput(o.value) } : { status: "rejected", reason: fromPayload(o.error) },
      );
    },
    warm: () => workers.warm(),
    close: () => workers.close(),
  };
}
