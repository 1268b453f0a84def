/**
 * The approval's "algorithm allowed" check (Circular 15/2025: SHA-2/SHA-3 only; RSA >= 2048 bits; EC P-256 or
 * larger) as its own line: the key, the hash the request's signatures will use and the hash the CA signed the
 * certificate with, each judged. The same rules as `weakAlgorithm` (parse-certificate.ts), which already keeps a
 * weak certificate from signing; this says what was checked, so the user sees "RSA 2048, SHA-256: allowed".
 */
import * as pkijs from "pkijs";
import type { CandidateAlgorithmView } from "../app-api/approval-view.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import { MIN_RSA_BITS } from "./parse-certificate.js";
import { allowedSignatureAlgorithm, signatureHashOf } from "./revocation/signature.js";
import { memoByDer } from "./der-memo.js";

/** "sha256" → "SHA-256", "sha3-256" → "SHA3-256", "eddsa" → "EdDSA". */
function hashLabel(hash: string): string {
  if (hash === "eddsa") return "EdDSA";
  const upper = hash.toUpperCase();
  return /^SHA\d+$/.test(upper) ? upper.replace(/^SHA/, "SHA-") : upper;
}

/** A signing hash the request names ("SHA-256", ...): SHA-2 or SHA-3 with at least 256 bits. */
const ALLOWED_SIGNING_HASH = /^SHA3?-(256|384|512)$/;

/**
 * `hashes`: the hash of each item's signature (the items' plans, else their requests); the distinct ones are shown.
 */
/** The certificate's own signature algorithm, read once per certificate (der-memo.ts; every request checks every candidate). */
const signatureAlgorithmOf = memoByDer((der) => pkijs.Certificate.fromBER(der).signatureAlgorithm);

export function algorithmCheck(certificate: Pick<CertificateInfo, "certificate" | "keyAlgorithm">, hashes: readonly (string | undefined)[]): CandidateAlgorithmView {
  const key = certificate.keyAlgorithm.kind === "rsa" ? `RSA ${certificate.keyAlgorithm.modulusBits}` : `EC ${certificate.keyAlgorithm.curve}`;
  const problems: CandidateAlgorithmView["problems"][number][] = [];
  if (certificate.keyAlgorithm.kind === "rsa" && certificate.keyAlgorithm.modulusBits < MIN_RSA_BITS) problems.push("keyTooSmall");
  let certificateHash = "?";
  try {
    const algorithm = signatureAlgorithmOf(certificate.certificate);
    const hash = signatureHashOf(algorithm);
    certificateHash = hash ? hashLabel(hash) : algorithm.algorithmId;
    if (!allowedSignatureAlgorithm(algorithm)) problems.push("certificateHash");
  } catch {
    problems.push("certificateHash");
  }
  const signing = [...new Set(hashes.filter((h): h is string => h !== undefined))];
  if (signing.some((h) => !ALLOWED_SIGNING_HASH.test(h))) problems.push("hash");
  return {
    key,
    ...(signing.length > 0 ? { hash: signing.join(", ") } : {}),
    certificateHash,
    allowed: problems.length === 0,
    problems,
  };
}
