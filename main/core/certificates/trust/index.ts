export * from "./national-roots.js";
export * from "./anchor-store.js";
export * from "./aia-issuers.js";
export * from "./trusted-chain.js";
export * from "./chain-check.js";
export * from "./trust-bundle.js";
export * from "./trust-bundle-store.js";
