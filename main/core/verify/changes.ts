/**
 * What one incremental update changed, judged object by object (conservative object-level diff). The rule:
 * - every object the update rewrites that existed before is judged by its role in the document (catalog,
 *   AcroForm, page, form field or widget, annotation, DSS, document information) and by which keys changed;
 * - an object the update adds (a number unused before) is not judged on its own: nothing shows it unless an
 *   existing object is changed to reference it, and that change is judged (a new annotation through its page's
 *   /Annots, a new field through the AcroForm's /Fields). A new /Root in the trailer is judged as a catalog change.
 * - anything not recognised is "other" (what DocMDP/FieldMDP do not allow), never silently accepted.
 * Content streams, resources, the page tree and fonts are never judged allowed: a change there is "other".
 * This mirrors EU DSS's object-level modification detection (PdfObjectModificationsFilter: signature creation,
 * form fill-in, annotation creation/modification/removal, undefined changes); the visual comparison DSS also runs
 * is not done (see docs/verify.md).
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFObject } from "@cantoo/pdf-lib";
import { pageCount } from "../signing/pdf/pdf-model.js";
import type { PdfStructure } from "../signing/pdf/pdf-reader.js";
import type { LaterUpdate, UpdateKind } from "../../domain/wire/verify-report.js";
import type { Revision } from "./revisions.js";

const name = (key: string): PDFName => PDFName.of(key);
type Judged = { readonly kind: UpdateKind; readonly what: string };

/** Keys of a field or widget that filling it in changes (ISO 32000-1 §12.7.3, §12.5.6.19). */
const FILL_KEYS = new Set(["V", "AP", "AS", "MK", "M"]);

export interface UpdateJudgement extends LaterUpdate {
  readonly pagesBefore: number;
  readonly pagesAfter: number;
}

export function judgeUpdate(before: Revision, after: Revision): UpdateJudgement {
  const a = before.structure;
  const b = after.structure;
  const changed: { object: number; kind: UpdateKind; what: string }[] = [];
  const kinds = new Set<UpdateKind>();
  let added = 0;
  for (const number of after.objects) {
    a.budget.step("revision diff");
    const ref = PDFRef.of(number);
    const old = a.lookup(ref);
    const now = b.lookup(ref);
    if (old === undefined) {
      if (now === undefined) continue;
      added++;
      const dict = now instanceof PDFDict ? now : undefined;
      const type = dict?.get(name("Type"));
      if (type === name("Sig") || (dict?.get(name("ByteRange")) && dict.get(name("Contents")))) kinds.add("signature");
      else if (type === name("DocTimeStamp")) kinds.add("document-timestamp");
      continue;
    }
    if (now !== undefined && serialise(old) === serialise(now)) continue;
    const judged = now === undefined ? { kind: "other" as const, what: "object deleted" } : judgeObject(number, old, now, a, b);
    changed.push({ object: number, ...judged });
    kinds.add(judged.kind);
  }
  if (b.root.objectNumber !== a.root.objectNumber) {
    changed.push({ object: b.root.objectNumber, kind: "other", what: "trailer /Root replaced" });
    kinds.add("other");
  }
  const infoBefore = a.trailer.get(name("Info"));
  const infoAfter = b.trailer.get(name("Info"));
  if (String(infoBefore) !== String(infoAfter)) kinds.add("metadata");
  // SigFlags, /DR and similar bookkeeping changes count as part of a signature when the update adds one.
  if (kinds.has("signature") || kinds.has("document-timestamp")) kinds.delete("validation-data");
  const pagesBefore = safePageCount(a);
  const pagesAfter = safePageCount(b);
  if (pagesBefore !== pagesAfter) kinds.add("other");
  return { revision: after.number, kinds: order(kinds), changed, added, pagesBefore, pagesAfter };
}

function safePageCount(pdf: PdfStructure): number {
  try {
    return pageCount(pdf);
  } catch {
    return -1;
  }
}

const ORDER: readonly UpdateKind[] = ["signature", "document-timestamp", "validation-data", "form-fill", "annotation", "metadata", "other"];
function order(kinds: Set<UpdateKind>): UpdateKind[] {
  return ORDER.filter((kind) => kinds.has(kind));
}

function serialise(value: PDFObject): string {
  return value.toString();
}

function changedKeys(old: PDFDict, now: PDFDict): string[] {
  const keys = new Set<string>();
  for (const [key] of old.entries()) keys.add(key.decodeText());
  for (const [key] of now.entries()) keys.add(key.decodeText());
  return [...keys].filter((key) => String(old.get(name(key))) !== String(now.get(name(key))));
}

function judgeObject(number: number, old: PDFObject, now: PDFObject, a: PdfStructure, b: PdfStructure): Judged {
  const oldDict = old instanceof PDFRawStream ? old.dict : old;
  const nowDict = now instanceof PDFRawStream ? now.dict : now;
  const catalogA = a.lookupDict(a.root);
  if (number === a.root.objectNumber && old instanceof PDFDict && now instanceof PDFDict) return judgeCatalog(old, now, a, b);
  const refOf = (value: PDFObject | undefined): number | undefined => (value instanceof PDFRef ? value.objectNumber : undefined);
  if (number === refOf(catalogA?.get(name("AcroForm"))) && old instanceof PDFDict && now instanceof PDFDict) return judgeAcroForm(old, now, a, b);
  if (number === refOf(catalogA?.get(name("DSS")))) return { kind: "validation-data", what: "DSS" };
  if (number === refOf(a.trailer.get(name("Info"))) || number === refOf(catalogA?.get(name("Metadata")))) return { kind: "metadata", what: "document information" };
  if (old instanceof PDFArray && now instanceof PDFArray) return judgeArray(old, now, a, b, "array");
  if (!(oldDict instanceof PDFDict) || !(nowDict instanceof PDFDict) || old instanceof PDFRawStream) return { kind: "other", what: "content or resource changed" };
  const type = oldDict.get(name("Type"));
  if (type === name("Page")) return judgePage(oldDict, nowDict as PDFDict, a, b);
  if (type === name("Sig") || type === name("DocTimeStamp")) return { kind: "other", what: "existing signature dictionary changed" };
  if (oldDict.get(name("FT")) || oldDict.get(name("Subtype")) === name("Widget")) return judgeField(oldDict, nowDict as PDFDict, b);
  if (oldDict.get(name("Subtype")) && oldDict.get(name("Rect"))) return { kind: "annotation", what: "annotation changed" };
  return { kind: "other", what: `object changed (${String(type ?? "no /Type")})` };
}

function judgeCatalog(old: PDFDict, now: PDFDict, a: PdfStructure, b: PdfStructure): Judged {
  const kinds: Judged[] = [];
  for (const key of changedKeys(old, now)) {
    if (key === "DSS" || key === "Extensions") kinds.push({ kind: "validation-data", what: `catalog /${key}` });
    else if (key === "AcroForm") {
      const before = a.lookupDict(old.get(name("AcroForm")));
      const after = b.lookupDict(now.get(name("AcroForm")));
      kinds.push(after ? judgeAcroForm(before ?? (a.context.obj({}) as PDFDict), after, a, b) : { kind: "other", what: "AcroForm removed" });
    } else kinds.push({ kind: "other", what: `catalog /${key}` });
  }
  return worst(kinds, "catalog unchanged");
}

function judgeAcroForm(old: PDFDict, now: PDFDict, a: PdfStructure, b: PdfStructure): Judged {
  const kinds: Judged[] = [];
  for (const key of changedKeys(old, now)) {
    if (key === "Fields") {
      const before = resolveRefs(a, old.get(name("Fields")));
      kinds.push(judgeArrayItems(before, resolveRefs(b, now.get(name("Fields"))), a, b, "AcroForm /Fields"));
    } else if (key === "SigFlags") kinds.push({ kind: "signature", what: "AcroForm /SigFlags" });
    else if (key === "DR" || key === "DA" || key === "NeedAppearances") kinds.push({ kind: "form-fill", what: `AcroForm /${key}` });
    else kinds.push({ kind: "other", what: `AcroForm /${key}` });
  }
  return worst(kinds, "AcroForm");
}

function judgePage(old: PDFDict, now: PDFDict, a: PdfStructure, b: PdfStructure): Judged {
  const kinds: Judged[] = [];
  for (const key of changedKeys(old, now)) {
    if (key === "Annots") kinds.push(judgeArrayItems(resolveRefs(a, old.get(name("Annots"))), resolveRefs(b, now.get(name("Annots"))), a, b, "page /Annots"));
    else kinds.push({ kind: "other", what: `page /${key}` });
  }
  return worst(kinds, "page");
}

function judgeField(old: PDFDict, now: PDFDict, b: PdfStructure): Judged {
  const keys = changedKeys(old, now);
  const signature = fieldType(now, b) === name("Sig");
  if (signature && keys.every((key) => FILL_KEYS.has(key) || key === "F" || key === "Lock")) {
    return { kind: valueKind(now, b), what: "signature field signed" };
  }
  if (!signature && keys.every((key) => FILL_KEYS.has(key))) return { kind: "form-fill", what: "form field filled" };
  return { kind: "other", what: `form field /${keys.join(" /")}` };
}

function judgeArray(old: PDFArray, now: PDFArray, a: PdfStructure, b: PdfStructure, what: string): Judged {
  return judgeArrayItems(old.asArray(), now.asArray(), a, b, what);
}

/** Items added to or removed from an array of references (/Annots, /Fields): each judged by what it is. */
function judgeArrayItems(old: readonly PDFObject[], now: readonly PDFObject[], a: PdfStructure, b: PdfStructure, what: string): Judged {
  const key = (v: PDFObject): string => String(v);
  const before = new Set(old.map(key));
  const after = new Set(now.map(key));
  const kinds: Judged[] = [];
  for (const item of now) if (!before.has(key(item))) kinds.push(judgeItem(b.lookupDict(item), b, `${what}: added`));
  for (const item of old) {
    if (after.has(key(item))) continue;
    const dict = a.lookupDict(item);
    const isAnnotation = dict?.get(name("Subtype")) && dict.get(name("Subtype")) !== name("Widget");
    kinds.push({ kind: isAnnotation ? "annotation" : "other", what: `${what}: removed` });
  }
  if (now.length !== old.length || kinds.length > 0) return worst(kinds, what);
  return { kind: "other", what: `${what}: reordered` };
}

function judgeItem(dict: PDFDict | undefined, b: PdfStructure, what: string): Judged {
  if (!dict) return { kind: "other", what };
  if (fieldType(dict, b) === name("Sig")) return { kind: valueKind(dict, b), what: `${what} signature field` };
  if (dict.get(name("Subtype")) === name("Widget") || dict.get(name("FT"))) return { kind: "other", what: `${what} form field` };
  if (dict.get(name("Subtype")) && dict.get(name("Type")) !== name("Page")) return { kind: "annotation", what: `${what} annotation` };
  return { kind: "other", what };
}

/** /FT of a field or widget, inherited through /Parent (bounded: MAX 32 levels). */
function fieldType(dict: PDFDict, pdf: PdfStructure): PDFObject | undefined {
  let node: PDFDict | undefined = dict;
  for (let depth = 0; node && depth < 32; depth++) {
    const ft = node.get(name("FT"));
    if (ft) return ft;
    node = pdf.lookupDict(node.get(name("Parent")));
  }
  return undefined;
}

function valueKind(field: PDFDict, pdf: PdfStructure): UpdateKind {
  const value = pdf.lookupDict(field.get(name("V")));
  if (!value) return "other";
  return value.get(name("Type")) === name("DocTimeStamp") ? "document-timestamp" : "signature";
}

function resolveRefs(pdf: PdfStructure, value: PDFObject | undefined): PDFObject[] {
  const resolved = value instanceof PDFRef ? pdf.lookup(value) : value;
  return resolved instanceof PDFArray ? resolved.asArray() : [];
}

const SEVERITY: Readonly<Record<UpdateKind, number>> = {
  "validation-data": 0, "document-timestamp": 1, signature: 2, "form-fill": 3, annotation: 4, metadata: 5, other: 6,
};
function worst(kinds: readonly Judged[], fallback: string): Judged {
  if (kinds.length === 0) return { kind: "validation-data", what: fallback };
  return kinds.reduce((w, k) => (SEVERITY[k.kind] > SEVERITY[w.kind] ? k : w));
}
