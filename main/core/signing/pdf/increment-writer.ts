/**
 * Serialises an incremental update (ISO 32000-1 §7.5.6): the changed and new objects, then a cross-reference
 * section of the same kind as the file's (a table after a table, a stream after a stream, so readers that
 * follow only one kind still see everything), with /Prev to the previous section.
 */
import type { PDFDict} from "@cantoo/pdf-lib";
import { PDFName, type PDFObject, type PDFRef } from "@cantoo/pdf-lib";
import type { PdfStructure } from "./pdf-reader.js";

export interface IncrementObject {
  readonly ref: PDFRef;
  /** Either a pdf-lib object or bytes already serialised (the signature dictionary with its placeholders). */
  readonly body: PDFObject | Uint8Array;
}

export interface Increment {
  readonly bytes: Uint8Array;
  /** Offset of each object inside `bytes`. */
  readonly offsets: ReadonlyMap<number, number>;
}

const latin1 = (s: string): Uint8Array => Buffer.from(s, "latin1");

function serialise(object: PDFObject): Uint8Array {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

/** `largestObjectNumber`: the highest number among the original and new objects. */
export function writeIncrement(pdf: PdfStructure, objects: readonly IncrementObject[], largestObjectNumber: number): Increment {
  // With an xref stream, the stream itself takes the next number.
  const newSize = largestObjectNumber + (pdf.xrefKind === "stream" ? 2 : 1);
  const parts: Uint8Array[] = [];
  let length = 0;
  const push = (b: Uint8Array): void => {
    parts.push(b);
    length += b.length;
  };
  // The original may end without an end-of-line after %%EOF; the update must start on a new line.
  const last = pdf.source.read(pdf.source.size - 1, 1)[0];
  if (last !== 0x0a && last !== 0x0d) push(latin1("\n"));

  const offsets = new Map<number, number>();
  const generations = new Map<number, number>();
  const globalOffset = (local: number): number => pdf.source.size + local;
  for (const { ref, body } of objects) {
    offsets.set(ref.objectNumber, length);
    generations.set(ref.objectNumber, ref.generationNumber);
    push(latin1(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
    push(body instanceof Uint8Array ? body : serialise(body));
    push(latin1("\nendobj\n"));
  }

  const trailerEntries = (dict: PDFDict): void => {
    dict.set(PDFName.of("Size"), pdf.context.obj(newSize));
    dict.set(PDFName.of("Root"), pdf.root);
    dict.set(PDFName.of("Prev"), pdf.context.obj(pdf.startxref));
    for (const key of ["Info", "ID"]) {
      const value = pdf.trailer.get(PDFName.of(key));
      if (value) dict.set(PDFName.of(key), value);
    }
  };

  const sorted = [...offsets.entries()].sort((a, b) => a[0] - b[0]);
  if (pdf.xrefKind === "table") {
    const xrefAt = length;
    const lines = ["xref"];
    for (const [number, local] of sorted) {
      const generation = String(generations.get(number) ?? 0).padStart(5, "0");
      lines.push(`${number} 1`, `${String(globalOffset(local)).padStart(10, "0")} ${generation} n\r`);
    }
    push(latin1(`${lines.join("\n")}\n`));
    const trailer = pdf.context.obj({});
    trailerEntries(trailer);
    push(latin1("trailer\n"));
    push(serialise(trailer));
    push(latin1(`\nstartxref\n${globalOffset(xrefAt)}\n%%EOF\n`));
  } else {
    // The xref stream lists itself too.
    const xrefNumber = newSize - 1;
    const xrefAt = length;
    const rows = [...sorted, [xrefNumber, xrefAt] as [number, number]];
    const data = new Uint8Array(rows.length * 7);
    rows.forEach(([number, local], i) => {
      const offset = globalOffset(local);
      const generation = generations.get(number) ?? 0;
      data[i * 7] = 1;
      for (let b = 0; b < 4; b++) data[i * 7 + 1 + b] = Math.floor(offset / 256 ** (3 - b)) & 0xff;
      data[i * 7 + 5] = (generation >> 8) & 0xff;
      data[i * 7 + 6] = generation & 0xff;
    });
    const index: number[] = rows.flatMap(([number]) => [number, 1]);
    const dict = pdf.context.obj({ Type: "XRef", W: [1, 4, 2], Index: index, Length: data.length });
    trailerEntries(dict);
    const streamDict = dict as PDFDict;
    push(latin1(`${xrefNumber} 0 obj\n`));
    push(serialise(streamDict));
    push(latin1("\nstream\n"));
    push(data);
    push(latin1(`\nendstream\nendobj\nstartxref\n${globalOffset(xrefAt)}\n%%EOF\n`));
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, offsets };
}

