/**
 * The part of a signature's validation that does not depend on the format (EN 319 102-1 §5.2.6 X.509 validation,
 * then the verdict): given the cryptographic checks of a CMS or XML signature, build the chain to the anchors at the
 * best signature time, find the revocation status, collect the warnings and apply the verdict rules (verdict.ts).
 * verify-xml.ts and verify-cms.ts use it; verify-pdf.ts shares its helpers (it also judges later PDF updates).
 */
import { X509Certificate } from "node:crypto";
import { certificateDisplayName } from "../../domain/display-name.js";
import { parseCertificateFacts, type CertificateFacts } from "../certificates/parse-certificate.js";
import { buildTrustedChain } from "../certificates/trust/index.js";
import { vietnameseIdentifiers } from "../certificates/vn-identifiers.js";
import type { CmsCheck } from "./cms-check.js";
import type { CertificateSummary, SignatureReport, VerificationResult, VerifyWarning } from "../../domain/wire/verify-report.js";
import { revocationOf, type EmbeddedRevocation } from "./revocation-evidence.js";
import { signatureResult } from "./verdict.js";
import type { VerifyOptions } from "./verify-options.js";

export interface AssessInput {
  readonly fieldName: string;
  readonly coverage: SignatureReport["coverage"];
  readonly check: CmsCheck;
  readonly formatResult?: VerificationResult;
  /** A claimed signing time from outside the check (XML SigningTime; the check's own signingTime wins). */
  readonly claimedTime?: Date;
  /** Certificates the signature carries besides the signer's, and what the options add. */
  readonly intermediates: readonly Uint8Array[];
  readonly embedded: EmbeddedRevocation;
  /** Warnings the format found (sha1 and the like are added here). */
  readonly warnings: ReadonlySet<VerifyWarning>;
  readonly options: VerifyOptions;
  readonly now: Date;
  /** Format-specific report fields (XML references). */
  readonly extra?: Partial<SignatureReport>;
}

export async function assessSignature(input: AssessInput): Promise<SignatureReport> {
  const { check, options, now } = input;
  const facts = safeFacts(check.signerCertificate);
  const signer = facts ? summarizeCertificate(facts) : undefined;
  // Best signature time (EN 319 102-1 §5.6.2.3): the signature timestamp when its imprint is this signature's.
  const poe = check.timestamp?.imprintValid ? check.timestamp.time : undefined;
  const bestTime = poe ?? now;
  const claimedTime = check.signingTime ?? input.claimedTime;
  const intermediates = [...check.certificates, ...input.intermediates, ...(options.intermediates ?? [])];
  const chain = check.signerCertificate ? await buildTrustedChain(check.signerCertificate, { anchors: options.anchors, intermediates, now: bestTime }) : undefined;
  const issuer = chain?.chain[0] ?? findIssuer(check.signerCertificate, intermediates);
  const revocation = check.signerCertificate
    ? await revocationOf(
        check.signerCertificate,
        issuer,
        { ...input.embedded, suppliedCrls: options.revocationData?.crls ?? [], suppliedOcsps: options.revocationData?.ocspResponses ?? [] },
        [bestTime, now],
        options.online,
      )
    : undefined;
  const warnings = new Set(input.warnings);
  if (check.sha1) warnings.add("sha1");
  if (facts?.keyAlgorithm?.kind === "rsa" && facts.keyAlgorithm.modulusBits < 2048) warnings.add("weakRsaKey");
  if (check.timestamp && !check.timestamp.imprintValid) warnings.add("timestampImprintMismatch");
  if (revocation?.status === "none") warnings.add("noRevocationSource");
  if (revocation?.status === "revoked" && poe && revocation.revokedAt && new Date(revocation.revokedAt) > poe) warnings.add("revokedAfterTimestamp");
  const result = signatureResult({
    coverage: input.coverage,
    trailingBytes: 0,
    ...(input.formatResult ? { formatResult: input.formatResult } : {}),
    check,
    chainTrusted: chain?.trusted === true,
    facts,
    bestTime,
    hasPoe: poe !== undefined,
    revocation,
    docMdp: undefined,
    laterUpdates: [],
    warnings,
  });
  const validAtClaimed = facts && claimedTime ? claimedTime >= facts.notBefore && claimedTime <= facts.notAfter : undefined;
  return {
    fieldName: input.fieldName,
    coverage: input.coverage,
    ...input.extra,
    ...(signer ? { signer } : {}),
    ...(chain ? { chain: chainSummary(chain) } : {}),
    ...(claimedTime ? { claimedSigningTime: claimedTime.toISOString() } : {}),
    ...(check.timestamp ? { timestamp: { time: check.timestamp.time.toISOString(), imprintValid: check.timestamp.imprintValid } } : {}),
    integrity: { hash: check.hash, signature: check.signature },
    ...(validAtClaimed === undefined ? {} : { certificateValidAtSigningTime: validAtClaimed }),
    ...(revocation ? { revocation } : {}),
    laterUpdates: [],
    warnings: [...warnings],
    result,
  };
}

export function chainSummary(chain: Awaited<ReturnType<typeof buildTrustedChain>>): NonNullable<SignatureReport["chain"]> {
  return {
    trusted: chain.trusted,
    length: chain.chain.length,
    ...(chain.trusted ? { anchor: chain.anchor.subject, ...(chain.anchor.nationalRoot ? { nationalRoot: chain.anchor.nationalRoot } : {}) } : {}),
  };
}

export function safeFacts(der: Uint8Array | undefined): CertificateFacts | undefined {
  if (!der) return undefined;
  try {
    return parseCertificateFacts(der);
  } catch {
    return undefined;
  }
}

export function summarizeCertificate(facts: CertificateFacts): CertificateSummary {
  const ids = vietnameseIdentifiers(facts.subject);
  return {
    displayName: certificateDisplayName(facts.subject),
    ...(facts.subject.organization ? { organization: facts.subject.organization } : {}),
    ...(ids.taxCode ? { taxCode: ids.taxCode } : {}),
    ...(ids.personalId ? { personalId: ids.personalId } : {}),
    issuer: certificateDisplayName(facts.issuer),
    serialNumber: facts.serialNumber,
    notBefore: facts.notBefore.toISOString(),
    notAfter: facts.notAfter.toISOString(),
    fingerprintSha256: facts.fingerprintSha256,
  };
}

/** The issuer among the candidates, recognised by signature (when no trusted chain was built). */
export function findIssuer(der: Uint8Array | undefined, candidates: readonly Uint8Array[]): Uint8Array | undefined {
  if (!der) return undefined;
  try {
    const subject = new X509Certificate(der);
    return candidates.find((candidate) => {
      try {
        const issuer = new X509Certificate(candidate);
        return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}
