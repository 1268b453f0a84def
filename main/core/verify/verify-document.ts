/**
 * One entry for every received document: the format is recognised from its first bytes (never from a file name or
 * a caller's word, sniff.ts), then the format's verifier runs, in the bounded worker.
 */
import { KysoError } from "../../domain/errors/index.js";
import type { VerificationReport } from "../../domain/wire/verify-report.js";
import { verifyCms } from "./verify-cms.js";
import type { VerifyOptions } from "./verify-options.js";
import { verifyPdf } from "./verify-pdf.js";
import { verifyXml } from "./verify-xml.js";
import { sniffFormat } from "./sniff.js";

export async function verifyDocument(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  switch (sniffFormat(bytes)) {
    case "pdf":
      return verifyPdf(bytes, options);
    case "xml":
      return verifyXml(bytes, options);
    case "cms":
      return verifyCms(bytes, options);
    default:
      throw new KysoError("document_invalid", "not a PDF, an XML document or a CMS signature (.p7s)");
  }
}
