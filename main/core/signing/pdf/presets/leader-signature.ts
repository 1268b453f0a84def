/**
 * Where the leader signed: the seal preset covers the left third of the leader's image (Decree 30/2020), so it
 * looks for the widget of the leader's signature already in the document. A signature KySo made with the leader
 * preset is recognised by its `/Prop_Build /KySo_Preset /leader`; failing that, the last visible signature
 * (another tool's leader signature) is taken. Only the document's own structure is read (bounded walks).
 */
import { PDFArray, PDFName, PDFNumber, PDFRef, type PDFDict, type PDFObject } from "@cantoo/pdf-lib";
import { formFields, pageAt, pageCount, resolveArray } from "../pdf-model.js";
import type { PdfStructure } from "../pdf-reader.js";

export const PRESET_BUILD_KEY = "KySo_Preset";

export interface SignatureWidget {
  readonly page: number;
  readonly rect: readonly [number, number, number, number];
  readonly preset?: string;
}

function rectOf(pdf: PdfStructure, value: PDFObject | undefined): [number, number, number, number] | undefined {
  const n = resolveArray(pdf, value).map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN));
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v))) return undefined;
  const [a, b, c, d] = n as [number, number, number, number];
  const rect: [number, number, number, number] = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  return rect[2] - rect[0] > 1 && rect[3] - rect[1] > 1 ? rect : undefined;
}

/** The preset a signature dictionary records (`/Prop_Build /KySo_Preset`), if any. */
export function presetOfSignature(pdf: PdfStructure, sig: PDFDict | undefined): string | undefined {
  const build = pdf.lookupDict(sig?.get(PDFName.of("Prop_Build")));
  const value = build?.get(PDFName.of(PRESET_BUILD_KEY));
  return value instanceof PDFName ? value.decodeText() : undefined;
}

function pageNumberOf(pdf: PdfStructure, ref: PDFObject | undefined): number | undefined {
  if (!(ref instanceof PDFRef)) return undefined;
  const pages = pageCount(pdf);
  for (let n = 1; n <= pages; n++) if (pageAt(pdf, n).ref.objectNumber === ref.objectNumber) return n;
  return undefined;
}

/** Every signed, visible signature widget in field order. */
export function signatureWidgets(pdf: PdfStructure): SignatureWidget[] {
  const out: SignatureWidget[] = [];
  for (const field of formFields(pdf)) {
    if (!field.terminal || field.dict.get(PDFName.of("FT")) !== PDFName.of("Sig")) continue;
    const sig = pdf.lookupDict(field.dict.get(PDFName.of("V")));
    if (!sig) continue;
    const kids = field.dict.get(PDFName.of("Kids"));
    const widget: PDFDict | undefined = field.dict.get(PDFName.of("Rect")) ? field.dict : pdf.lookupDict(kids instanceof PDFArray ? kids.get(0) : undefined);
    const rect = rectOf(pdf, widget?.get(PDFName.of("Rect")));
    const page = pageNumberOf(pdf, widget?.get(PDFName.of("P")));
    if (!rect || page === undefined) continue;
    const preset = presetOfSignature(pdf, sig);
    out.push({ page, rect, ...(preset ? { preset } : {}) });
  }
  return out;
}

/** The leader's signature widget: KySo's leader preset first, else the last visible signature. */
export function findLeaderSignature(pdf: PdfStructure): SignatureWidget | undefined {
  const widgets = signatureWidgets(pdf);
  return widgets.filter((w) => w.preset === "leader").at(-1) ?? widgets.filter((w) => w.preset !== "seal").at(-1);
}
