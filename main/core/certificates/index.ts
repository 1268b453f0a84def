export * from "./parse-certificate.js";
export * from "./distinguished-name.js";
export * from "./vn-identifiers.js";
export * from "./chain.js";
export * from "./revocation.js";
