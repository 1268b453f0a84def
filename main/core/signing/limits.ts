/**
 * Size caps for what the formats accept, as named constants (repeated in docs/formats.md). They bound memory
 * before any parser runs; policy may lower them, never raise them above these.
 */
const MiB = 1024 * 1024;

/** Raw and CMS data: hashed in one pass, never parsed. */
export const MAX_DATA_BYTES = 512 * MiB;
/** PDFs: scanned dossiers of hundreds of MB are normal; the PDF path streams the hash and parses only the tail. */
export const MAX_PDF_BYTES = 2048 * MiB - 1;
/** XML is parsed into a DOM (several times its size in memory); tax declarations and invoices are a few hundred KB. */
export const MAX_XML_BYTES = 16 * MiB;
/** Seal or handwritten-signature image for a visible PDF stamp. */
export const MAX_STAMP_IMAGE_BYTES = 2 * MiB;
/** Hash chunk: Node's SHA-256 reaches full speed only with large updates (64 KiB halves it). */
export const HASH_CHUNK_BYTES = 1 * MiB;
/** Default wait for a timestamp authority before `timestamp_failed`. */
export const DEFAULT_TSA_TIMEOUT_MS = 15_000;
/** A TimeStampResp is a few KB; anything larger is refused before parsing. */
export const MAX_TSA_RESPONSE_BYTES = 256 * 1024;
