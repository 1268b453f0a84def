/**
 * Decodes the only streams the signer reads: xref streams and object streams. FlateDecode with PNG predictors
 * covers what qpdf, Word, LibreOffice, Ghostscript and scanners write; anything else is `document_invalid`.
 */
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFRawStream } from "@cantoo/pdf-lib";
import { KysoError } from "../../../domain/errors/index.js";
import { MAX_OBJECT_BYTES, WorkBudget, checkedInt } from "./pdf-limits.js";

/** Object and xref streams are small; a bigger one is a zip bomb or not what it claims. */
const MAX_DECODED_BYTES = 4 * MAX_OBJECT_BYTES;

export function decodeStream(stream: PDFRawStream, budget: WorkBudget = new WorkBudget()): Uint8Array {
  const filter = stream.dict.get(PDFName.of("Filter"));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  if (filters.length > 1 || (filters[0] && filters[0] !== PDFName.of("FlateDecode"))) {
    throw new KysoError("document_invalid", `unsupported filter ${String(filter)} on an xref or object stream`);
  }
  let data = stream.contents;
  if (filters.length === 1) {
    try {
      data = inflateSync(data, { maxOutputLength: MAX_DECODED_BYTES });
    } catch (error) {
      throw new KysoError("document_invalid", `corrupt or oversized Flate stream: ${String(error)}`);
    }
  }
  budget.parsed(data.length, "decoded stream");
  const parms = stream.dict.get(PDFName.of("DecodeParms"));
  const params = parms instanceof PDFArray ? parms.get(0) : parms;
  if (params instanceof PDFDict) {
    const predictor = numberOf(params.get(PDFName.of("Predictor"))) ?? 1;
    if (predictor >= 10 && predictor <= 15) {
      // Only 1 byte per pixel is implemented (what xref streams use): other /Colors or /BitsPerComponent are refused.
      checkedInt(numberOf(params.get(PDFName.of("Colors"))) ?? 1, 1, 1, "predictor /Colors");
      checkedInt(numberOf(params.get(PDFName.of("BitsPerComponent"))) ?? 8, 8, 8, "predictor /BitsPerComponent");
      const columns = checkedInt(numberOf(params.get(PDFName.of("Columns"))) ?? 1, 1, Math.max(1, data.length), "predictor /Columns");
      return unpredictPng(data, columns);
    }
    if (predictor !== 1) throw new KysoError("document_invalid", `unsupported predictor ${predictor}`);
  }
  return data;
}

export function numberOf(value: unknown): number | undefined {
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

/** PNG row filters (RFC 2083 §6) with 1 byte per pixel, as PDF xref streams use them. */
function unpredictPng(data: Uint8Array, columns: number): Uint8Array {
  const rowLength = columns + 1;
  const rows = Math.floor(data.length / rowLength);
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * rowLength]!;
    for (let c = 0; c < columns; c++) {
      const raw = data[r * rowLength + 1 + c]!;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = r > 0 ? out[(r - 1) * columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1]! : 0;
      let value: number;
      switch (type) {
        case 0: value = raw; break;
        case 1: value = raw + left; break;
        case 2: value = raw + up; break;
        case 3: value = raw + ((left + up) >> 1); break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left), pb = Math.abs(p - up), pc = Math.abs(p - upLeft);
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default: throw new KysoError("document_invalid", `bad PNG predictor row type ${type}`);
      }
      out[r * columns + c] = value & 0xff;
    }
  }
  return out;
}
