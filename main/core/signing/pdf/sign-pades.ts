/**
 * PAdES B-B / B-T (ETSI EN 319 142-1), always as an incremental update after the untouched original bytes.
 * `signPades` works on a document in memory (the bridge's case); `signPdfFile` streams a file to a file so a
 * scanned dossier of hundreds of MB signs in one hash-and-copy pass with flat memory.
 */
import { closeSync, openSync } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import type { Signer } from "../../../domain/signer.js";
import { KysoError, isKysoError } from "../../../domain/errors/index.js";
import { HASH_CHUNK_BYTES, MAX_PDF_BYTES } from "../limits.js";
import type { PadesOptions, RequestOf } from "../request.js";
import { PadesOptionsSchema } from "../request.js";
import { chooseScheme } from "../scheme.js";
import type { SignContext, SignResult } from "../types.js";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import { isTimestamped, type SignatureLevel } from "../request.js";
import { completeSignature, contentsReserve } from "./complete-signature.js";
import { copyAndHash } from "./copy-and-hash.js";
import { addLongTermUpdates, type GrowingPdf } from "./long-term-pades.js";
import { fileSource, memorySource, type PdfSource } from "./pdf-source.js";
import { prepareUpdate, signerDisplayName, type PreparedUpdate } from "./prepare-update.js";

/** The CMS in the signature dictionary: B-T for every timestamped level (B-LT/B-LTA add updates after it). */
function cmsLevel(level: SignatureLevel | undefined): "B-B" | "B-T" {
  return isTimestamped(level) ? "B-T" : "B-B";
}

async function prepare(source: PdfSource, options: PadesOptions, signer: Signer, signedAt: Date): Promise<PreparedUpdate> {
  if (source.size > MAX_PDF_BYTES) throw new KysoError("document_too_large", `PDF is ${source.size} bytes, limit ${MAX_PDF_BYTES}`);
  // The token's certificate, not the document: read before the document errors are mapped below.
  const signerName = signerDisplayName(signer.certificate);
  try {
    return await prepareUpdate({ source, options, signerName, signedAt, reserve: contentsReserve(signer, cmsLevel(options.level)) });
  } catch (error) {
    // pdf-lib's parser throws its own errors on damaged objects: to the user that is a damaged PDF.
    if (isKysoError(error)) throw error;
    throw new KysoError("document_invalid", `PDF structure unreadable: ${String(error)}`, undefined, { cause: error });
  }
}

export async function signPades(request: RequestOf<"pades">, signer: Signer, context: SignContext, signedAt: Date): Promise<SignResult> {
  const original = request.document;
  const prepared = await prepare(memorySource(original), request.options, signer, signedAt);
  const { increment, digest } = await completeSignature(
    {
      prepared,
      originalSize: original.length,
      hashAlgorithm: request.hashAlgorithm,
      scheme: chooseScheme(signer),
      level: cmsLevel(request.options.level),
      hashOriginal: (hash) => {
        for (let offset = 0; offset < original.length; offset += HASH_CHUNK_BYTES) hash.update(original.subarray(offset, offset + HASH_CHUNK_BYTES));
      },
    },
    signer,
    context,
  );
  // allocUnsafe: the copy overwrites every byte, so zero-filling hundreds of MB first would be wasted time.
  const parts: Uint8Array[] = [original, increment];
  let whole: Buffer | undefined;
  const current = (): Buffer => (whole ??= Buffer.concat(parts));
  const growing: GrowingPdf = {
    source: () => memorySource(current()),
    append: async (bytes) => {
      parts.push(bytes);
      whole = undefined;
    },
    hashAll: async (hash) => {
      for (const part of parts) for (let offset = 0; offset < part.length; offset += HASH_CHUNK_BYTES) hash.update(part.subarray(offset, offset + HASH_CHUNK_BYTES));
    },
  };
  await addLongTermUpdates(growing, request.options.level ?? "B-B", request.hashAlgorithm, signedAt, context);
  const document = current();
  return { kind: "document", document, signedAt, certificate: signer.certificate, hashAlgorithm: request.hashAlgorithm, digest };
}

export interface SignPdfFileResult {
  readonly signedAt: Date;
  readonly digest: Uint8Array;
  readonly fieldName: string;
  readonly size: number;
}

/**
 * Signs `inputPath` into `outputPath` (which must differ): reads only the PDF's tail and the objects it needs,
 * then copies the original while hashing it (one pipelined pass, copy-and-hash.ts) and appends the update.
 */
export async function signPdfFile(
  inputPath: string,
  outputPath: string,
  signer: Signer,
  options: { readonly hashAlgorithm?: HashAlgorithm; readonly options?: unknown } = {},
  context: SignContext = {},
): Promise<SignPdfFileResult> {
  const parsed = PadesOptionsSchema.safeParse(options.options ?? {});
  if (!parsed.success) throw new KysoError("invalid_params", parsed.error.message);
  const hashAlgorithm = options.hashAlgorithm ?? "SHA-256";
  const signedAt = new Date(Math.floor((context.signingTime ?? new Date()).getTime() / 1000) * 1000);
  const input = await open(inputPath, "r");
  const output = await open(outputPath, "wx");
  let done = false;
  try {
    const source = fileSource(input.fd);
    const prepared = await prepare(source, parsed.data, signer, signedAt);
    const { increment, digest } = await completeSignature(
      {
        prepared,
        originalSize: source.size,
        hashAlgorithm,
        scheme: chooseScheme(signer),
        level: cmsLevel(parsed.data.level),
        hashOriginal: (hash) => copyAndHash(input, output, source.size, hash, HASH_CHUNK_BYTES),
      },
      signer,
      context,
    );
    await output.write(increment);
    let size = source.size + increment.length;
    await addLongTermUpdates(fileGrowing(outputPath, output, () => size, (n) => (size += n)), parsed.data.level ?? "B-B", hashAlgorithm, signedAt, context);
    done = true;
    return { signedAt, digest, fieldName: prepared.fieldName, size };
  } finally {
    await input.close();
    await output.close();
    // Never leave half a signed PDF behind.
    if (!done) await rm(outputPath, { force: true });
  }
}

/** The output file as written so far: read through a second descriptor, appended through the writing one. */
function fileGrowing(path: string, output: FileHandle, size: () => number, grew: (n: number) => void): GrowingPdf {
  return {
    source() {
      // Only the tail and a handful of objects are read: a descriptor per read keeps nothing open across awaits.
      const at = size();
      return {
        size: at,
        read(offset, length) {
          const fd = openSync(path, "r");
          try {
            return fileSource(fd).read(offset, Math.max(0, Math.min(length, at - offset)));
          } finally {
            closeSync(fd);
          }
        },
      };
    },
    async append(bytes) {
      await output.write(bytes);
      grew(bytes.length);
    },
    async hashAll(hash) {
      const input = await open(path, "r");
      try {
        const chunk = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
        for (let offset = 0; offset < size(); ) {
          const { bytesRead } = await input.read(chunk, 0, Math.min(chunk.length, size() - offset), offset);
          if (bytesRead === 0) throw new KysoError("document_invalid", "the signed PDF was truncated while it was being timestamped");
          hash.update(chunk.subarray(0, bytesRead));
          offset += bytesRead;
        }
      } finally {
        await input.close();
      }
    },
  };
}
