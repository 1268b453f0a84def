/**
 * The copy preset's scan check (Decree 30/2020 Appendix I: the scan in colour, at least 200 dpi). For each page
 * the largest image XObject of its resources stands for the scan; its resolution is its pixel size over the
 * page's size in inches (a scanner's page image covers the page; the content stream's matrix is not read), and it
 * is "not in colour" when its colour space has one component (DeviceGray, CalGray, ICCBased /N 1), it is a mask,
 * or it has 1 bit per component. Runs where every PDF read runs: in the bounded document worker, on the same
 * budget; an image object that cannot be read within the limits is skipped, not refused (a warning is advisory).
 */
import { PDFArray, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFDict, type PDFObject } from "@cantoo/pdf-lib";
import { COPY_MIN_SCAN_DPI, type ScanWarning } from "../../../../domain/stamp-presets.js";
import { pageAt, pageCount } from "../pdf-model.js";
import type { PdfStructure } from "../pdf-reader.js";

/** Pages looked at: a certified copy is judged on its first pages; a 500-page dossier is not walked image by image. */
export const SCAN_CHECK_MAX_PAGES = 20;
const MAX_IMAGES_PER_PAGE = 16;

export interface ScanCheck {
  readonly warnings: readonly ScanWarning[];
  /** The lowest resolution among the pages' scans; absent when no page carries an image. */
  readonly dpi?: number;
}

const num = (value: PDFObject | undefined): number | undefined => (value instanceof PDFNumber ? value.asNumber() : undefined);

function components(pdf: PdfStructure, space: PDFObject | undefined): number {
  const value = space instanceof PDFRef ? pdf.lookup(space) : space;
  if (value instanceof PDFName) return value === PDFName.of("DeviceGray") || value === PDFName.of("CalGray") ? 1 : value === PDFName.of("DeviceCMYK") ? 4 : 3;
  if (value instanceof PDFArray) {
    const family = value.get(0);
    if (family === PDFName.of("CalGray")) return 1;
    if (family === PDFName.of("ICCBased")) return num(pdf.lookupDict(value.get(1))?.get(PDFName.of("N"))) ?? 3;
    if (family === PDFName.of("Indexed")) return components(pdf, value.get(1));
  }
  return 3;
}

function imageDict(pdf: PdfStructure, value: PDFObject): PDFDict | undefined {
  try {
    const object = value instanceof PDFRef ? pdf.lookup(value) : value;
    return object instanceof PDFRawStream && object.dict.get(PDFName.of("Subtype")) === PDFName.of("Image") ? object.dict : undefined;
  } catch {
    return undefined;
  }
}

export function checkScan(pdf: PdfStructure): ScanCheck {
  const warnings = new Set<ScanWarning>();
  let lowest: number | undefined;
  const pages = Math.min(pageCount(pdf), SCAN_CHECK_MAX_PAGES);
  for (let n = 1; n <= pages; n++) {
    const page = pageAt(pdf, n);
    const resources = pdf.lookupDict(page.dict.get(PDFName.of("Resources")));
    const xobjects = pdf.lookupDict(resources?.get(PDFName.of("XObject")));
    if (!xobjects) continue;
    let largest: PDFDict | undefined;
    let pixels = 0;
    for (const [, value] of xobjects.entries().slice(0, MAX_IMAGES_PER_PAGE)) {
      pdf.budget.step("scan check image");
      const dict = imageDict(pdf, value);
      const w = num(dict?.get(PDFName.of("Width"))) ?? 0;
      const h = num(dict?.get(PDFName.of("Height"))) ?? 0;
      if (dict && w * h > pixels) [largest, pixels] = [dict, w * h];
    }
    if (!largest) continue;
    const [x1, y1, x2, y2] = page.mediaBox;
    const dpi = Math.min((num(largest.get(PDFName.of("Width")))! * 72) / Math.abs(x2 - x1), (num(largest.get(PDFName.of("Height")))! * 72) / Math.abs(y2 - y1));
    lowest = lowest === undefined ? dpi : Math.min(lowest, dpi);
    if (dpi < COPY_MIN_SCAN_DPI) warnings.add("scan-low-dpi");
    const mask = largest.get(PDFName.of("ImageMask"))?.toString() === "true";
    if (mask || num(largest.get(PDFName.of("BitsPerComponent"))) === 1 || components(pdf, largest.get(PDFName.of("ColorSpace"))) === 1) warnings.add("scan-not-colour");
  }
  return { warnings: [...warnings], ...(lowest !== undefined ? { dpi: Math.round(lowest) } : {}) };
}
