/**
 * What the approval screen shows, read by KySo itself (never the page's words): for PDFs the page count, size,
 * SHA-256, existing signatures checked by KySo and the title as the document's claim (pdf/describe-pdf.ts); for
 * XML the root and, for known layouts, the Vietnamese summary; for hashes the hex digest; for data its size,
 * SHA-256 and a text preview.
 */
import type { DocumentDescription } from "../../domain/document-description.js";
import { KysoError } from "../../domain/errors/index.js";
import { sha256Hex } from "./hashing.js";
import { MAX_DATA_BYTES } from "./limits.js";
import { describePdf } from "./pdf/describe-pdf.js";
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
      return describePdf(request.document, request.options);
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

