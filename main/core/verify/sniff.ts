/**
 * Which verifier a received document needs, from its first bytes only: no parsing, no dependency, so the core can
 * call it to choose the worker's CPU budget without loading or running any document code in its own thread.
 */

export type DocumentFormat = "pdf" | "xml" | "cms";

/** DER of the signedData OID 1.2.840.113549.1.7.2, as it follows the outer SEQUENCE header of a ContentInfo. */
const SIGNED_DATA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const HEAD = 1024;

export function sniffFormat(bytes: Uint8Array): DocumentFormat | undefined {
  // PDF: "%PDF-" within the first KB (ISO 32000 lets readers accept leading junk; the PDF reader decides the rest).
  const head = Buffer.from(bytes.subarray(0, HEAD)).toString("latin1");
  if (head.startsWith("%PDF-")) return "pdf";
  // XML: an optional UTF-8 BOM and whitespace, then '<'.
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && i < HEAD && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x3c) return "xml";
  // CMS: SEQUENCE (definite or indefinite length), then the contentType OID signedData.
  if (bytes[0] === 0x30 && bytes.length > 2) {
    const first = bytes[1]!;
    const lengthBytes = first === 0x80 ? 0 : first & 0x80 ? first & 0x7f : 0;
    const at = 2 + lengthBytes;
    if (lengthBytes <= 4 && SIGNED_DATA_OID.every((b, k) => bytes[at + k] === b)) return "cms";
  }
  if (head.includes("%PDF-")) return "pdf";
  return undefined;
}
