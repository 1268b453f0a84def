/**
 * The approval's key-usage line (Circular 15/2025: the certificate must be for signing: digitalSignature or
 * nonRepudiation), shown with its result like the validity, algorithm, chain and revocation lines, also when it
 * passes. Pure, unit-tested; the words come from the catalogue.
 */
import type { KeyUsageName } from "../../../main/domain/certificate.js";
import type { Translate } from "../i18n/index.js";

/** The usages that let a certificate sign documents, in the order a CA lists them. */
const SIGNING_USAGES: readonly KeyUsageName[] = ["nonRepudiation", "digitalSignature"];

export function keyUsageAllowsSigning(usages: readonly KeyUsageName[]): boolean {
  return usages.some((usage) => SIGNING_USAGES.includes(usage));
}

export function keyUsageText(usages: readonly KeyUsageName[], t: Translate): string {
  const signing = SIGNING_USAGES.filter((usage) => usages.includes(usage));
  if (signing.length === 0) return t("trust.keyUsage.refused");
  return t("trust.keyUsage.allowed", { usages: signing.map((usage) => t(`keyUsage.${usage}`)).join(", ") });
}
