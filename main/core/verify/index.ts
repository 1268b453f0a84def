export * from "../../domain/wire/verify-report.js";
export { verifyPdf, type VerifyOptions } from "./verify-pdf.js";
export type { RevocationLookupService } from "./revocation-evidence.js";
