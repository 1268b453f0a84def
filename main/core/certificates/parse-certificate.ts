/**
 * DER certificate on a token → CertificateInfo, the view the approval screen and the formats use. The raw DER
 * travels with it (`certificate`, base64), so nothing downstream re-encodes a certificate.
 */
import "reflect-metadata";
import { createHash } from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { CertificateInfo, CertificateProblem, KeyUsageName } from "../domain/certificate.js";
import type { KeyAlgorithm } from "../domain/signer.js";
import { buildChain } from "./chain.js";
import { distinguishedName } from "./distinguished-name.js";
import { revocationStatus } from "./revocation.js";
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
  if (context.crls?.length && (await revocationStatus(certificate, context.crls, issuer)) === "revoked") problems.push("revoked");
  if (!context.hasPrivateKey) problems.push("noPrivateKey");
  return problems;
}

export async function parseCertificateInfo(der: Uint8Array, context: CertificateContext): Promise<CertificateInfo> {
  const certificate = new x509.X509Certificate(der);
  const keyAlgorithm = keyAlgorithmOf(certificate);
  if (!keyAlgorithm) throw new TypeError(`unsupported public key algorithm ${certificate.publicKey.algorithm.name}`);
  const chain = buildChain(der, context.caCertificates);
  const issuerDer = chain[0];
  const problems = await certificateProblems(certificate, context, issuerDer ? new x509.X509Certificate(issuerDer) : undefined);
  const subject = distinguishedName(certificate.subjectName);
  const eku = certificate.getExtension(x509.ExtendedKeyUsageExtension);
  return {
    id: certificateId(der, context.tokenSerial),
    tokenId: context.tokenId,
    certificate: Buffer.from(der).toString("base64"),
    chain: chain.map((item) => Buffer.from(item).toString("base64")),
    subject,
    issuer: distinguishedName(certificate.issuerName),
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    keyAlgorithm,
    keyUsage: keyUsageOf(certificate) ?? [],
    extendedKeyUsage: (eku?.usages ?? []).map(String),
    fingerprintSha256: fingerprintSha256(der),
    vn: vietnameseIdentifiers(subject),
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
