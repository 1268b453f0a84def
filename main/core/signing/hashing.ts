import { createHash } from "node:crypto";
import { NODE_HASH_NAME, type HashAlgorithm } from "../../domain/hash-algorithm.js";
import { HASH_CHUNK_BYTES } from "./limits.js";

/**
 * Hashes views of one buffer in 1 MiB updates, without copying: the PDF path hashes hundreds of MB this way,
 * and `subarray` keeps peak memory at the document itself.
 */
export function digestParts(hashAlgorithm: HashAlgorithm, parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash(NODE_HASH_NAME[hashAlgorithm]);
  for (const part of parts) {
    for (let offset = 0; offset < part.length; offset += HASH_CHUNK_BYTES) {
      hash.update(part.subarray(offset, Math.min(part.length, offset + HASH_CHUNK_BYTES)));
    }
  }
  return new Uint8Array(hash.digest());
}

export function digest(hashAlgorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  return digestParts(hashAlgorithm, [data]);
}

export function sha256Hex(data: Uint8Array): string {
  return Buffer.from(digest("SHA-256", data)).toString("hex");
}
