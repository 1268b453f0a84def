export * from "./types.js";
export { redact, remoteStateError } from "./errors.js";
export { RemoteSigner, keyAlgorithmOf, pollUntilFinal } from "./remote-signer.js";
export { CscProvider, memoryTokenStore, pkcePair, type CscConfig, type OAuthTokens, type TokenStore } from "./csc.js";
export { VnptSmartCaProvider, type VnptSmartCaConfig } from "./vnpt-smartca.js";
export { NeacProvider, type NeacConfig } from "./neac.js";
