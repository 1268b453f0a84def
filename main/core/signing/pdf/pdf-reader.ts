/**
 * Reads just the structure a signature needs: the xref chain from the last `startxref`, the merged trailer,
 * and objects on demand (plain or inside object streams). Classic tables, xref streams and hybrid files.
 * Nothing is re-serialised; the signer appends an incremental update after the original bytes.
 */
import type { PDFContext} from "@cantoo/pdf-lib";
import { PDFArray, PDFDict, PDFName, PDFObjectParser, PDFRawStream, PDFRef, type PDFObject } from "@cantoo/pdf-lib";
import { KysoError } from "../../errors/index.js";
import type { PdfSource } from "./pdf-source.js";
import { decodeStream, numberOf } from "./stream-decode.js";

type XrefEntry = { readonly kind: "offset"; readonly offset: number; readonly generation: number } | { readonly kind: "compressed"; readonly stream: number; readonly index: number };

/** Window read around an object; doubled when an object (an object stream) is larger. */
const OBJECT_WINDOW = 64 * 1024;
const TAIL_WINDOW = 2048;
const MAX_XREF_SECTIONS = 1000;

export interface PdfStructure {
  readonly source: PdfSource;
  readonly context: PDFContext;
  /** Offset of the last xref section: the increment's /Prev. */
  readonly startxref: number;
  readonly xrefKind: "table" | "stream";
  readonly trailer: PDFDict;
  readonly size: number;
  readonly root: PDFRef;
  lookup(ref: PDFRef): PDFObject | undefined;
  lookupDict(value: PDFObject | undefined): PDFDict | undefined;
}

const invalid = (detail: string): KysoError => new KysoError("document_invalid", detail);
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

export function readPdfStructure(source: PdfSource, context: PDFContext): PdfStructure {
  if (source.size < 32 || !latin1(source.read(0, 1024)).includes("%PDF-")) throw invalid("not a PDF (no %PDF- header)");
  const tail = latin1(source.read(Math.max(0, source.size - TAIL_WINDOW), TAIL_WINDOW));
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) throw invalid("no startxref/%%EOF at the end: truncated or damaged PDF");
  const startxref = Number(match[1]);
  if (startxref >= source.size) throw invalid("startxref points past the end of the file");

  const entries = new Map<number, XrefEntry>();
  const trailers: PDFDict[] = [];
  let xrefKind: "table" | "stream" | undefined;
  const seen = new Set<number>();
  const pending = [startxref];
  while (pending.length > 0) {
    const offset = pending.shift()!;
    if (seen.has(offset) || seen.size > MAX_XREF_SECTIONS) continue;
    seen.add(offset);
    const head = latin1(source.read(offset, 8));
    let trailer: PDFDict;
    if (head.startsWith("xref")) {
      trailer = readXrefTable(source, offset, context, entries);
      xrefKind ??= "table";
      const hybrid = numberOf(trailer.get(PDFName.of("XRefStm")));
      if (hybrid !== undefined) pending.unshift(hybrid);
    } else {
      trailer = readXrefStream(source, offset, context, entries);
      xrefKind ??= "stream";
    }
    trailers.push(trailer);
    const prev = numberOf(trailer.get(PDFName.of("Prev")));
    if (prev !== undefined) pending.push(prev);
  }

  const newest = trailers[0]!;
  const pick = (key: string): PDFObject | undefined => trailers.map((t) => t.get(PDFName.of(key))).find((v) => v !== undefined);
  if (pick("Encrypt")) throw new KysoError("document_encrypted", "the trailer has /Encrypt");
  const root = pick("Root");
  if (!(root instanceof PDFRef)) throw invalid("trailer has no /Root");
  const size = numberOf(newest.get(PDFName.of("Size")));
  if (size === undefined) throw invalid("trailer has no /Size");

  const cache = new Map<number, PDFObject | undefined>();
  const objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number>; first: number }>();

  const lookup = (ref: PDFRef): PDFObject | undefined => {
    if (cache.has(ref.objectNumber)) return cache.get(ref.objectNumber);
    const entry = entries.get(ref.objectNumber);
    let value: PDFObject | undefined;
    if (entry?.kind === "offset" && entry.offset >= 0) value = parseIndirect(source, entry.offset, ref.objectNumber, context);
    else if (entry?.kind === "compressed") value = fromObjectStream(entry.stream, ref.objectNumber);
    cache.set(ref.objectNumber, value);
    return value;
  };

  const fromObjectStream = (streamNumber: number, objectNumber: number): PDFObject | undefined => {
    let loaded = objectStreams.get(streamNumber);
    if (!loaded) {
      const stream = lookup(PDFRef.of(streamNumber));
      if (!(stream instanceof PDFRawStream)) throw invalid(`object stream ${streamNumber} is missing`);
      const data = decodeStream(stream);
      const n = numberOf(stream.dict.get(PDFName.of("N"))) ?? 0;
      const first = numberOf(stream.dict.get(PDFName.of("First"))) ?? 0;
      const header = latin1(data.subarray(0, first)).trim().split(/\s+/).map(Number);
      const offsets = new Map<number, number>();
      for (let i = 0; i + 1 < header.length && i / 2 < n; i += 2) offsets.set(header[i]!, header[i + 1]!);
      loaded = { data, offsets, first };
      objectStreams.set(streamNumber, loaded);
    }
    const at = loaded.offsets.get(objectNumber);
    if (at === undefined) return undefined;
    return PDFObjectParser.forBytes(loaded.data.subarray(loaded.first + at), context).parseObject();
  };

  const lookupDict = (value: PDFObject | undefined): PDFDict | undefined => {
    const resolved = value instanceof PDFRef ? lookup(value) : value;
    return resolved instanceof PDFDict ? resolved : undefined;
  };

  return { source, context, startxref, xrefKind: xrefKind ?? "table", trailer: newest, size, root, lookup, lookupDict };
}

/** `N G obj <object> endobj` at `offset`, read through a growing window. */
export function parseIndirect(source: PdfSource, offset: number, objectNumber: number, context: PDFContext): PDFObject {
  for (let window = OBJECT_WINDOW; ; window *= 2) {
    const bytes = source.read(offset, window);
    const complete = offset + bytes.length >= source.size;
    const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(latin1(bytes.subarray(0, 64)));
    if (!header || Number(header[1]) !== objectNumber) throw invalid(`xref offset ${offset} does not hold object ${objectNumber}`);
    let object: PDFObject;
    try {
      object = PDFObjectParser.forBytes(bytes.subarray(header[0].length), context).parseObject();
    } catch (error) {
      if (complete) throw invalid(`object ${objectNumber} does not parse: ${String(error)}`);
      continue;
    }
    if (object instanceof PDFRawStream && !complete) {
      // pdf-lib cuts a stream short at the end of the window instead of failing: check it is all there.
      const length = numberOf(object.dict.get(PDFName.of("Length")));
      if (length === undefined ? !latin1(bytes).includes("endstream") : object.contents.length < length) continue;
    }
    return object;
  }
}

function readXrefTable(source: PdfSource, offset: number, context: PDFContext, entries: Map<number, XrefEntry>): PDFDict {
  for (let window = OBJECT_WINDOW; ; window *= 2) {
    const bytes = source.read(offset, window);
    const text = latin1(bytes);
    const trailerAt = text.indexOf("trailer");
    if (trailerAt < 0) {
      if (bytes.length < window) throw invalid("xref table without trailer");
      continue;
    }
    const lines = text.slice(4, trailerAt).split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
    let number = 0;
    for (const line of lines) {
      const parts = line.split(/\s+/);
      if (parts.length === 2) {
        number = Number(parts[0]);
        continue;
      }
      if (parts.length !== 3 || !/^\d+$/.test(parts[0]!)) throw invalid("malformed xref table");
      if (parts[2] === "n" && !entries.has(number)) entries.set(number, { kind: "offset", offset: Number(parts[0]), generation: Number(parts[1]) });
      if (parts[2] === "f" && !entries.has(number)) entries.set(number, { kind: "offset", offset: -1, generation: Number(parts[1]) });
      number++;
    }
    const trailer = PDFObjectParser.forBytes(bytes.subarray(trailerAt + "trailer".length), context).parseObject();
    if (!(trailer instanceof PDFDict)) throw invalid("trailer is not a dictionary");
    return trailer;
  }
}

function readXrefStream(source: PdfSource, offset: number, context: PDFContext, entries: Map<number, XrefEntry>): PDFDict {
  const header = /^\s*(\d+)\s+\d+\s+obj/.exec(latin1(source.read(offset, 64)));
  if (!header) throw invalid("startxref points at neither an xref table nor an xref stream");
  const stream = parseIndirect(source, offset, Number(header[1]), context);
  if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of("Type")) !== PDFName.of("XRef")) throw invalid("not an xref stream");
  const data = decodeStream(stream);
  const w = stream.dict.get(PDFName.of("W"));
  const widths = w instanceof PDFArray ? w.asArray().map((v) => numberOf(v) ?? 0) : [];
  if (widths.length !== 3) throw invalid("xref stream /W must have three numbers");
  const size = numberOf(stream.dict.get(PDFName.of("Size"))) ?? 0;
  const index = stream.dict.get(PDFName.of("Index"));
  const ranges = index instanceof PDFArray ? index.asArray().map((v) => numberOf(v) ?? 0) : [0, size];
  const rowLength = widths[0]! + widths[1]! + widths[2]!;
  const field = (pos: number, width: number, fallback: number): number => {
    if (width === 0) return fallback;
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[pos + i]!;
    return v;
  };
  let row = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    for (let i = 0; i < ranges[r + 1]!; i++, row++) {
      const pos = row * rowLength;
      if (pos + rowLength > data.length) throw invalid("xref stream shorter than its /Index");
      const number = ranges[r]! + i;
      if (entries.has(number)) continue;
      const type = field(pos, widths[0]!, 1);
      const a = field(pos + widths[0]!, widths[1]!, 0);
      const b = field(pos + widths[0]! + widths[1]!, widths[2]!, 0);
      if (type === 1) entries.set(number, { kind: "offset", offset: a, generation: b });
      else if (type === 2) entries.set(number, { kind: "compressed", stream: a, index: b });
      else entries.set(number, { kind: "offset", offset: -1, generation: b });
    }
  }
  return stream.dict;
}
