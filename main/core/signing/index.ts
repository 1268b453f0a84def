/** Public API of the signing formats (see docs/formats.md). */
export { sign } from "./sign.js";
export { describe } from "./describe.js";
export { signPdfFile, type SignPdfFileResult } from "./pdf/sign-pades.js";
export { signingPort, workerSigningPort, type FormatsSigningPort, type SigningPortItem } from "./signing-port.js";
export { prepareItem, type CandidateKey, type PreparedItem } from "./prepare.js";
export * from "./request.js";
export type * from "./types.js";
export * from "./limits.js";
