/** Catalog, page tree and AcroForm reading on top of the minimal reader: only the objects a signature touches. */
import type { PDFDict} from "@cantoo/pdf-lib";
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from "@cantoo/pdf-lib";
import type { ExistingSignature } from "../../domain/document-description.js";
import { KysoError } from "../../errors/index.js";
import type { PdfStructure } from "./pdf-reader.js";

const MAX_TREE_DEPTH = 64;
const MAX_FIELDS = 10_000;

export interface PageRef {
  readonly ref: PDFRef;
  readonly dict: PDFDict;
  /** [x1 y1 x2 y2], inherited through the page tree when the page has none. */
  readonly mediaBox: readonly [number, number, number, number];
}

export function catalogOf(pdf: PdfStructure): PDFDict {
  const catalog = pdf.lookupDict(pdf.root);
  if (!catalog) throw new KysoError("document_invalid", "the /Root catalog is missing");
  return catalog;
}

export function pageCount(pdf: PdfStructure): number {
  const pages = pdf.lookupDict(catalogOf(pdf).get(PDFName.of("Pages")));
  const count = pages?.get(PDFName.of("Count"));
  if (!(count instanceof PDFNumber)) throw new KysoError("document_invalid", "the page tree has no /Count");
  return count.asNumber();
}

/** The 1-based page `n`, walking /Kids and skipping subtrees by /Count. */
export function pageAt(pdf: PdfStructure, n: number): PageRef {
  let node = catalogOf(pdf).get(PDFName.of("Pages"));
  let inherited: PDFObject | undefined;
  let remaining = n;
  for (let depth = 0; depth < MAX_TREE_DEPTH; depth++) {
    if (!(node instanceof PDFRef)) break;
    const dict = pdf.lookupDict(node);
    if (!dict) break;
    inherited = dict.get(PDFName.of("MediaBox")) ?? inherited;
    const type = dict.get(PDFName.of("Type"));
    if (type === PDFName.of("Page") || !dict.get(PDFName.of("Kids"))) {
      return { ref: node, dict, mediaBox: box(pdf, inherited) };
    }
    const kids = resolveArray(pdf, dict.get(PDFName.of("Kids")));
    let next: PDFObject | undefined;
    for (const kid of kids) {
      const kidDict = pdf.lookupDict(kid);
      const count = kidDict?.get(PDFName.of("Count"));
      const size = kidDict?.get(PDFName.of("Type")) === PDFName.of("Pages") && count instanceof PDFNumber ? count.asNumber() : 1;
      if (remaining <= size) {
        next = kid;
        break;
      }
      remaining -= size;
    }
    node = next;
  }
  throw new KysoError("invalid_params", `page ${n} does not exist`);
}

function box(pdf: PdfStructure, value: PDFObject | undefined): [number, number, number, number] {
  const numbers = resolveArray(pdf, value).map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN));
  if (numbers.length !== 4 || numbers.some(Number.isNaN)) return [0, 0, 595.28, 841.89];
  return [numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!];
}

export function resolveArray(pdf: PdfStructure, value: PDFObject | undefined): PDFObject[] {
  const resolved = value instanceof PDFRef ? pdf.lookup(value) : value;
  return resolved instanceof PDFArray ? resolved.asArray() : [];
}

export function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

export interface FieldInfo {
  readonly name: string;
  readonly dict: PDFDict;
}

/** Every terminal field with its fully qualified name (parent names joined by "."). */
export function formFields(pdf: PdfStructure): FieldInfo[] {
  const acroForm = pdf.lookupDict(catalogOf(pdf).get(PDFName.of("AcroForm")));
  const out: FieldInfo[] = [];
  const walk = (items: PDFObject[], prefix: string, depth: number): void => {
    for (const item of items) {
      if (out.length >= MAX_FIELDS || depth > MAX_TREE_DEPTH) return;
      const dict = pdf.lookupDict(item);
      if (!dict) continue;
      const partial = textOf(dict.get(PDFName.of("T")));
      const name = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial;
      const kids = resolveArray(pdf, dict.get(PDFName.of("Kids")));
      if (kids.length > 0 && kids.some((k) => pdf.lookupDict(k)?.get(PDFName.of("T")) !== undefined)) walk(kids, name, depth + 1);
      else out.push({ name, dict });
    }
  };
  if (acroForm) walk(resolveArray(pdf, acroForm.get(PDFName.of("Fields"))), "", 0);
  return out;
}

export function existingSignatures(pdf: PdfStructure): ExistingSignature[] {
  const signatures: ExistingSignature[] = [];
  for (const field of formFields(pdf)) {
    if (field.dict.get(PDFName.of("FT")) !== PDFName.of("Sig")) continue;
    const value = pdf.lookupDict(field.dict.get(PDFName.of("V")));
    if (!value) continue;
    const signerName = textOf(value.get(PDFName.of("Name")));
    const signedAt = textOf(value.get(PDFName.of("M")));
    signatures.push({ fieldName: field.name, ...(signerName ? { signerName } : {}), ...(signedAt ? { signedAt } : {}) });
  }
  return signatures;
}
