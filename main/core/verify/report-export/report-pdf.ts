/**
 * The human-readable verification report as a PDF (A4), written from the report data with the words of
 * report-lines.ts, in DejaVu Sans (the font the signature stamp already bundles: full Vietnamese coverage). The
 * text is real text (a subset font with its ToUnicode map), so `pdftotext` and a screen reader read it.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fontkit from "@cantoo/fontkit";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "@cantoo/pdf-lib";
import type { Language } from "../../../domain/errors/kyso-error.js";
import { dejaVuSans } from "../../signing/pdf/appearance.js";
import type { Indication, VerificationReport } from "../../../domain/wire/verify-report.js";
import { reportSections, utcTime, type ReportSection } from "./report-lines.js";

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const LABEL_WIDTH = 170;

let boldBytes: Promise<Uint8Array> | undefined;
function dejaVuSansBold(): Promise<Uint8Array> {
  boldBytes ??= (async () => {
    const pkg = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json");
    return new Uint8Array(await readFile(join(dirname(pkg), "ttf", "DejaVuSans-Bold.ttf")));
  })();
  return boldBytes;
}

const VERDICT_COLOUR: Readonly<Record<Indication, ReturnType<typeof rgb>>> = {
  "TOTAL-PASSED": rgb(0.05, 0.45, 0.2),
  "TOTAL-FAILED": rgb(0.7, 0.1, 0.1),
  INDETERMINATE: rgb(0.55, 0.4, 0),
};

export interface ReportPdfOptions {
  readonly fileName: string;
  readonly language: Language;
  readonly appVersion: string;
  /** When the file is made (the report keeps its own validation time). */
  readonly now: Date;
}

/** Greedy word wrap to `width` points; a word longer than the line (a hash) is cut by characters. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

class Writer {
  private page!: PDFPage;
  private y = 0;
  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  private room(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  paragraph(text: string, options: { size?: number; bold?: boolean; colour?: ReturnType<typeof rgb>; x?: number; width?: number; gap?: number } = {}): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const x = options.x ?? MARGIN;
    const width = options.width ?? A4[0] - MARGIN - x;
    for (const line of wrapText(text, font, size, width)) {
      this.room(size * 1.35);
      this.y -= size * 1.35;
      this.page.drawText(line, { x, y: this.y, size, font, color: options.colour ?? rgb(0, 0, 0) });
    }
    this.y -= options.gap ?? 0;
  }

  row(label: string, value: string): void {
    const size = 9.5;
    const valueX = MARGIN + LABEL_WIDTH;
    const labelLines = label ? wrapText(label, this.bold, size, LABEL_WIDTH - 8) : [];
    const valueLines = wrapText(value, this.regular, size, A4[0] - MARGIN - valueX);
    const count = Math.max(labelLines.length, valueLines.length);
    for (let i = 0; i < count; i++) {
      this.room(size * 1.35);
      this.y -= size * 1.35;
      const l = labelLines[i];
      const v = valueLines[i];
      if (l) this.page.drawText(l, { x: MARGIN, y: this.y, size, font: this.bold, color: rgb(0.25, 0.25, 0.25) });
      if (v) this.page.drawText(v, { x: label ? valueX : MARGIN, y: this.y, size, font: this.regular });
    }
    this.y -= 3;
  }

  section(section: ReportSection, indication: Indication): void {
    this.room(60);
    this.y -= 8;
    this.paragraph(section.heading, { size: 13, bold: true, gap: 2 });
    if (section.verdict) this.paragraph(section.verdict, { size: 11, bold: true, colour: VERDICT_COLOUR[indication], gap: 4 });
    for (const [label, value] of section.rows) this.row(label, value);
  }
}

export async function reportPdf(report: VerificationReport, options: ReportPdfOptions): Promise<Uint8Array> {
  const sections = reportSections(report, options.fileName, options.language);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(await dejaVuSans(), { subset: true });
  const bold = await doc.embedFont(await dejaVuSansBold(), { subset: true });
  doc.setTitle(`${sections.title}: ${options.fileName}`);
  doc.setLanguage(options.language === "vi" ? "vi-VN" : "en-GB");
  doc.setProducer(`KySo ${options.appVersion}`);
  doc.setCreator("KySo");
  doc.setCreationDate(options.now);
  doc.setModificationDate(options.now);

  const writer = new Writer(doc, regular, bold);
  writer.paragraph(sections.title, { size: 18, bold: true, gap: 6 });
  writer.section(sections.document, report.result.indication);
  report.signatures.forEach((signature, i) => writer.section(sections.signatures[i]!, signature.result.indication));
  writer.paragraph("", { gap: 6 });
  writer.paragraph(sections.generated(options.appVersion, utcTime(options.now.toISOString())), { size: 8, colour: rgb(0.35, 0.35, 0.35) });
  return doc.save({ useObjectStreams: false });
}
