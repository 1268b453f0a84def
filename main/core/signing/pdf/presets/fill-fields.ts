/**
 * Before the organisation's seal, the clerk fills the document number ("Số: …") and the place-and-date line when
 * the drafter left form fields for them (Decree 30/2020 Art. 15.3: the number and date are given at issue). The
 * values are written in the SAME incremental update as the seal's signature, so the leader's signature before it
 * stays valid and a verifier sees only "signature" and "form-fill" after it (verify/changes.ts, FILL_KEYS).
 *
 * Which fields: an explicit mapping (`fields.documentNumber`, `fields.documentDate`), else an empty text field
 * whose last name part, lower-cased without diacritics, is or starts with `so` or contains `number` / `sokyhieu`
 * (number), or contains `ngay` or `date` (date). Only text fields with no value yet are filled by name.
 */
import { PDFHexString, PDFName, PDFNumber, type PDFDict, type PDFDocument, type PDFRef } from "@cantoo/pdf-lib";
import { KysoError } from "../../../../domain/errors/index.js";
import type { PresetOptions } from "../../request.js";
import type { IncrementObject } from "../increment-writer.js";
import { formFields, resolveArray, textOf, type FieldInfo } from "../pdf-model.js";
import type { PdfStructure } from "../pdf-reader.js";
import { EmbeddedFace, presetFace } from "./text-face.js";
import { placeAndDate } from "../../../../domain/stamp-presets.js";

export type FillRole = "documentNumber" | "documentDate";
/** Decree 30/2020 Appendix I: the number and the place-and-date line are 13 pt. */
const FILL_FONT_SIZE = 13;

const plain = (name: string): string =>
  (name.split(".").at(-1) ?? name).normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase();

export function fieldRole(name: string): FillRole | undefined {
  const n = plain(name);
  if (/ngay|date/.test(n)) return "documentDate";
  if (/^so([^a-z]|$)|number|sokyhieu|so_?vb|sovanban/.test(n)) return "documentNumber";
  return undefined;
}

export interface FieldFill {
  readonly field: FieldInfo;
  readonly role: FillRole;
  readonly value: string;
}

/** The fills a seal preset asks for on this document; none when the preset gives no value. */
export function planFills(pdf: PdfStructure, options: PresetOptions): FieldFill[] {
  if (options.name !== "seal") return [];
  const values: Partial<Record<FillRole, string>> = {};
  if (options.documentNumber?.trim()) values.documentNumber = options.documentNumber.trim();
  if (options.documentDate) values.documentDate = placeAndDate(options.place, options.documentDate);
  if (!values.documentNumber && !values.documentDate) return [];
  const fields = formFields(pdf).filter((f) => f.terminal && f.dict.get(PDFName.of("FT")) === PDFName.of("Tx"));
  const out: FieldFill[] = [];
  for (const role of ["documentNumber", "documentDate"] as const) {
    const value = values[role];
    if (!value) continue;
    const named = options.fields?.[role];
    const field = named
      ? fields.find((f) => f.name === named)
      : fields.find((f) => fieldRole(f.name) === role && !textOf(f.dict.get(PDFName.of("V")))?.trim());
    if (named && !field) throw new KysoError("invalid_params", `no text field named ${named} in the document`);
    if (!field) continue;
    if (!field.ref) throw new KysoError("invalid_params", `form field ${field.name} is not an indirect object and cannot be filled in an update`);
    out.push({ field, role, value });
  }
  return out;
}

const utf16 = (text: string): PDFHexString => {
  let hex = "FEFF";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0");
  return PDFHexString.of(hex.toUpperCase());
};

/** The rewritten field (value and appearance) and widgets, as objects of the seal's increment. */
export async function buildFills(doc: PDFDocument, pdf: PdfStructure, fills: readonly FieldFill[]): Promise<IncrementObject[]> {
  if (fills.length === 0) return [];
  // The text presets' face (Tinos, Times New Roman metrics, as the decree's 13 pt number and date lines).
  const fonts = new EmbeddedFace(doc, await presetFace());
  const objects: IncrementObject[] = [];
  const pending: { dict: PDFDict; value: string }[] = [];
  for (const fill of fills) {
    const field = fill.field.dict.clone(doc.context);
    field.set(PDFName.of("V"), utf16(fill.value));
    // The widgets: the field itself (merged) or its kids without /T.
    const kids = resolveArray(pdf, fill.field.dict.get(PDFName.of("Kids")));
    if (kids.length === 0) pending.push({ dict: field, value: fill.value });
    for (const kid of kids) {
      const widget = pdf.lookupDict(kid);
      if (!widget || !("objectNumber" in kid)) continue;
      const copy = widget.clone(doc.context);
      pending.push({ dict: copy, value: fill.value });
      objects.push({ ref: kid as PDFRef, body: copy });
    }
    objects.push({ ref: fill.field.ref!, body: field });
  }
  // No flush here: the subset font takes its glyphs when prepare-update flushes the whole increment.
  for (const { dict, value } of pending) {
    const rect = resolveArray(pdf, dict.get(PDFName.of("Rect"))).map((n) => (n instanceof PDFNumber ? n.asNumber() : 0));
    const w = Math.abs((rect[2] ?? 0) - (rect[0] ?? 0));
    const h = Math.abs((rect[3] ?? 0) - (rect[1] ?? 0));
    const size = Math.max(6, Math.min(FILL_FONT_SIZE, h * 0.75));
    const ops = ["/Tx BMC", "q", "BT", "0 0 0 rg", `2 ${((h - size) / 2 + size * 0.22).toFixed(2)} Td`, ...(await fonts.show(value, size)), "ET", "Q", "EMC"];
    const stream = doc.context.flateStream(ops.join("\n"), { Type: "XObject", Subtype: "Form", BBox: [0, 0, w, h], Resources: { Font: fonts.resources() } as never });
    dict.set(PDFName.of("AP"), doc.context.obj({ N: doc.context.register(stream) }));
  }
  return objects;
}
