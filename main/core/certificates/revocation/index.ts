export * from "./types.js";
export * from "./proxy.js";
export { boundedFetch, fetchableUrl, MAX_REDIRECTS, type FetchOptions, type FetchOutcome, type FetchRequest } from "./bounded-fetch.js";
export { certificateUrls, type CertificateUrls } from "./certificate-urls.js";
export { buildOcspRequest, certIdFor, OID_OCSP_NONCE, type CertIdHash, type OcspRequestMaterial } from "./ocsp-request.js";
export {
  checkOcspResponse,
  OCSP_CLOCK_SKEW_MS,
  OCSP_MAX_AGE_WITHOUT_NEXT_UPDATE_MS,
  type OcspAnswer,
  type OcspCheckInput,
} from "./ocsp-response.js";
export { DEFAULT_OCSP_TIMEOUT_MS, MAX_OCSP_RESPONSE_BYTES, queryOcsp, type OcspQueryOptions, type OcspQueryResult } from "./ocsp-client.js";
export { CRL_CLOCK_SKEW_MS, crlDer, DEFAULT_CRL_TIMEOUT_MS, fetchCrl, lookUpSerial, MAX_CRL_BYTES, validateCrl, type ValidCrl } from "./crl.js";
export {
  CACHE_AGE_WITHOUT_NEXT_UPDATE_MS,
  DEFAULT_MAX_CACHE_AGE_MS,
  RevocationService,
  type PolicyRevocationUrls,
  type RevocationServiceOptions,
} from "./revocation-service.js";
export { DEFAULT_REVOCATION_CHECK, revocationVerdict } from "./verdict.js";
export { collectRevocationData, knownAnswers, usableEvidence, type CertificateAnswer, type RevocationData, type ValidationData } from "./revocation-data.js";
