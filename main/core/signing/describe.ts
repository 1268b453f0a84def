/**
 * What the approval screen shows, read by KySo itself (never the page's words): for PDFs the page count, size,
 * SHA-256 and existing signatures; for XML the root and, for known layouts, the Vietnamese summary; for hashes
 * the hex digest; for data its size, SHA-256 and a text preview.
 */
import { PDFDocument, PDFName } from "@cantoo/pdf-lib";
import type { DocumentDescription } from "../domain/document-description.js";
import { KysoError, isKysoError } from "../errors/index.js";
import { sha256Hex } from "./hashing.js";
import { MAX_DATA_BYTES, MAX_PDF_BYTES } from "./limits.js";
import { catalogOf, existingSignatures, pageCount, textOf } from "./pdf/pdf-model.js";
import { readPdfStructure } from "./pdf/pdf-reader.js";
import { memorySource } from "./pdf/pdf-source.js";
import { parseSigningRequest, type SigningRequestInput } from "./request.js";
import { describeXml } from "./xml/describe-xml.js";

const PREVIEW_CHARS = 2000;

export async function describe(input: SigningRequestInput): Promise<DocumentDescription> {
  const request = parseSigningRequest(input);
  switch (request.format) {
    case "raw":
    case "cms":
      if (request.hash) return { kind: "hash", hashAlgorithm: request.hashAlgorithm, hex: Buffer.from(request.hash).toString("hex") };
      return describeData(request.document ?? new Uint8Array());
    case "pades":
      return describePdf(request.document);
    case "xades":
    case "xmldsig":
    case "vn-tax":
    case "vn-einvoice":
      return describeXml(request.document, request.format);
  }
}

function describeData(data: Uint8Array): DocumentDescription {
  if (data.length > MAX_DATA_BYTES) throw new KysoError("document_too_large", `${data.length} bytes`);
  let preview: string | undefined;
  try {
    preview = new TextDecoder("utf-8", { fatal: true }).decode(data.subarray(0, PREVIEW_CHARS * 4)).slice(0, PREVIEW_CHARS);
  } catch {
    // binary (or a multi-byte character cut at the edge): no preview rather than mojibake
  }
  return { kind: "data", size: data.length, sha256: sha256Hex(data), ...(preview !== undefined ? { textPreview: preview } : {}) };
}

async function describePdf(pdf: Uint8Array): Promise<DocumentDescription> {
  if (pdf.length > MAX_PDF_BYTES) throw new KysoError("document_too_large", `${pdf.length} bytes`);
  try {
    const { context } = await PDFDocument.create({ updateMetadata: false });
    const structure = readPdfStructure(memorySource(pdf), context);
    catalogOf(structure);
    const title = textOf(structure.lookupDict(structure.trailer.get(PDFName.of("Info")))?.get(PDFName.of("Title")));
    return {
      kind: "pdf",
      size: pdf.length,
      sha256: sha256Hex(pdf),
      pageCount: pageCount(structure),
      existingSignatures: existingSignatures(structure),
      ...(title ? { title } : {}),
    };
  } catch (error) {
    if (isKysoError(error)) throw error;
    throw new KysoError("document_invalid", `PDF structure unreadable: ${String(error)}`, undefined, { cause: error });
  }
}
