/**
 * A small reader of a page's text layer: where each run of text starts, in default user space, and what it says.
 * Enough to find the signature block of a Vietnamese official document (leader-position.ts); not a renderer.
 * It follows the text operators (BT/ET, Tf, Td, TD, Tm, T*, TL, Tj, TJ, ', "), q/Q and cm, and decodes strings
 * through the font's /ToUnicode CMap (bfchar, bfrange; 1- or 2-byte codes), else as Latin-1. Widths are estimated
 * (half an em per character): the block's centre only needs to be close. Runs in the document worker; at most
 * 4 MiB of content is read (decoded under the document's budget), and a page beyond that gives no runs.
 */
import { PDFArray, PDFName, PDFRawStream, PDFRef, type PDFDict, type PDFObject } from "@cantoo/pdf-lib";
import type { PageRef } from "../pdf-model.js";
import type { PdfStructure } from "../pdf-reader.js";
import { decodeStream } from "../stream-decode.js";

export interface TextRun {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** Estimated: characters x size x 0.5. */
  readonly width: number;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
];
const MAX_RUNS = 20_000;
/** A page's content beyond this is not read for text (a scan or a drawing, not a typed signature block). */
const MAX_CONTENT_BYTES = 4 * 1024 * 1024;

interface Font {
  readonly map?: Map<number, string>;
  readonly bytes: 1 | 2;
}

function streamBytes(pdf: PdfStructure, value: PDFObject | undefined): Uint8Array | undefined {
  const object = value instanceof PDFRef ? pdf.lookup(value) : value;
  return object instanceof PDFRawStream ? decodeStream(object, pdf.budget) : undefined;
}

const hexValue = (hex: string): number => Number.parseInt(hex, 16);
function hexText(hex: string): string {
  let out = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(hexValue(hex.slice(i, i + 4)));
  return out;
}

/** bfchar and bfrange entries of a ToUnicode CMap (the forms pdf-lib, Word and LibreOffice write). */
function parseToUnicode(text: string): { map: Map<number, string>; bytes: 1 | 2 } {
  const map = new Map<number, string>();
  let bytes: 1 | 2 = 1;
  const code = (hex: string): number => {
    if (hex.length > 2) bytes = 2;
    return hexValue(hex);
  };
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(code(m[1]!), hexText(m[2]!));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])/g)) {
      const lo = code(m[1]!);
      const hi = Math.min(hexValue(m[2]!), lo + 0xffff);
      const targets = m[3]!.startsWith("[") ? [...m[3]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((t) => hexText(t[1]!)) : undefined;
      const base = targets ? "" : hexText(m[3]!.slice(1, -1));
      for (let c = lo; c <= hi; c++) {
        if (targets) map.set(c, targets[c - lo] ?? "");
        else map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)));
      }
    }
  }
  return { map, bytes };
}

function fontOf(pdf: PdfStructure, fonts: PDFDict | undefined, name: string, cache: Map<string, Font>): Font {
  const known = cache.get(name);
  if (known) return known;
  const dict = pdf.lookupDict(fonts?.get(PDFName.of(name)));
  const type0 = dict?.get(PDFName.of("Subtype")) === PDFName.of("Type0");
  let font: Font = { bytes: type0 ? 2 : 1 };
  const cmap = streamBytes(pdf, dict?.get(PDFName.of("ToUnicode")));
  if (cmap) {
    const parsed = parseToUnicode(Buffer.from(cmap).toString("latin1"));
    font = { map: parsed.map, bytes: type0 ? 2 : parsed.bytes };
  }
  cache.set(name, font);
  return font;
}

function decodeString(raw: Uint8Array, font: Font): string {
  let out = "";
  for (let i = 0; i + font.bytes <= raw.length; i += font.bytes) {
    const code = font.bytes === 2 ? (raw[i]! << 8) | raw[i + 1]! : raw[i]!;
    out += font.map?.get(code) ?? (font.bytes === 1 ? String.fromCharCode(code) : "");
  }
  return out;
}

type Token = { kind: "num"; value: number } | { kind: "str"; value: Uint8Array } | { kind: "name"; value: string } | { kind: "op"; value: string } | { kind: "array"; value: Token[] };

/** The content stream's tokens, operands grouped into arrays; dictionaries (inline images, marked content) skipped. */
function* tokens(data: Uint8Array): Generator<Token> {
  const s = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
  const stack: Token[][] = [];
  let i = 0;
  const emit = function* (t: Token): Generator<Token> {
    if (stack.length > 0) stack.at(-1)!.push(t);
    else yield t;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "%") while (i < s.length && s[i] !== "\n" && s[i] !== "\r") i++;
    else if (c === "(") {
      const bytes: number[] = [];
      let depth = 1;
      i++;
      while (i < s.length && depth > 0) {
        const ch = s[i++]!;
        if (ch === "\\") {
          const e = s[i++] ?? "";
          const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, "(": 40, ")": 41, "\\": 92 };
          if (/[0-7]/.test(e)) {
            let oct = e;
            while (oct.length < 3 && /[0-7]/.test(s[i] ?? "")) oct += s[i++];
            bytes.push(Number.parseInt(oct, 8) & 0xff);
          } else if (esc[e] !== undefined) bytes.push(esc[e]);
          else if (e !== "\n" && e !== "\r") bytes.push(e.charCodeAt(0));
        } else {
          if (ch === "(") depth++;
          if (ch === ")" && --depth === 0) break;
          bytes.push(ch.charCodeAt(0));
        }
      }
      yield* emit({ kind: "str", value: Uint8Array.from(bytes) });
    } else if (c === "<" && s[i + 1] === "<") {
      // A dictionary operand (BDC, BI...): skipped whole.
      let depth = 0;
      do {
        if (s.startsWith("<<", i)) {
          depth++;
          i += 2;
        } else if (s.startsWith(">>", i)) {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < s.length);
    } else if (c === "<") {
      const end = s.indexOf(">", i);
      const hex = s.slice(i + 1, end < 0 ? s.length : end).replace(/\s/g, "");
      i = end < 0 ? s.length : end + 1;
      yield* emit({ kind: "str", value: Uint8Array.from(Buffer.from(hex.length % 2 ? `${hex}0` : hex, "hex")) });
    } else if (c === "[") {
      stack.push([]);
      i++;
    } else if (c === "]") {
      const items = stack.pop() ?? [];
      i++;
      yield* emit({ kind: "array", value: items });
    } else if (c === "/") {
      const m = /^\/[^\s/<>[\]()%{}]*/.exec(s.slice(i, i + 128))!;
      i += m[0].length;
      yield* emit({ kind: "name", value: m[0].slice(1) });
    } else {
      const m = /^[^\s/<>[\]()%{}]+/.exec(s.slice(i, i + 64));
      const word = m ? m[0] : c;
      i += word.length;
      const n = Number(word);
      if (Number.isFinite(n) && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) yield* emit({ kind: "num", value: n });
      else if (word === "ID") {
        // Inline image data runs to "EI": skipped so its bytes are not read as operators.
        const end = s.indexOf("EI", i);
        i = end < 0 ? s.length : end + 2;
      } else yield* emit({ kind: "op", value: word });
    }
  }
}

export function pageTextRuns(pdf: PdfStructure, page: PageRef): TextRun[] {
  const contents = page.dict.get(PDFName.of("Contents"));
  const resolved = contents instanceof PDFRef ? pdf.lookup(contents) : contents;
  const parts = resolved instanceof PDFArray ? resolved.asArray() : [contents];
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const bytes = streamBytes(pdf, part);
    if (bytes) chunks.push(bytes, Buffer.from("\n"));
    if (chunks.reduce((n, c) => n + c.length, 0) > MAX_CONTENT_BYTES) return [];
  }
  const resources = pdf.lookupDict(page.dict.get(PDFName.of("Resources")));
  const fonts = pdf.lookupDict(resources?.get(PDFName.of("Font")));
  const cache = new Map<string, Font>();
  const runs: TextRun[] = [];
  const states: Matrix[] = [];
  let ctm: Matrix = [...IDENTITY];
  let tm: Matrix = [...IDENTITY];
  let tlm: Matrix = [...IDENTITY];
  let leading = 0;
  let font: Font = { bytes: 1 };
  let size = 0;
  let operands: Token[] = [];
  const nums = (): number[] => operands.map((t) => (t.kind === "num" ? t.value : Number.NaN));
  const newLine = (tx: number, ty: number): void => {
    tlm = mul([1, 0, 0, 1, tx, ty], tlm);
    tm = [...tlm];
  };
  const show = (strings: Uint8Array[]): void => {
    const text = strings.map((raw) => decodeString(raw, font)).join("");
    if (!text.trim() || runs.length >= MAX_RUNS) return;
    const m = mul(tm, ctm);
    const scale = Math.hypot(m[2], m[3]) || 1;
    runs.push({ text, x: m[4], y: m[5], size: size * scale, width: text.length * size * scale * 0.5 });
    // The next show on the same line starts after this one (estimated).
    tm = mul([1, 0, 0, 1, text.length * size * 0.5, 0], tm);
  };
  for (const token of tokens(Buffer.concat(chunks))) {
    if (token.kind !== "op") {
      operands.push(token);
      continue;
    }
    const n = nums();
    switch (token.value) {
      case "q": states.push([...ctm]); break;
      case "Q": ctm = states.pop() ?? [...IDENTITY]; break;
      case "cm": if (n.length === 6 && n.every(Number.isFinite)) ctm = mul(n as Matrix, ctm); break;
      case "BT": tm = [...IDENTITY]; tlm = [...IDENTITY]; break;
      case "Tf": {
        const [name, sz] = operands;
        if (name?.kind === "name" && sz?.kind === "num") {
          font = fontOf(pdf, fonts, name.value, cache);
          size = sz.value;
        }
        break;
      }
      case "TL": leading = n[0] ?? leading; break;
      case "Td": newLine(n[0] ?? 0, n[1] ?? 0); break;
      case "TD": leading = -(n[1] ?? 0); newLine(n[0] ?? 0, n[1] ?? 0); break;
      case "Tm": if (n.length === 6 && n.every(Number.isFinite)) { tlm = n as Matrix; tm = [...tlm]; } break;
      case "T*": newLine(0, -leading); break;
      case "Tj": show(operands.flatMap((t) => (t.kind === "str" ? [t.value] : []))); break;
      case "'": newLine(0, -leading); show(operands.flatMap((t) => (t.kind === "str" ? [t.value] : []))); break;
      case "\"": newLine(0, -leading); show(operands.slice(2).flatMap((t) => (t.kind === "str" ? [t.value] : []))); break;
      case "TJ": {
        const array = operands.find((t) => t.kind === "array");
        if (array?.kind === "array") show(array.value.flatMap((t) => (t.kind === "str" ? [t.value] : [])));
        break;
      }
    }
    operands = [];
  }
  return runs;
}

/**
 * Runs grouped into lines: the same baseline (within a third of the font size) and close together (a gap under
 * four ems), so a "Nơi nhận" column beside the signature block stays a line of its own. Top to bottom.
 */
export interface TextLine {
  readonly text: string;
  readonly x1: number;
  readonly x2: number;
  readonly y: number;
  readonly size: number;
}

export function textLines(runs: readonly TextRun[]): TextLine[] {
  const sorted = [...runs].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: TextRun[][] = [];
  for (const run of sorted) {
    const row = rows.at(-1);
    if (row && Math.abs(row[0]!.y - run.y) <= Math.max(1, run.size / 3)) row.push(run);
    else rows.push([run]);
  }
  const lines: TextLine[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let segment: TextRun[] = [];
    const flush = (): void => {
      if (segment.length === 0) return;
      lines.push({
        text: segment.map((r) => r.text).join("").replace(/\s+/g, " ").trim(),
        x1: segment[0]!.x,
        x2: Math.max(...segment.map((r) => r.x + r.width)),
        y: segment[0]!.y,
        size: Math.max(...segment.map((r) => r.size)),
      });
      segment = [];
    };
    for (const run of row) {
      const last = segment.at(-1);
      if (last && run.x - (last.x + last.width) > 4 * Math.max(run.size, 1)) flush();
      segment.push(run);
    }
    flush();
  }
  return lines;
}
