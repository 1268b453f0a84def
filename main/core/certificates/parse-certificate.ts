/**
 * DER certificate on a token → CertificateInfo, the view the approval screen and the formats use. The raw DER
 * travels with it (`certificate`, base64), so nothing downstream re-encodes a certificate.
 */
import "reflect-metadata";
import { createHash } from "node:crypto";
import * as x509 from "@peculiar/x509";
import * as pkijs from "pkijs";
import type { CertificateInfo, CertificateProblem, KeyUsageName } from "../../domain/certificate.js";
import type { KeyAlgorithm } from "../../domain/signer.js";
import { buildChain } from "./chain.js";
import { distinguishedName } from "./distinguished-name.js";
import { revocationStatus } from "./revocation.js";
import { allowedSignatureAlgorithm } from "./revocation/signature.js";
import { vietnameseIdentifiers } from "./vn-identifiers.js";

export interface CertificateContext {
  /** TokenInfo.id of the token that holds it. */
  readonly tokenId: string;
  /** Token serial: with the fingerprint it makes the stable id. */
  readonly tokenSerial: string;
  /** CKA_LABEL of the certificate object. */
  readonly label: string;
  /** False when no private key on the token matches: listed as a problem, not hidden. */
  readonly hasPrivateKey: boolean;
  /** CA certificates from tokens and trust anchors, DER: candidates for the chain. */
  readonly caCertificates: readonly Uint8Array[];
  /** CRLs the caller holds; without one from the issuer, revocation is not judged here. */
  readonly crls?: readonly x509.X509Crl[];
  readonly now?: Date;
}

const KEY_USAGE_BITS: readonly (readonly [x509.KeyUsageFlags, KeyUsageName])[] = [
  [x509.KeyUsageFlags.digitalSignature, "digitalSignature"],
  [x509.KeyUsageFlags.nonRepudiation, "nonRepudiation"],
  [x509.KeyUsageFlags.keyEncipherment, "keyEncipherment"],
  [x509.KeyUsageFlags.dataEncipherment, "dataEncipherment"],
  [x509.KeyUsageFlags.keyAgreement, "keyAgreement"],
  [x509.KeyUsageFlags.keyCertSign, "keyCertSign"],
  [x509.KeyUsageFlags.cRLSign, "cRLSign"],
  [x509.KeyUsageFlags.encipherOnly, "encipherOnly"],
  [x509.KeyUsageFlags.decipherOnly, "decipherOnly"],
];

/** Stable id: SHA-256 fingerprint (hex) + ":" + token serial. */
export function certificateId(der: Uint8Array, tokenSerial: string): string {
  return `${fingerprintSha256(der)}:${tokenSerial}`;
}

export function fingerprintSha256(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

export function keyAlgorithmOf(certificate: x509.X509Certificate): KeyAlgorithm | undefined {
  const algorithm = certificate.publicKey.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
  if (algorithm.name.startsWith("RSA") && algorithm.modulusLength) return { kind: "rsa", modulusBits: algorithm.modulusLength };
  if (algorithm.name === "ECDSA" || algorithm.name === "ECDH") {
    if (algorithm.namedCurve === "P-256" || algorithm.namedCurve === "P-384" || algorithm.namedCurve === "P-521") {
      return { kind: "ec", curve: algorithm.namedCurve };
    }
  }
  return undefined;
}

export function keyUsageOf(certificate: x509.X509Certificate): KeyUsageName[] | undefined {
  const extension = certificate.getExtension(x509.KeyUsagesExtension);
  if (!extension) return undefined;
  return KEY_USAGE_BITS.filter(([bit]) => (extension.usages & bit) !== 0).map(([, name]) => name);
}

/** Smallest RSA modulus Circular 15/2025 allows. */
export const MIN_RSA_BITS = 2048;

/**
 * The key or the certificate's own signature is below what Circular 15/2025 allows: RSA under 2048 bits, or a
 * signature algorithm outside SHA-2/SHA-3 (SHA-1, MD5, RSASSA-PSS defaulting to SHA-1). Judged on the OID of the
 * DER, not on a library's name for it (SHA-3 and unknown algorithms have no name there).
 */
export function weakAlgorithm(der: Uint8Array, keyAlgorithm: KeyAlgorithm | undefined): boolean {
  if (keyAlgorithm?.kind === "rsa" && keyAlgorithm.modulusBits < MIN_RSA_BITS) return true;
  try {
    return !allowedSignatureAlgorithm(pkijs.Certificate.fromBER(der).signatureAlgorithm);
  } catch {
    return true;
  }
}

/**
 * Problems, in a fixed order. A missing KeyUsage extension allows signing (RFC 5280 §4.2.1.3: absent means
 * unrestricted); a present one must include digitalSignature or nonRepudiation.
 */
export async function certificateProblems(
  certificate: x509.X509Certificate,
  context: Pick<CertificateContext, "hasPrivateKey" | "crls" | "now">,
  issuer?: x509.X509Certificate,
): Promise<CertificateProblem[]> {
  const now = context.now ?? new Date();
  const problems: CertificateProblem[] = [];
  if (now.getTime() > certificate.notAfter.getTime()) problems.push("expired");
  if (now.getTime() < certificate.notBefore.getTime()) problems.push("notYetValid");
  const usage = keyUsageOf(certificate);
  if (usage && !usage.includes("digitalSignature") && !usage.includes("nonRepudiation")) problems.push("noSigningKeyUsage");
  if (weakAlgorithm(new Uint8Array(certificate.rawData), keyAlgorithmOf(certificate))) problems.push("weakAlgorithm");
  if (context.crls?.length && (await revocationStatus(certificate, context.crls, issuer)) === "revoked") problems.push("revoked");
  if (!context.hasPrivateKey) problems.push("noPrivateKey");
  return problems;
}

export async function parseCertificateInfo(der: Uint8Array, context: CertificateContext): Promise<CertificateInfo> {
  const facts = parseCertificateFacts(der);
  const chain = buildChain(der, context.caCertificates);
  const issuerDer = chain[0];
  const revoked =
    context.crls?.length !== undefined &&
    context.crls.length > 0 &&
    (await revocationStatus(facts.parsed, context.crls, issuerDer ? new x509.X509Certificate(issuerDer) : undefined)) === "revoked";
  return certificateInfoFromFacts(facts, { ...context, chain, revoked });
}

/**
 * What a certificate says by itself, parsed once: the token service keeps these by fingerprint, so a certificate
 * is parsed once per token insertion, not per request.
 */
export interface CertificateFacts {
  readonly der: Uint8Array;
  readonly parsed: x509.X509Certificate;
  readonly fingerprintSha256: string;
  /** undefined: a key type KySo cannot sign with (DSA, Ed25519). */
  readonly keyAlgorithm: KeyAlgorithm | undefined;
  readonly isCa: boolean;
  readonly subject: CertificateInfo["subject"];
  readonly issuer: CertificateInfo["issuer"];
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** undefined when the certificate has no KeyUsage extension (unrestricted). */
  readonly keyUsage: KeyUsageName[] | undefined;
  readonly extendedKeyUsage: string[];
  /** RSA under 2048 bits or a signature outside SHA-2/SHA-3 (weakAlgorithm()). */
  readonly weakAlgorithm: boolean;
}

export function parseCertificateFacts(der: Uint8Array): CertificateFacts {
  const parsed = new x509.X509Certificate(der);
  const subject = distinguishedName(parsed.subjectName);
  const keyAlgorithm = keyAlgorithmOf(parsed);
  return {
    der,
    parsed,
    fingerprintSha256: fingerprintSha256(der),
    keyAlgorithm,
    isCa: parsed.getExtension(x509.BasicConstraintsExtension)?.ca === true,
    subject,
    issuer: distinguishedName(parsed.issuerName),
    serialNumber: parsed.serialNumber.toLowerCase(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    keyUsage: keyUsageOf(parsed),
    extendedKeyUsage: (parsed.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? []).map(String),
    weakAlgorithm: weakAlgorithm(der, keyAlgorithm),
  };
}

/** Problems from parsed facts, in the fixed order of certificateProblems; cheap enough to run on every listing. */
export function problemsFromFacts(facts: CertificateFacts, context: { hasPrivateKey: boolean; revoked: boolean; now?: Date }): CertificateProblem[] {
  const now = (context.now ?? new Date()).getTime();
  const problems: CertificateProblem[] = [];
  if (now > facts.notAfter.getTime()) problems.push("expired");
  if (now < facts.notBefore.getTime()) problems.push("notYetValid");
  if (facts.keyUsage && !facts.keyUsage.includes("digitalSignature") && !facts.keyUsage.includes("nonRepudiation")) problems.push("noSigningKeyUsage");
  if (facts.weakAlgorithm) problems.push("weakAlgorithm");
  if (context.revoked) problems.push("revoked");
  if (!context.hasPrivateKey) problems.push("noPrivateKey");
  return problems;
}

export function certificateInfoFromFacts(
  facts: CertificateFacts,
  context: Pick<CertificateContext, "tokenId" | "tokenSerial" | "label" | "hasPrivateKey" | "now"> & {
    readonly chain: readonly Uint8Array[];
    readonly revoked: boolean;
  },
): CertificateInfo {
  const keyAlgorithm = facts.keyAlgorithm;
  if (!keyAlgorithm) throw new TypeError(`unsupported public key algorithm ${facts.parsed.publicKey.algorithm.name}`);
  const problems = problemsFromFacts(facts, context);
  return {
    id: `${facts.fingerprintSha256}:${context.tokenSerial}`,
    tokenId: context.tokenId,
    certificate: Buffer.from(facts.der).toString("base64"),
    chain: context.chain.map((item) => Buffer.from(item).toString("base64")),
    subject: facts.subject,
    issuer: facts.issuer,
    serialNumber: facts.serialNumber,
    notBefore: facts.notBefore.toISOString(),
    notAfter: facts.notAfter.toISOString(),
    keyAlgorithm,
    keyUsage: facts.keyUsage ?? [],
    extendedKeyUsage: facts.extendedKeyUsage,
    fingerprintSha256: facts.fingerprintSha256,
    vn: vietnameseIdentifiers(facts.subject),
    problems,
    valid: problems.length === 0,
    label: context.label,
  };
}

/** A CA certificate (basicConstraints cA) belongs in chains, not in the list of signing certificates. */
export function isCaCertificate(der: Uint8Array): boolean {
  try {
    return new x509.X509Certificate(der).getExtension(x509.BasicConstraintsExtension)?.ca === true;
  } catch {
    return false;
  }
}
