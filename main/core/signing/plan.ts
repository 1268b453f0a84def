/**
 * The signature KySo will write, read from the validated request (`parseSigningRequest`): what the approval shows
 * as KySo's own reading. A visible PDF stamp is resolved here with the signer's own functions (`pageAt`,
 * `stampRect`), so the rectangle on screen is the /Rect the signer writes, not a second guess of it.
 */
import { PDFDocument } from "@cantoo/pdf-lib";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import { pageAt, pageCount } from "./pdf/pdf-model.js";
import { WorkBudget } from "./pdf/pdf-limits.js";
import { readPdfStructure } from "./pdf/pdf-reader.js";
import { memorySource } from "./pdf/pdf-source.js";
import { stampRect } from "./pdf/prepare-update.js";
import { placePreset, signatureReason } from "./pdf/presets/preset-placement.js";
import type { SigningRequest } from "./request.js";

export async function planSignature(request: SigningRequest): Promise<SignaturePlan> {
  const base = { format: request.format, hashAlgorithm: request.hashAlgorithm };
  switch (request.format) {
    case "pades": {
      const o = request.options;
      const plan: SignaturePlan = {
        ...base,
        level: o.level ?? "B-B",
        ...(signatureReason(o) ? { reason: signatureReason(o)! } : {}),
        ...(o.location ? { location: o.location } : {}),
        ...(o.contactInfo ? { contactInfo: o.contactInfo } : {}),
      };
      if (o.preset) {
        const doc = await PDFDocument.create({ updateMetadata: false });
        const pdf = readPdfStructure(memorySource(request.document), doc.context, new WorkBudget());
        // The time only changes the text's wrapping by nothing (fixed width): now stands in for the signing time.
        const placed = await placePreset(pdf, o.preset, new Date());
        return { ...plan, stamp: { page: placed.page, rect: placed.rect, image: placed.image !== undefined }, preset: placed.plan };
      }
      if (!o.visible) return plan;
      const doc = await PDFDocument.create({ updateMetadata: false });
      const pdf = readPdfStructure(memorySource(request.document), doc.context, new WorkBudget());
      const page = o.visible.page === undefined || o.visible.page === "last" ? pageCount(pdf) : o.visible.page;
      const rect = stampRect(o.visible, pageAt(pdf, page).mediaBox);
      return { ...plan, stamp: { page, rect, image: o.visible.image !== undefined } };
    }
    case "cms":
      return { ...base, level: request.options.level ?? "B-B", detached: request.options.detached ?? true };
    case "xades":
      return { ...base, level: request.options.level ?? "B-B" };
    default:
      return base;
  }
}
