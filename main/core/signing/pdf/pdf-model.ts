/**
 * Catalog, page tree and AcroForm reading on top of the minimal reader: only the objects a signature touches.
 * Every walk keeps a visited set (a node reached twice is skipped; a node that is its own ancestor is a cycle
 * and refused), stops at MAX_TREE_DEPTH, and charges the document's WorkBudget per node, so no document can
 * make a walk loop or branch exponentially.
 */
import type { PDFDict } from "@cantoo/pdf-lib";
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from "@cantoo/pdf-lib";
import { KysoError } from "../../../domain/errors/index.js";
import { MAX_CLAIM_CHARS, MAX_FIELDS, MAX_PAGES, MAX_TREE_DEPTH, tooComplex } from "./pdf-limits.js";
import type { PdfStructure } from "./pdf-reader.js";

export interface PageRef {
  readonly ref: PDFRef;
  readonly dict: PDFDict;
  /** [x1 y1 x2 y2], inherited through the page tree when the page has none. */
  readonly mediaBox: readonly [number, number, number, number];
}

interface PageLeaf {
  readonly ref: PDFRef;
  readonly mediaBox: PDFObject | undefined;
}

export function catalogOf(pdf: PdfStructure): PDFDict {
  const catalog = pdf.lookupDict(pdf.root);
  if (!catalog) throw new KysoError("document_invalid", "the /Root catalog is missing");
  return catalog;
}

const pageLists = new WeakMap<PdfStructure, PageLeaf[]>();

/**
 * Every page in document order, found by walking the page tree (not by trusting /Count): a node seen twice is a
 * cycle or a shared subtree, both refused; the root /Count must equal the pages found.
 */
function pages(pdf: PdfStructure): PageLeaf[] {
  const cached = pageLists.get(pdf);
  if (cached) return cached;
  const rootRef = catalogOf(pdf).get(PDFName.of("Pages"));
  const rootDict = pdf.lookupDict(rootRef);
  if (!(rootRef instanceof PDFRef) || !rootDict) throw new KysoError("document_invalid", "the catalog has no page tree");
  const declared = rootDict.get(PDFName.of("Count"));
  if (!(declared instanceof PDFNumber)) throw new KysoError("document_invalid", "the page tree has no /Count");
  const leaves: PageLeaf[] = [];
  const seen = new Set<number>();
  // Explicit stack in reverse order keeps document order without recursion.
  const stack: { ref: PDFObject; depth: number; mediaBox: PDFObject | undefined }[] = [{ ref: rootRef, depth: 0, mediaBox: undefined }];
  while (stack.length > 0) {
    const { ref, depth, mediaBox: inherited } = stack.pop()!;
    pdf.budget.step("page tree node");
    if (!(ref instanceof PDFRef)) throw new KysoError("document_invalid", "a page tree /Kids entry is not a reference");
    if (seen.has(ref.objectNumber)) throw new KysoError("document_invalid", `page tree node ${ref.objectNumber} appears twice (cycle)`);
    seen.add(ref.objectNumber);
    if (depth > MAX_TREE_DEPTH) throw tooComplex(`page tree deeper than ${MAX_TREE_DEPTH}`);
    const dict = pdf.lookupDict(ref);
    if (!dict) throw new KysoError("document_invalid", `page tree node ${ref.objectNumber} is missing`);
    const mediaBox = dict.get(PDFName.of("MediaBox")) ?? inherited;
    if (dict.get(PDFName.of("Type")) === PDFName.of("Page") || !dict.get(PDFName.of("Kids"))) {
      if (leaves.length >= MAX_PAGES) throw tooComplex(`more than ${MAX_PAGES} pages`);
      leaves.push({ ref, mediaBox });
      continue;
    }
    const kids = resolveArray(pdf, dict.get(PDFName.of("Kids")));
    pdf.budget.step("page tree kids", kids.length);
    if (stack.length + kids.length > MAX_PAGES * 2) throw tooComplex(`page tree wider than ${MAX_PAGES * 2}`);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ ref: kids[i]!, depth: depth + 1, mediaBox });
  }
  if (declared.asNumber() !== leaves.length) {
    throw new KysoError("document_invalid", `the page tree's /Count says ${declared.asNumber()} pages but it holds ${leaves.length}`);
  }
  pageLists.set(pdf, leaves);
  return leaves;
}

export function pageCount(pdf: PdfStructure): number {
  return pages(pdf).length;
}

/** The 1-based page `n`. */
export function pageAt(pdf: PdfStructure, n: number): PageRef {
  const leaf = pages(pdf)[n - 1];
  const dict = leaf ? pdf.lookupDict(leaf.ref) : undefined;
  if (!leaf || !dict) throw new KysoError("invalid_params", `page ${n} does not exist`);
  return { ref: leaf.ref, dict, mediaBox: box(pdf, leaf.mediaBox) };
}

function box(pdf: PdfStructure, value: PDFObject | undefined): [number, number, number, number] {
  const numbers = resolveArray(pdf, value).map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN));
  if (numbers.length !== 4 || numbers.some((v) => !Number.isFinite(v))) return [0, 0, 595.28, 841.89];
  return [numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!];
}

export function resolveArray(pdf: PdfStructure, value: PDFObject | undefined): PDFObject[] {
  const resolved = value instanceof PDFRef ? pdf.lookup(value) : value;
  return resolved instanceof PDFArray ? resolved.asArray() : [];
}

/** A text string, cut to `max` characters (the document decides its length, the screen does not). */
export function textOf(value: PDFObject | undefined, max = MAX_CLAIM_CHARS): string | undefined {
  if (!(value instanceof PDFString || value instanceof PDFHexString)) return undefined;
  const text = value.decodeText();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export interface FieldInfo {
  readonly name: string;
  readonly dict: PDFDict;
  /** False for a parent node that only groups other named fields. */
  readonly terminal: boolean;
  /** The field's object, when it is an indirect one (an update rewrites it there). */
  readonly ref?: PDFRef;
}

/**
 * Every named field node with its fully qualified name (parent names joined by "."), parents before children.
 * Visited set on references: a field listed twice is read once; a field that is its own ancestor is refused.
 */
export function formFields(pdf: PdfStructure): FieldInfo[] {
  const acroForm = pdf.lookupDict(catalogOf(pdf).get(PDFName.of("AcroForm")));
  const out: FieldInfo[] = [];
  if (!acroForm) return out;
  const visited = new Set<number>();
  type Frame = { item: PDFObject; prefix: string; depth: number; ancestors: ReadonlySet<number> };
  const stack: Frame[] = resolveArray(pdf, acroForm.get(PDFName.of("Fields"))).reverse().map((item) => ({ item, prefix: "", depth: 0, ancestors: new Set() }));
  while (stack.length > 0) {
    const { item, prefix, depth, ancestors } = stack.pop()!;
    pdf.budget.step("form field");
    if (item instanceof PDFRef) {
      if (ancestors.has(item.objectNumber)) throw new KysoError("document_invalid", `form field ${item.objectNumber} is its own ancestor (cycle in /Kids)`);
      if (visited.has(item.objectNumber)) continue;
      visited.add(item.objectNumber);
    }
    if (depth > MAX_TREE_DEPTH) throw tooComplex(`form fields nested deeper than ${MAX_TREE_DEPTH}`);
    const dict = pdf.lookupDict(item);
    if (!dict) continue;
    const partial = textOf(dict.get(PDFName.of("T")));
    const name = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial;
    const kids = resolveArray(pdf, dict.get(PDFName.of("Kids")));
    // Charged per entry: many nodes can share one huge /Kids array.
    pdf.budget.step("form field kids", kids.length);
    const namedKids = kids.filter((k) => pdf.lookupDict(k)?.get(PDFName.of("T")) !== undefined);
    if (out.length >= MAX_FIELDS) throw tooComplex(`more than ${MAX_FIELDS} form fields`);
    // Kids without /T are the field's widgets; kids with /T are fields of their own.
    out.push({ name, dict, terminal: namedKids.length === 0, ...(item instanceof PDFRef ? { ref: item } : {}) });
    if (namedKids.length === 0) continue;
    const path = item instanceof PDFRef ? new Set([...ancestors, item.objectNumber]) : ancestors;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ item: kids[i]!, prefix: name, depth: depth + 1, ancestors: path });
  }
  return out;
}
