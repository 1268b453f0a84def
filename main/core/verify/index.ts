export * from "../../domain/wire/verify-report.js";
export { verifyPdf } from "./verify-pdf.js";
export { verifyXml } from "./verify-xml.js";
export { verifyCms } from "./verify-cms.js";
export { verifyDocument } from "./verify-document.js";
export { sniffFormat, type DocumentFormat } from "./sniff.js";
export type { VerifyOptions } from "./verify-options.js";
export type { RevocationLookupService } from "./revocation-evidence.js";
