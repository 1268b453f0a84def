/**
 * Hand-written PDFs for hostile cases: objects as source text, a classic xref table or an xref stream with any
 * /W, /Index and rows the test wants, and correct offsets. Used by the unit tests and as fuzzer seeds.
 */
import { deflateSync } from "node:zlib";

const enc = (s: string): Buffer => Buffer.from(s, "latin1");

export interface HandmadeOptions {
  /** Extra trailer entries, e.g. "/Prev 9 /Info 5 0 R". */
  readonly trailer?: string;
  /** Overrides /Size. */
  readonly size?: number;
  readonly root?: number;
}

/** Objects by number → body text; classic xref table; `startxref` points at it. */
export function handmadePdf(objects: Readonly<Record<number, string | Uint8Array>>, options: HandmadeOptions = {}): Uint8Array {
  const parts: Buffer[] = [enc("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")];
  let length = parts[0]!.length;
  const offsets = new Map<number, number>();
  const numbers = Object.keys(objects).map(Number).sort((a, b) => a - b);
  for (const n of numbers) {
    offsets.set(n, length);
    const body = objects[n]!;
    const chunk = Buffer.concat([enc(`${n} 0 obj\n`), typeof body === "string" ? enc(body) : Buffer.from(body), enc("\nendobj\n")]);
    parts.push(chunk);
    length += chunk.length;
  }
  const max = numbers.at(-1) ?? 0;
  const lines = ["xref", `0 ${max + 1}`, "0000000000 65535 f\r"];
  for (let n = 1; n <= max; n++) {
    const at = offsets.get(n);
    lines.push(at === undefined ? "0000000000 00000 f\r" : `${String(at).padStart(10, "0")} 00000 n\r`);
  }
  const xrefAt = length;
  parts.push(enc(`${lines.join("\n")}\ntrailer\n<< /Size ${options.size ?? max + 1} /Root ${options.root ?? 1} 0 R ${options.trailer ?? ""} >>\nstartxref\n${xrefAt}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A minimal valid document: catalog 1, pages 2, one page 3; `extra` objects and catalog entries added. */
export function minimalPdf(extraObjects: Readonly<Record<number, string>> = {}, catalogExtra = "", options: HandmadeOptions = {}): Uint8Array {
  return handmadePdf(
    {
      1: `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`,
      2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      3: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
      ...extraObjects,
    },
    options,
  );
}

export interface XrefStreamOptions {
  readonly w: readonly number[] | string;
  readonly index?: string;
  /** Raw (uncompressed) row bytes; compressed with Flate unless `raw`. */
  readonly rows: Uint8Array;
  readonly raw?: boolean;
  readonly extra?: string;
}

/** The minimal document behind an xref stream with whatever /W, /Index and rows the caller gives. */
export function xrefStreamPdf(options: XrefStreamOptions): Uint8Array {
  const head = enc("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  ];
  const parts: Buffer[] = [head];
  let length = head.length;
  objects.forEach((body, i) => {
    const chunk = enc(`${i + 1} 0 obj\n${body}\nendobj\n`);
    parts.push(chunk);
    length += chunk.length;
  });
  const data = options.raw ? Buffer.from(options.rows) : deflateSync(options.rows);
  const w = typeof options.w === "string" ? options.w : `[${options.w.join(" ")}]`;
  const dict = `<< /Type /XRef /Size 5 /Root 1 0 R /W ${w} ${options.index ? `/Index ${options.index}` : ""} ${options.raw ? "" : "/Filter /FlateDecode"} /Length ${data.length} ${options.extra ?? ""} >>`;
  parts.push(enc(`4 0 obj\n${dict}\nstream\n`), data, enc(`\nendstream\nendobj\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/**
 * The catalog (object 1) inside an object stream (object 5) with the given /N and /First, behind an xref stream
 * (object 4) that lists object 1 as compressed.
 */
export function objectStreamPdf(n: string, first?: string): Uint8Array {
  const head = enc("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
  const parts: Buffer[] = [head];
  let length = head.length;
  const offsets: number[] = [];
  const push = (number: number, body: Buffer): void => {
    offsets[number] = length;
    const chunk = Buffer.concat([enc(`${number} 0 obj\n`), body, enc("\nendobj\n")]);
    parts.push(chunk);
    length += chunk.length;
  };
  push(2, enc("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
  push(3, enc("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"));
  const header = "1 0 ";
  const catalog = "<< /Type /Catalog /Pages 2 0 R >>";
  const objstm = enc(header + catalog);
  push(5, Buffer.concat([enc(`<< /Type /ObjStm /N ${n} /First ${first ?? header.length} /Length ${objstm.length} >>\nstream\n`), objstm, enc("\nendstream")]));
  const xrefAt = length;
  const row = (type: number, a: number, b: number): number[] => [type, (a >> 24) & 255, (a >> 16) & 255, (a >> 8) & 255, a & 255, b];
  const rows = Buffer.from([...row(0, 0, 255), ...row(2, 5, 0), ...row(1, offsets[2]!, 0), ...row(1, offsets[3]!, 0), ...row(1, xrefAt, 0), ...row(1, offsets[5]!, 0)]);
  const dict = `<< /Type /XRef /Size 6 /Root 1 0 R /W [1 4 1] /Length ${rows.length} >>`;
  parts.push(enc(`4 0 obj\n${dict}\nstream\n`), rows, enc(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** Appends an xref section (one free entry) whose /Prev is `prev`; returns the new file and the section's offset. */
export function appendXrefSection(pdf: Uint8Array, prev: number, root = 1): { pdf: Uint8Array; at: number } {
  const at = pdf.length;
  const section = enc(`xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 4 /Root ${root} 0 R /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`);
  return { pdf: Buffer.concat([Buffer.from(pdf), section]), at };
}

/** Offset of the last `startxref` value. */
export function lastStartxref(pdf: Uint8Array): number {
  const text = Buffer.from(pdf).toString("latin1");
  return Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
}
