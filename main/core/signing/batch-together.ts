/**
 * A batch signed under one confirmation (issue 16): every item runs its format at once with a stand-in signer that
 * only collects the digest the format asks for; when every item has either asked or ended (a document that cannot
 * be signed fails before it asks), the digests go to `signDigests` in ONE call (one remote transaction, one prompt
 * on the phone) and each item continues with its own signature. Used in the document worker (one task for the
 * batch) and in place; the formats do not know the difference.
 */
import type { DigestSigningRequest, KeyAlgorithm, SignatureValue, Signer } from "../../domain/signer.js";

export interface SignerIdentity {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
}

interface Asked {
  readonly request: DigestSigningRequest;
  resolve(value: SignatureValue): void;
  reject(error: unknown): void;
}

/**
 * Runs `signOne(index, signer)` for `count` items; returns each item's outcome in order. A format that asks for a
 * second signature after the batch left (none does today) gets it through `signDigests` alone.
 */
export async function signTogether<T>(
  count: number,
  identity: SignerIdentity,
  signDigests: (requests: readonly DigestSigningRequest[]) => Promise<SignatureValue[]>,
  signOne: (index: number, signer: Signer) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const asked = new Map<number, Asked>();
  const settled = new Set<number>();
  let sent = false;

  const flush = (): void => {
    if (sent || asked.size === 0 || asked.size + settled.size < count) return;
    sent = true;
    const entries = [...asked.values()];
    signDigests(entries.map((e) => e.request)).then(
      (values) => entries.forEach((entry, i) => (values[i] ? entry.resolve(values[i]) : entry.reject(new Error("no signature for a digest of the batch")))),
      (error: unknown) => entries.forEach((entry) => entry.reject(error)),
    );
  };

  const signerFor = (index: number): Signer => ({
    certificate: identity.certificate,
    chain: identity.chain,
    keyAlgorithm: identity.keyAlgorithm,
    signDigest(request) {
      if (sent || asked.has(index)) return signDigests([request]).then((values) => values[0]!);
      return new Promise<SignatureValue>((resolve, reject) => {
        asked.set(index, { request, resolve, reject });
        flush();
      });
    },
  });

  return Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      signOne(index, signerFor(index)).finally(() => {
        settled.add(index);
        flush();
      }),
    ),
  );
}
