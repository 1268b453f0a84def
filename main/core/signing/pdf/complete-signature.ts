/**
 * Turns a prepared update into a signed one: fills /ByteRange, hashes the two ranges (the original bytes are
 * hashed by the caller's `hashOriginal`, in memory or streamed from a file), builds the CAdES detached CMS and
 * writes it into the /Contents placeholder. The original bytes are never copied or touched.
 */
import type { Hash } from "node:crypto";
import { createHash } from "node:crypto";
import { NODE_HASH_NAME, type HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { Signer } from "../../../domain/signer.js";
import { KysoError } from "../../../domain/errors/index.js";
import { buildCades, estimateCadesSize } from "../cms/cades.js";
import { HASH_CHUNK_BYTES } from "../limits.js";
import type { SignContext } from "../types.js";
import type { SignatureScheme } from "../../../domain/signer.js";
import type { PreparedUpdate } from "./prepare-update.js";

/** A timestamp token with the TSA's chain is 3-6 KB; twice that keeps a margin for long chains. */
const TIMESTAMP_RESERVE = 12 * 1024;
const MARGIN = 2 * 1024;

export function contentsReserve(signer: Signer, level: "B-B" | "B-T"): number {
  const raw = estimateCadesSize(signer) + (level === "B-T" ? TIMESTAMP_RESERVE : 0) + MARGIN;
  return Math.ceil(raw / 1024) * 1024;
}

export interface CompleteInput {
  readonly prepared: PreparedUpdate;
  readonly originalSize: number;
  readonly hashAlgorithm: HashAlgorithm;
  readonly scheme: SignatureScheme;
  readonly level: "B-B" | "B-T";
  /** Feeds the whole original file into the hash (first byte range, before the increment). */
  readonly hashOriginal: (hash: Hash) => void | Promise<void>;
}

export async function completeSignature(input: CompleteInput, signer: Signer, context: SignContext): Promise<{ increment: Uint8Array; digest: Uint8Array }> {
  const digest = await hashByteRanges(input);
  const { cms } = await buildCades({ contentDigest: digest, hashAlgorithm: input.hashAlgorithm, scheme: input.scheme, level: input.level }, signer, context);
  writeContents(input.prepared, cms);
  return { increment: input.prepared.increment, digest };
}

/** Fills /ByteRange for an update appended after `originalSize` bytes and hashes the two ranges. */
export async function hashByteRanges(input: Pick<CompleteInput, "prepared" | "originalSize" | "hashAlgorithm" | "hashOriginal">): Promise<Uint8Array> {
  const { prepared, originalSize } = input;
  const increment = prepared.increment;
  const a = originalSize + prepared.contentsStart;
  const b = originalSize + prepared.contentsEnd;
  const c = originalSize + increment.length - b;
  const placeholderLength = `[0 ${"*".repeat(10)} ${"*".repeat(10)} ${"*".repeat(10)}]`.length;
  const byteRange = `[0 ${a} ${b} ${c}]`.padEnd(placeholderLength, " ");
  increment.set(Buffer.from(byteRange, "latin1"), prepared.byteRangeAt);

  const hash = createHash(NODE_HASH_NAME[input.hashAlgorithm]);
  await input.hashOriginal(hash);
  for (const part of [increment.subarray(0, prepared.contentsStart), increment.subarray(prepared.contentsEnd)]) {
    for (let offset = 0; offset < part.length; offset += HASH_CHUNK_BYTES) hash.update(part.subarray(offset, offset + HASH_CHUNK_BYTES));
  }
  return new Uint8Array(hash.digest());
}

/** Writes the CMS (or timestamp token) into the /Contents placeholder, hex, zero-padded by the placeholder. */
export function writeContents(prepared: PreparedUpdate, value: Uint8Array): void {
  const room = (prepared.contentsEnd - prepared.contentsStart - 2) / 2;
  if (value.length > room) throw new KysoError("signing_failed", `signature of ${value.length} bytes does not fit the ${room} reserved`);
  prepared.increment.set(Buffer.from(Buffer.from(value).toString("hex").toUpperCase(), "latin1"), prepared.contentsStart + 1);
}
