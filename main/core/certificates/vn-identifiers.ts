/**
 * Vietnamese identifiers in the subject's UID attributes (shared/notes/vietnam.md): `MST:` tax code (10 digits,
 * or 10-3 for a branch), `CCCD:` 12-digit citizen ID, `CMND:` old 9-digit ID, `HC:` passport, `MNS:` state-budget
 * unit code. A certificate can carry several UID values; the first of each kind wins.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { DistinguishedName, VietnameseIdentifiers } from "../../domain/certificate.js";
import { KysoError } from "../../domain/errors/kyso-error.js";
import { distinguishedName, UID_OID } from "./distinguished-name.js";

const PREFIXES: readonly (readonly [string, keyof VietnameseIdentifiers])[] = [
  ["MST", "taxCode"],
  ["CCCD", "personalId"],
  ["CMND", "oldPersonalId"],
  ["HC", "passport"],
  ["MNS", "budgetCode"],
];

/** Parses UID values like "MST:0101234567" (prefix case and spaces around ":" tolerated). */
export function vietnameseIdentifiers(subject: DistinguishedName): VietnameseIdentifiers {
  const found: Partial<Record<keyof VietnameseIdentifiers, string>> = {};
  for (const attribute of subject.attributes) {
    if (attribute.oid !== UID_OID) continue;
    const match = /^\s*([A-Za-z]+)\s*:\s*(.+?)\s*$/.exec(attribute.value);
    if (!match) continue;
    const prefix = (match[1] ?? "").toUpperCase();
    const field = PREFIXES.find(([name]) => name === prefix)?.[1];
    if (field && found[field] === undefined) found[field] = match[2];
  }
  return found;
}

/**
 * The one rule for "is this certificate the document's signer" (vn-tax and vn-einvoice alike): the identifier the
 * document names (the taxpayer's MST of a tax declaration, the seller's MST of an e-invoice) must have the same
 * digits as the certificate's `MST:` or, for a person whose tax code is the 12-digit citizen ID (since 2025), the
 * certificate's `CCCD:`. Only digits are compared, so `0101234567-001` equals `0101234567001`; a branch suffix is
 * significant (`0101234567-001` is not `0101234567`).
 */
export interface IdentityMismatch {
  readonly documentTaxCode: string;
  readonly certificateTaxCode?: string;
}

export function identifierDigits(value: string): string {
  return value.replace(/[^0-9]/g, "");
}

/** The identifiers of a DER certificate's subject (for code that has the DER, not a CertificateInfo). */
export function certificateIdentifiers(der: Uint8Array): VietnameseIdentifiers {
  return vietnameseIdentifiers(distinguishedName(new x509.X509Certificate(der).subjectName));
}

/** `undefined` when the certificate is the document's signer (or the document names nobody). */
export function identityMismatch(documentTaxCode: string | undefined, certificate: VietnameseIdentifiers): IdentityMismatch | undefined {
  if (documentTaxCode === undefined) return undefined;
  const wanted = identifierDigits(documentTaxCode);
  const held = [certificate.taxCode, certificate.personalId].filter((v): v is string => v !== undefined);
  if (wanted.length > 0 && held.some((value) => identifierDigits(value) === wanted)) return undefined;
  return { documentTaxCode, ...(certificate.taxCode ? { certificateTaxCode: certificate.taxCode } : {}) };
}

/** The typed refusal for a mismatch: `tax_code_mismatch` with both codes in the details (docs/formats.md). */
export function identityMismatchError(mismatch: IdentityMismatch): KysoError {
  return new KysoError("tax_code_mismatch", `document MST ${mismatch.documentTaxCode}, certificate MST ${mismatch.certificateTaxCode ?? "(none)"}`, { ...mismatch });
}
