/**
 * The revisions of a PDF: each `%%EOF` after which the file up to there reads as a complete PDF (its own
 * startxref, xref chain and trailer) is the end of one revision. Each revision is read with the signing code's
 * bounded reader on a prefix of the file, so "the document as it was signed" is exactly the bytes the signature
 * covers. Bytes after the last revision that do not form one are reported (`trailingBytes`).
 *
 * The objects an incremental update defines are read from its own cross-reference section (table or stream),
 * not guessed from the bytes, so an object stream in the update is accounted for.
 */
import { PDFArray, PDFName, PDFRawStream, type PDFContext } from "@cantoo/pdf-lib";
import { isKysoError } from "../../domain/errors/index.js";
import { MAX_XREF_SECTIONS, MAX_XREF_TABLE_BYTES, WorkBudget, checkedInt, tooComplex } from "../signing/pdf/pdf-limits.js";
import { parseIndirect, readPdfStructure, type PdfStructure } from "../signing/pdf/pdf-reader.js";
import { memorySource, type PdfSource } from "../signing/pdf/pdf-source.js";
import { decodeStream, numberOf } from "../signing/pdf/stream-decode.js";

export interface Revision {
  /** 1-based. */
  readonly number: number;
  /** Offset just past this revision's %%EOF (and its end-of-line). */
  readonly end: number;
  readonly structure: PdfStructure;
  /** Object numbers this revision's newest xref section(s) define (in use or freed). */
  readonly objects: ReadonlySet<number>;
}

export interface Revisions {
  readonly list: readonly Revision[];
  /** Bytes after the last revision that are not a revision (0 for a well-formed file). */
  readonly trailingBytes: number;
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

export function readRevisions(bytes: Uint8Array, context: PDFContext, budget: WorkBudget = new WorkBudget()): Revisions {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  for (let at = buffer.indexOf("%%EOF"); at >= 0; at = buffer.indexOf("%%EOF", at + 5)) {
    let end = at + 5;
    if (buffer[end] === 0x0d) end++;
    if (buffer[end] === 0x0a) end++;
    ends.push(end);
    if (ends.length > MAX_XREF_SECTIONS * 2) throw tooComplex(`more than ${MAX_XREF_SECTIONS * 2} %%EOF markers`);
  }
  const list: Revision[] = [];
  let lastStartxref = -1;
  for (const end of ends) {
    const source = memorySource(bytes.subarray(0, end));
    let structure: PdfStructure;
    try {
      structure = readPdfStructure(source, context, budget);
    } catch (error) {
      // Over the document's work budget is a refusal of the whole document, never a skipped revision.
      if (isKysoError(error) && error.code === "document_too_complex") throw error;
      // A %%EOF inside a stream, or a damaged update: not a revision boundary.
      continue;
    }
    // Two %%EOF with the same startxref (a linearised file's first-page trailer) are one revision.
    if (structure.startxref === lastStartxref) continue;
    lastStartxref = structure.startxref;
    list.push({ number: list.length + 1, end, structure, objects: sectionObjects(source, structure, context, budget) });
  }
  const last = list.at(-1);
  return { list, trailingBytes: last ? bytes.length - last.end : bytes.length };
}

/** Object numbers listed by the xref section at `structure.startxref` (plus its hybrid /XRefStm). */
function sectionObjects(source: PdfSource, structure: PdfStructure, context: PDFContext, budget: WorkBudget): Set<number> {
  const out = new Set<number>();
  const offsets = [structure.startxref];
  const hybrid = numberOf(structure.trailer.get(PDFName.of("XRefStm")));
  if (hybrid !== undefined) offsets.push(checkedInt(hybrid, 0, source.size - 1, "/XRefStm"));
  for (const offset of offsets) {
    if (latin1(source.read(offset, 4)) === "xref") tableObjects(source, offset, out, budget);
    else streamObjects(source, offset, context, out, budget);
  }
  return out;
}

function tableObjects(source: PdfSource, offset: number, out: Set<number>, budget: WorkBudget): void {
  // The reader has already read this table within its bounds: the same window is enough here.
  const text = latin1(source.read(offset, Math.min(source.size - offset, MAX_XREF_TABLE_BYTES)));
  const end = text.indexOf("trailer");
  const lines = text.slice(4, end < 0 ? text.length : end).split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
  budget.step("revision xref lines", lines.length);
  let number = 0;
  for (const line of lines) {
    const parts = line.split(/\s+/);
    if (parts.length === 2) {
      number = Number(parts[0]);
      continue;
    }
    if (number !== 0) out.add(number);
    number++;
  }
}

function streamObjects(source: PdfSource, offset: number, context: PDFContext, out: Set<number>, budget: WorkBudget): void {
  const header = /^\s*(\d+)\s+\d+\s+obj/.exec(latin1(source.read(offset, 64)));
  if (!header) return;
  const stream = parseIndirect(source, offset, Number(header[1]), context, budget);
  if (!(stream instanceof PDFRawStream)) return;
  const data = decodeStream(stream, budget);
  const w = stream.dict.get(PDFName.of("W"));
  const widths = w instanceof PDFArray ? w.asArray().map((v) => numberOf(v) ?? 0) : [];
  const rowLength = widths.reduce((a, b) => a + b, 0);
  if (rowLength === 0) return;
  const index = stream.dict.get(PDFName.of("Index"));
  const ranges = index instanceof PDFArray ? index.asArray().map((v) => numberOf(v) ?? 0) : [0, numberOf(stream.dict.get(PDFName.of("Size"))) ?? 0];
  const available = Math.floor(data.length / rowLength);
  let row = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const count = Math.min(ranges[r + 1]!, available - row);
    budget.step("revision xref stream rows", Math.max(0, count));
    for (let i = 0; i < count; i++, row++) if (ranges[r]! + i !== 0) out.add(ranges[r]! + i);
  }
  // The xref stream object itself is bookkeeping, not content.
  out.delete(Number(header[1]));
}
