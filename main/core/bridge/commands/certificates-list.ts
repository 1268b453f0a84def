import { z } from "zod";
import type { CertificateInfo, KeyUsageName } from "../../../domain/certificate.js";
import type { CertificateSummary } from "../../../domain/wire/protocol.js";
import { defineCommand } from "../command.js";
import { toCertificateSummary } from "../wire-views.js";

const KEY_USAGES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const satisfies readonly KeyUsageName[];

export const certificateFilterSchema = z.strictObject({
  taxCode: z.string().min(1).max(32).optional(),
  personalId: z.string().min(1).max(32).optional(),
  issuer: z.string().min(1).max(256).optional(),
  keyUsage: z.array(z.enum(KEY_USAGES)).max(9).optional(),
  validOnly: z.boolean().optional(),
  tokenId: z.string().min(1).max(200).optional(),
});
export type CertificateFilterInput = z.infer<typeof certificateFilterSchema>;

/** Pure filter, unit-tested: every given criterion must hold. */
export function matchesFilter(certificate: CertificateInfo, filter: CertificateFilterInput): boolean {
  if (filter.taxCode !== undefined && certificate.vn.taxCode !== filter.taxCode) return false;
  if (filter.personalId !== undefined && certificate.vn.personalId !== filter.personalId && certificate.vn.oldPersonalId !== filter.personalId) return false;
  if (filter.issuer !== undefined) {
    const wanted = filter.issuer.toLocaleLowerCase("vi");
    const names = [certificate.issuer.commonName, certificate.issuer.organization, certificate.issuer.text];
    if (!names.some((name) => name?.toLocaleLowerCase("vi").includes(wanted))) return false;
  }
  if (filter.keyUsage && !filter.keyUsage.every((usage) => certificate.keyUsage.includes(usage))) return false;
  if (filter.validOnly && !certificate.valid) return false;
  if (filter.tokenId !== undefined && certificate.tokenId !== filter.tokenId) return false;
  return true;
}

export const certificatesListCommand = defineCommand({
  method: "certificates.list",
  openToUnknownOrigins: false,
  signs: false,
  params: z.strictObject({ filter: certificateFilterSchema.optional() }).optional(),
  async run(context, params): Promise<CertificateSummary[]> {
    const filter = params?.filter ?? {};
    return (await context.services.tokens.listCertificates()).filter((c) => matchesFilter(c, filter)).map(toCertificateSummary);
  },
});
