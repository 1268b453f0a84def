export * from "./types.js";
export { redact, remoteStateError } from "./errors.js";
export { RemoteSigner, keyAlgorithmOf, pollUntilFinal } from "./remote-signer.js";
export { waitForPhone, type PhoneWait } from "./phone-wait.js";
export { MemorySecretStore, type SecretStore } from "./secret-store.js";
export { CscProvider, cscTokenKey, pkcePair, type CscConfig, type OAuthTokens } from "./csc.js";
export { VnptSmartCaProvider, type VnptSmartCaConfig } from "./vnpt-smartca.js";
export { NeacProvider, type NeacConfig } from "./neac.js";
export { ViettelMySignProvider, type ViettelMySignConfig } from "./viettel-mysign.js";
