/**
 * PAdES B-B / B-T (ETSI EN 319 142-1), always as an incremental update after the untouched original bytes.
 * `signPades` works on a document in memory (the bridge's case); `signPdfFile` streams a file to a file so a
 * scanned dossier of hundreds of MB signs in one hash-and-copy pass with flat memory.
 */
import { open, rm } from "node:fs/promises";
import type { Signer } from "../../../domain/signer.js";
import { KysoError, isKysoError } from "../../../domain/errors/index.js";
import { HASH_CHUNK_BYTES, MAX_PDF_BYTES } from "../limits.js";
import type { PadesOptions, RequestOf } from "../request.js";
import { PadesOptionsSchema } from "../request.js";
import { chooseScheme } from "../scheme.js";
import type { SignContext, SignResult } from "../types.js";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import { completeSignature, contentsReserve } from "./complete-signature.js";
import { fileSource, memorySource, type PdfSource } from "./pdf-source.js";
import { prepareUpdate, signerDisplayName, type PreparedUpdate } from "./prepare-update.js";

async function prepare(source: PdfSource, options: PadesOptions, signer: Signer, signedAt: Date): Promise<PreparedUpdate> {
  if (source.size > MAX_PDF_BYTES) throw new KysoError("document_too_large", `PDF is ${source.size} bytes, limit ${MAX_PDF_BYTES}`);
  // The token's certificate, not the document: read before the document errors are mapped below.
  const signerName = signerDisplayName(signer.certificate);
  try {
    return await prepareUpdate({ source, options, signerName, signedAt, reserve: contentsReserve(signer, options.level ?? "B-B") });
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
      level: request.options.level ?? "B-B",
      hashOriginal: (hash) => {
        for (let offset = 0; offset < original.length; offset += HASH_CHUNK_BYTES) hash.update(original.subarray(offset, offset + HASH_CHUNK_BYTES));
      },
    },
    signer,
    context,
  );
  // allocUnsafe: the copy overwrites every byte, so zero-filling hundreds of MB first would be wasted time.
  const document = Buffer.concat([original, increment], original.length + increment.length);
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
 * then copies the original while hashing it in 1 MiB chunks and appends the update.
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
        level: parsed.data.level ?? "B-B",
        hashOriginal: async (hash) => {
          const chunk = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
          for (let offset = 0; offset < source.size; ) {
            const { bytesRead } = await input.read(chunk, 0, chunk.length, offset);
            if (bytesRead === 0) throw new KysoError("document_invalid", "the PDF changed while it was being signed");
            const view = chunk.subarray(0, bytesRead);
            hash.update(view);
            await output.write(view, 0, bytesRead);
            offset += bytesRead;
          }
        },
      },
      signer,
      context,
    );
    await output.write(increment);
    done = true;
    return { signedAt, digest, fieldName: prepared.fieldName, size: source.size + increment.length };
  } finally {
    await input.close();
    await output.close();
    // Never leave half a signed PDF behind.
    if (!done) await rm(outputPath, { force: true });
  }
}
