/**
 * PAdES B-LT (ETSI EN 319 142-1 §5.4): an incremental update after the signature that gives the catalog a
 * Document Security Store: /Certs, /OCSPs and /CRLs arrays of streams holding the DER certificates, OCSPResponse
 * values and CRLs a validator needs (the signer's chain and the TSA's, with their revocation data). The update
 * touches only the catalog and adds new objects, so every earlier signature's byte range stays as it was.
 * /VRI (per-signature index, optional in the baseline) is not written; an existing DSS is extended, its entries
 * and /VRI kept.
 */
import { PDFDocument, PDFName, type PDFDict, type PDFObject } from "@cantoo/pdf-lib";
import type { ValidationData } from "../long-term/validation-data.js";
import { writeIncrement, type IncrementObject } from "./increment-writer.js";
import { WorkBudget } from "./pdf-limits.js";
import { catalogOf, resolveArray } from "./pdf-model.js";
import { readPdfStructure } from "./pdf-reader.js";
import type { PdfSource } from "./pdf-source.js";

const ENTRIES = [
  ["Certs", "certificates"],
  ["OCSPs", "ocspResponses"],
  ["CRLs", "crls"],
] as const;

/** The update's bytes, to append after `source`'s last byte. */
export async function buildDssUpdate(source: PdfSource, validation: ValidationData): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const context = doc.context;
  const pdf = readPdfStructure(source, context, new WorkBudget());
  context.largestObjectNumber = Math.max(context.largestObjectNumber, pdf.size - 1);
  const firstNew = context.largestObjectNumber + 1;
  const catalog = catalogOf(pdf);
  const existing = pdf.lookupDict(catalog.get(PDFName.of("DSS")));

  const dss = context.obj({ Type: "DSS" }) as PDFDict;
  for (const [key, field] of ENTRIES) {
    const kept: PDFObject[] = resolveArray(pdf, existing?.get(PDFName.of(key)));
    const added = validation[field].map((der) => context.register(context.stream(der, {})));
    if (kept.length + added.length > 0) dss.set(PDFName.of(key), context.obj([...kept, ...added]));
  }
  const vri = existing?.get(PDFName.of("VRI"));
  if (vri) dss.set(PDFName.of("VRI"), vri);
  const dssRef = context.register(dss);

  const newCatalog = catalog.clone(context);
  newCatalog.set(PDFName.of("DSS"), dssRef);
  const objects: IncrementObject[] = [{ ref: pdf.root, body: newCatalog }];
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNew) objects.push({ ref, body: object });
  }
  return writeIncrement(pdf, objects, Math.max(context.largestObjectNumber, pdf.size - 1)).bytes;
}
