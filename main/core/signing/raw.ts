/** `raw`: a bare signature value over the data's hash (computed here) or over a hash the page supplies. */
import { assertDigestLength } from "../../domain/hash-algorithm.js";
import type { Signer } from "../../domain/signer.js";
import { KysoError } from "../../domain/errors/index.js";
import { digest } from "./hashing.js";
import { MAX_DATA_BYTES } from "./limits.js";
import type { RequestOf } from "./request.js";
import { chooseScheme } from "./scheme.js";
import type { SignResult } from "./types.js";

export function dataDigest(request: RequestOf<"raw"> | RequestOf<"cms">): Uint8Array {
  if (request.hash) {
    assertDigestLength(request.hashAlgorithm, request.hash);
    return request.hash;
  }
  const data = request.document ?? new Uint8Array();
  if (data.length > MAX_DATA_BYTES) throw new KysoError("document_too_large", `${data.length} bytes`);
  return digest(request.hashAlgorithm, data);
}

export async function signRaw(request: RequestOf<"raw">, signer: Signer, signedAt: Date): Promise<SignResult> {
  const value = dataDigest(request);
  const scheme = chooseScheme(signer, request.options.scheme);
  const result = await signer.signDigest({ hashAlgorithm: request.hashAlgorithm, digest: value, scheme });
  const signature = scheme === "ecdsa" && request.options.ecdsaEncoding === "raw" ? result.raw : result.value;
  return { kind: "signature", signature, signedAt, certificate: signer.certificate, hashAlgorithm: request.hashAlgorithm, digest: value };
}
