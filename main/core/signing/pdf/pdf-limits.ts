/**
 * Bounds on the work the PDF reader does for one document, whatever the document says about itself. A hostile
 * PDF can make every walk loop (a field listing itself among its /Kids, a /Prev chain back to itself) or branch
 * exponentially, and every number it holds (/Size, /Index, /W, /Count, /Length, offsets) can be absurd. So every
 * walk carries a visited set and charges one shared `WorkBudget`; every number that sizes a loop or an
 * allocation is range-checked first; over a limit the document is refused as too complex, before any approval.
 */
import { KysoError } from "../../../domain/errors/index.js";

const MiB = 1024 * 1024;

/** Object visits, tree nodes and xref rows, summed over one describe() or one sign() of one document. */
export const MAX_PDF_WORK_STEPS = 2_000_000;
/** Bytes handed to the object parser or produced by stream decoding (retry windows included). */
export const MAX_PDF_PARSED_BYTES = 256 * MiB;
/** One indirect object (the catalog, a page, a field, an xref or object stream) never needs more. */
export const MAX_OBJECT_BYTES = 16 * MiB;
/** A classic xref table of MAX_XREF_ENTRIES rows (20 bytes each) fits. */
export const MAX_XREF_TABLE_BYTES = 32 * MiB;
/** Incremental updates: one per save or signature (two with a hybrid /XRefStm). */
export const MAX_XREF_SECTIONS = 512;
/** Rows read from all xref sections together; also caps the entry map's memory. */
export const MAX_XREF_ENTRIES = 1_000_000;
/** ISO 32000-1 Annex C: the largest object number a conforming file uses. */
export const MAX_OBJECT_NUMBER = 8_388_607;
/** Depth of the page tree and of the AcroForm field tree. */
export const MAX_TREE_DEPTH = 64;
/** Arrays and dictionaries nested inside one object (pdf-lib and our clone/serialise recurse). */
export const MAX_NESTING = 128;
export const MAX_FIELDS = 10_000;
export const MAX_PAGES = 100_000;
/** Existing signatures verified cryptographically; the rest are listed as "unsupported" (not checked). */
export const MAX_VERIFIED_SIGNATURES = 32;
/** Bytes hashed for all existing signatures together (SHA-256 runs about 1 GiB/s here). */
export const MAX_VERIFIED_BYTES = 1024 * MiB;
/** A CMS in /Contents larger than this is not parsed. */
export const MAX_SIGNATURE_CMS_BYTES = 1 * MiB;
/** Text the document asserts (title, names in signature dictionaries) is cut to this many characters. */
export const MAX_CLAIM_CHARS = 512;

/** The refusal for a document that exceeds a bound: the one place that names the code for PDFs. */
export function tooComplex(detail: string): KysoError {
  return new KysoError("document_too_complex", detail);
}

/** One budget per document read: describe() and sign() each start a fresh one. */
export class WorkBudget {
  steps = 0;
  bytes = 0;

  constructor(
    private readonly maxSteps: number = MAX_PDF_WORK_STEPS,
    private readonly maxBytes: number = MAX_PDF_PARSED_BYTES,
  ) {}

  step(what: string, n = 1): void {
    this.steps += n;
    if (this.steps > this.maxSteps) throw tooComplex(`more than ${this.maxSteps} steps (${what})`);
  }

  parsed(n: number, what: string): void {
    this.bytes += n;
    if (this.bytes > this.maxBytes) throw tooComplex(`more than ${this.maxBytes} bytes parsed (${what})`);
  }
}

/** A number from the file that sizes a loop, an offset or an allocation: an integer in [min, max], or refused. */
export function checkedInt(value: number | undefined, min: number, max: number, what: string): number {
  if (value === undefined || !Number.isInteger(value) || value < min || value > max) {
    throw new KysoError("document_invalid", `${what} is ${String(value)}, expected an integer in [${min}, ${max}]`);
  }
  return value;
}
