/**
 * Reads just the structure a signature needs: the xref chain from the last `startxref`, the merged trailer,
 * and objects on demand (plain or inside object streams). Classic tables, xref streams and hybrid files.
 * Nothing is re-serialised; the signer appends an incremental update after the original bytes.
 *
 * Bounded by construction (pdf-limits.ts): every loop consumes input or runs at most a range-checked count,
 * every section and object read charges the document's `WorkBudget`, and every number from the file is checked
 * before it sizes a loop, a window or an allocation.
 */
import type { PDFContext } from "@cantoo/pdf-lib";
import { PDFArray, PDFDict, PDFName, PDFObjectParser, PDFRawStream, PDFRef, type PDFObject } from "@cantoo/pdf-lib";
import { KysoError } from "../../../domain/errors/index.js";
import {
  MAX_NESTING, MAX_OBJECT_BYTES, MAX_XREF_TABLE_BYTES, MAX_OBJECT_NUMBER, MAX_XREF_ENTRIES, MAX_XREF_SECTIONS, WorkBudget, checkedInt, tooComplex,
} from "./pdf-limits.js";
import type { PdfSource } from "./pdf-source.js";
import { decodeStream, numberOf } from "./stream-decode.js";

type XrefEntry = { readonly kind: "offset"; readonly offset: number; readonly generation: number } | { readonly kind: "compressed"; readonly stream: number; readonly index: number };

/** Window read around an object; doubled when an object (an object stream) is larger, up to MAX_OBJECT_BYTES. */
const OBJECT_WINDOW = 64 * 1024;
const TAIL_WINDOW = 2048;
/** A field of an xref stream row wider than this overflows a safe integer. */
const MAX_XREF_FIELD_WIDTH = 6;

export interface PdfStructure {
  readonly source: PdfSource;
  readonly context: PDFContext;
  /** Offset of the last xref section: the increment's /Prev. */
  readonly startxref: number;
  readonly xrefKind: "table" | "stream";
  readonly trailer: PDFDict;
  /** max(/Size, highest object number in use + 1): new objects are numbered from here, never over old ones. */
  readonly size: number;
  readonly root: PDFRef;
  /** Shared by every walk over this document. */
  readonly budget: WorkBudget;
  lookup(ref: PDFRef): PDFObject | undefined;
  lookupDict(value: PDFObject | undefined): PDFDict | undefined;
}

/**
 * pdf-lib's parser calls console.warn for every number above 2^53; a hostile object can hold hundreds of
 * thousands, flooding the log and stalling the process on synchronous writes. Parsing is synchronous, so the
 * warning is muted only for the duration of one call.
 */
function parseObject(bytes: Uint8Array, context: PDFContext): PDFObject {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return PDFObjectParser.forBytes(bytes, context).parseObject();
  } finally {
    console.warn = warn;
  }
}

const invalid = (detail: string): KysoError => new KysoError("document_invalid", detail);
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

export function readPdfStructure(source: PdfSource, context: PDFContext, budget: WorkBudget = new WorkBudget()): PdfStructure {
  if (source.size < 32 || !latin1(source.read(0, 1024)).includes("%PDF-")) throw invalid("not a PDF (no %PDF- header)");
  const tail = latin1(source.read(Math.max(0, source.size - TAIL_WINDOW), TAIL_WINDOW));
  const match = /startxref\s+(\d{1,15})\s+%%EOF\s*$/.exec(tail);
  if (!match) throw invalid("no startxref/%%EOF at the end: truncated or damaged PDF");
  const startxref = checkedInt(Number(match[1]), 0, source.size - 1, "startxref");

  const entries = new Map<number, XrefEntry>();
  const rows = { count: 0 };
  const trailers: PDFDict[] = [];
  let xrefKind: "table" | "stream" | undefined;
  const seen = new Set<number>();
  const pending = [startxref];
  while (pending.length > 0) {
    const offset = pending.shift()!;
    if (seen.has(offset)) continue;
    if (seen.size >= MAX_XREF_SECTIONS) throw tooComplex(`more than ${MAX_XREF_SECTIONS} cross-reference sections`);
    seen.add(offset);
    budget.step("xref section");
    const head = latin1(source.read(offset, 8));
    let trailer: PDFDict;
    if (head.startsWith("xref")) {
      trailer = readXrefTable(source, offset, context, entries, rows, budget);
      xrefKind ??= "table";
      const hybrid = numberOf(trailer.get(PDFName.of("XRefStm")));
      if (hybrid !== undefined) pending.unshift(checkedInt(hybrid, 0, source.size - 1, "/XRefStm"));
    } else {
      trailer = readXrefStream(source, offset, context, entries, rows, budget);
      xrefKind ??= "stream";
    }
    trailers.push(trailer);
    const prev = numberOf(trailer.get(PDFName.of("Prev")));
    if (prev !== undefined) pending.push(checkedInt(prev, 0, source.size - 1, "/Prev"));
  }

  const newest = trailers[0]!;
  const pick = (key: string): PDFObject | undefined => trailers.map((t) => t.get(PDFName.of(key))).find((v) => v !== undefined);
  if (pick("Encrypt")) throw new KysoError("document_encrypted", "the trailer has /Encrypt");
  const root = pick("Root");
  if (!(root instanceof PDFRef)) throw invalid("trailer has no /Root");
  const declaredSize = numberOf(newest.get(PDFName.of("Size")));
  if (declaredSize === undefined) throw invalid("trailer has no /Size");
  checkedInt(declaredSize, 1, MAX_OBJECT_NUMBER + 1, "trailer /Size");
  let highest = 0;
  for (const [number, entry] of entries) if (entry.kind === "compressed" || entry.offset >= 0) highest = Math.max(highest, number);
  const size = Math.max(declaredSize, highest + 1);

  const cache = new Map<number, PDFObject | undefined>();
  const objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number>; first: number }>();

  const lookup = (ref: PDFRef): PDFObject | undefined => {
    if (cache.has(ref.objectNumber)) return cache.get(ref.objectNumber);
    budget.step("object lookup");
    const entry = entries.get(ref.objectNumber);
    let value: PDFObject | undefined;
    if (entry?.kind === "offset" && entry.offset >= 0) value = parseIndirect(source, entry.offset, ref.objectNumber, context, budget);
    else if (entry?.kind === "compressed") value = fromObjectStream(entry.stream, ref.objectNumber);
    if (value !== undefined) checkNesting(value, budget);
    cache.set(ref.objectNumber, value);
    return value;
  };

  const fromObjectStream = (streamNumber: number, objectNumber: number): PDFObject | undefined => {
    let loaded = objectStreams.get(streamNumber);
    if (!loaded) {
      // An object stream may not itself be compressed (ISO 32000-1 §7.5.7): this also rules out lookup cycles.
      const streamEntry = entries.get(streamNumber);
      if (streamEntry?.kind !== "offset" || streamEntry.offset < 0) throw invalid(`object stream ${streamNumber} is not a plain object`);
      const stream = lookup(PDFRef.of(streamNumber));
      if (!(stream instanceof PDFRawStream)) throw invalid(`object stream ${streamNumber} is missing`);
      const data = decodeStream(stream, budget);
      const first = checkedInt(numberOf(stream.dict.get(PDFName.of("First"))) ?? 0, 0, data.length, "object stream /First");
      const n = checkedInt(numberOf(stream.dict.get(PDFName.of("N"))) ?? 0, 0, Math.floor(first / 2) + 1, "object stream /N");
      const header = latin1(data.subarray(0, first)).trim().split(/\s+/).map(Number);
      const offsets = new Map<number, number>();
      for (let i = 0; i + 1 < header.length && i / 2 < n; i += 2) {
        const number = header[i]!;
        const at = header[i + 1]!;
        if (!Number.isInteger(number) || !Number.isInteger(at) || at < 0 || first + at >= data.length) throw invalid(`object stream ${streamNumber} has a bad header`);
        offsets.set(number, at);
      }
      budget.step("object stream header", offsets.size);
      loaded = { data, offsets, first };
      objectStreams.set(streamNumber, loaded);
    }
    const at = loaded.offsets.get(objectNumber);
    if (at === undefined) return undefined;
    return parseObject(loaded.data.subarray(loaded.first + at), context);
  };

  const lookupDict = (value: PDFObject | undefined): PDFDict | undefined => {
    const resolved = value instanceof PDFRef ? lookup(value) : value;
    return resolved instanceof PDFDict ? resolved : undefined;
  };

  return { source, context, startxref, xrefKind: xrefKind ?? "table", trailer: newest, size, root, budget, lookup, lookupDict };
}

/**
 * Arrays and dictionaries nested deeper than MAX_NESTING are refused: later clones and serialisations recurse.
 * Iterative, and every node visited is charged to the budget.
 */
function checkNesting(root: PDFObject, budget: WorkBudget): void {
  const stack: [PDFObject, number][] = [[root, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    nodes++;
    if (depth > MAX_NESTING) throw tooComplex(`objects nested more than ${MAX_NESTING} deep`);
    if (value instanceof PDFArray) for (const item of value.asArray()) stack.push([item, depth + 1]);
    else if (value instanceof PDFDict) for (const [, item] of value.entries()) stack.push([item, depth + 1]);
    else if (value instanceof PDFRawStream) for (const [, item] of value.dict.entries()) stack.push([item, depth + 1]);
  }
  budget.step("object nodes", nodes);
}

/** `N G obj <object> endobj` at `offset`, read through a growing window (at most MAX_OBJECT_BYTES). */
export function parseIndirect(source: PdfSource, offset: number, objectNumber: number, context: PDFContext, budget: WorkBudget = new WorkBudget()): PDFObject {
  for (let window = OBJECT_WINDOW; ; window *= 2) {
    const bytes = source.read(offset, Math.min(window, MAX_OBJECT_BYTES));
    budget.parsed(bytes.length, `object ${objectNumber}`);
    const complete = offset + bytes.length >= source.size || window >= MAX_OBJECT_BYTES;
    const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(latin1(bytes.subarray(0, 64)));
    if (!header || Number(header[1]) !== objectNumber) throw invalid(`xref offset ${offset} does not hold object ${objectNumber}`);
    let object: PDFObject;
    try {
      object = parseObject(bytes.subarray(header[0].length), context);
    } catch (error) {
      if (complete && bytes.length >= MAX_OBJECT_BYTES) throw tooComplex(`object ${objectNumber} is larger than ${MAX_OBJECT_BYTES} bytes or does not parse`);
      if (complete) throw invalid(`object ${objectNumber} does not parse: ${String(error)}`);
      continue;
    }
    if (object instanceof PDFRawStream) {
      // pdf-lib cuts a stream short at the end of the window instead of failing: check it is all there.
      const length = numberOf(object.dict.get(PDFName.of("Length")));
      const short = length === undefined ? !latin1(bytes).includes("endstream") : object.contents.length < length;
      if (short && !complete) continue;
      if (short) throw invalid(`stream ${objectNumber}: /Length ${String(length)} runs past the end of the file`);
    }
    return object;
  }
}

function addEntry(entries: Map<number, XrefEntry>, rows: { count: number }, number: number, entry: () => XrefEntry): void {
  if (++rows.count > MAX_XREF_ENTRIES) throw tooComplex(`more than ${MAX_XREF_ENTRIES} cross-reference entries`);
  // The newest section is read first: an older entry never overrides it.
  if (!entries.has(number)) entries.set(number, entry());
}

function readXrefTable(source: PdfSource, offset: number, context: PDFContext, entries: Map<number, XrefEntry>, rows: { count: number }, budget: WorkBudget): PDFDict {
  for (let window = OBJECT_WINDOW; ; window *= 2) {
    if (window > MAX_XREF_TABLE_BYTES) throw tooComplex(`xref table at ${offset} is larger than ${MAX_XREF_TABLE_BYTES} bytes`);
    const bytes = source.read(offset, window);
    budget.parsed(bytes.length, "xref table");
    const text = latin1(bytes);
    const trailerAt = text.indexOf("trailer");
    if (trailerAt < 0) {
      if (bytes.length < window) throw invalid("xref table without trailer");
      continue;
    }
    const lines = text.slice(4, trailerAt).split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
    budget.step("xref table lines", lines.length);
    let number = 0;
    for (const line of lines) {
      const parts = line.split(/\s+/);
      if (parts.length === 2) {
        number = checkedInt(Number(parts[0]), 0, MAX_OBJECT_NUMBER, "xref subsection start");
        checkedInt(Number(parts[1]), 0, MAX_OBJECT_NUMBER + 1 - number, "xref subsection count");
        continue;
      }
      if (parts.length !== 3 || !/^\d{1,10}$/.test(parts[0]!) || !/^\d{1,5}$/.test(parts[1]!) || number > MAX_OBJECT_NUMBER) throw invalid("malformed xref table");
      const at = Number(parts[0]);
      const generation = Number(parts[1]);
      if (parts[2] === "n") addEntry(entries, rows, number, () => ({ kind: "offset", offset: at < source.size ? at : -1, generation }));
      else if (parts[2] === "f") addEntry(entries, rows, number, () => ({ kind: "offset", offset: -1, generation }));
      else throw invalid("malformed xref table");
      number++;
    }
    const trailer = parseObject(bytes.subarray(trailerAt + "trailer".length), context);
    if (!(trailer instanceof PDFDict)) throw invalid("trailer is not a dictionary");
    checkNesting(trailer, budget);
    return trailer;
  }
}

function readXrefStream(source: PdfSource, offset: number, context: PDFContext, entries: Map<number, XrefEntry>, rows: { count: number }, budget: WorkBudget): PDFDict {
  const header = /^\s*(\d+)\s+\d+\s+obj/.exec(latin1(source.read(offset, 64)));
  if (!header) throw invalid("startxref points at neither an xref table nor an xref stream");
  const stream = parseIndirect(source, offset, Number(header[1]), context, budget);
  if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of("Type")) !== PDFName.of("XRef")) throw invalid("not an xref stream");
  checkNesting(stream, budget);
  const data = decodeStream(stream, budget);
  const w = stream.dict.get(PDFName.of("W"));
  const widths = w instanceof PDFArray ? w.asArray().map((v) => numberOf(v)) : [];
  if (widths.length !== 3) throw invalid("xref stream /W must have three numbers");
  const [w0, w1, w2] = widths.map((v, i) => checkedInt(v, i === 1 ? 1 : 0, MAX_XREF_FIELD_WIDTH, `xref stream /W[${i}]`)) as [number, number, number];
  const rowLength = w0 + w1 + w2;
  const size = checkedInt(numberOf(stream.dict.get(PDFName.of("Size"))) ?? 0, 0, MAX_OBJECT_NUMBER + 1, "xref stream /Size");
  const index = stream.dict.get(PDFName.of("Index"));
  const ranges = index instanceof PDFArray ? index.asArray().map((v) => numberOf(v)) : [0, size];
  if (ranges.length % 2 !== 0) throw invalid("xref stream /Index must have pairs of numbers");
  // Every count is checked against the rows the data really holds before any loop runs.
  const available = Math.floor(data.length / rowLength);
  let total = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    const start = checkedInt(ranges[r], 0, MAX_OBJECT_NUMBER, "xref stream /Index start");
    total += checkedInt(ranges[r + 1], 0, MAX_OBJECT_NUMBER + 1 - start, "xref stream /Index count");
  }
  if (total > available) throw invalid(`xref stream /Index lists ${total} entries but the stream holds ${available}`);
  budget.step("xref stream rows", total);
  const field = (pos: number, width: number, fallback: number): number => {
    if (width === 0) return fallback;
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[pos + i]!;
    return v;
  };
  let row = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    const start = ranges[r]!;
    for (let i = 0; i < ranges[r + 1]!; i++, row++) {
      const pos = row * rowLength;
      const type = field(pos, w0, 1);
      const a = field(pos + w0, w1, 0);
      const b = field(pos + w0 + w1, w2, 0);
      addEntry(entries, rows, start + i, () => {
        if (type === 1) return { kind: "offset", offset: a < source.size ? a : -1, generation: b };
        if (type === 2 && a <= MAX_OBJECT_NUMBER) return { kind: "compressed", stream: a, index: b };
        return { kind: "offset", offset: -1, generation: b };
      });
    }
  }
  return stream.dict;
}
