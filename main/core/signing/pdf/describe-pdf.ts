/**
 * The approval screen's reading of a PDF, and the pre-check that makes sure sign() cannot fail on the document
 * after the PIN: the same preparation sign() runs (field name, page, stamp image, every object the update
 * rewrites) is run once here as a dry run with a placeholder signer name, and its typed error refuses the request
 * before any approval opens. Titles and signature-dictionary text are returned as the document's claims;
 * existing signatures carry KySo's own integrity check.
 */
import { PDFDocument, PDFName } from "@cantoo/pdf-lib";
import type { DocumentDescription } from "../../../domain/document-description.js";
import { KysoError, isKysoError } from "../../../domain/errors/index.js";
import { sha256Hex } from "../hashing.js";
import { MAX_PDF_BYTES } from "../limits.js";
import type { PadesOptions } from "../request.js";
import { existingSignatures } from "./existing-signatures.js";
import { WorkBudget } from "./pdf-limits.js";
import { catalogOf, formFields, pageCount, textOf } from "./pdf-model.js";
import { readPdfStructure } from "./pdf-reader.js";
import { memorySource } from "./pdf-source.js";
import { prepareUpdate } from "./prepare-update.js";

/** Stands in for the certificate's CN in the dry run: as long as real names, with Vietnamese letters. */
const DRY_RUN_SIGNER = "Nguyễn Thị Thu Hường (kiểm tra trước)";
const DRY_RUN_RESERVE = 1024;

export async function describePdf(pdf: Uint8Array, options: PadesOptions = {}): Promise<DocumentDescription> {
  if (pdf.length > MAX_PDF_BYTES) throw new KysoError("document_too_large", `${pdf.length} bytes`);
  try {
    const { context } = await PDFDocument.create({ updateMetadata: false });
    const structure = readPdfStructure(memorySource(pdf), context, new WorkBudget());
    catalogOf(structure);
    const title = textOf(structure.lookupDict(structure.trailer.get(PDFName.of("Info")))?.get(PDFName.of("Title")));
    const description: DocumentDescription = {
      kind: "pdf",
      size: pdf.length,
      sha256: sha256Hex(pdf),
      pageCount: pageCount(structure),
      existingSignatures: existingSignatures(structure, formFields(structure)),
      claims: title ? { title } : {},
    };
    await precheckPades(pdf, options);
    return description;
  } catch (error) {
    if (isKysoError(error)) throw error;
    throw new KysoError("document_invalid", `PDF structure unreadable: ${String(error)}`, undefined, { cause: error });
  }
}

/**
 * Everything sign() can refuse about this document and these options, refused now: runs the update's
 * preparation and throws its typed error (invalid_params for a missing page, a used field name or an undecodable
 * image; document_invalid / document_encrypted for the structure).
 */
export async function precheckPades(pdf: Uint8Array, options: PadesOptions): Promise<void> {
  await prepareUpdate({ source: memorySource(pdf), options, signerName: DRY_RUN_SIGNER, signedAt: new Date(), reserve: DRY_RUN_RESERVE });
}
