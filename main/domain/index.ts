export * from "./hash-algorithm.js";
export * from "./signer.js";
export * from "./token.js";
export * from "./certificate.js";
export * from "./document-description.js";
export * from "./signature-plan.js";
export * from "./signer-name.js";
