import { z } from "zod";
import type { CertificateInfo, KeyUsageName } from "../../../domain/certificate.js";
import type { CertificateSummary } from "../../../domain/wire/protocol.js";
import { defineCommand } from "../command.js";
import type { RevocationResult } from "../../certificates/revocation/types.js";
import type { RevocationPort } from "../command.js";
import { checkOne, portalRevocationStatus } from "../revocation-gate.js";
import { warmForPortal } from "../signing-port.js";
import { toCertificateSummary } from "../wire-views.js";
import { checkChains, portalChainStatus } from "../chain-gate.js";

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

/**
 * A listing waits at most this long for a revocation answer (the SDK's default timeout for `certificates.list` is
 * 15 s, a CRL may take 30 s): past it the certificate reads "unknown" now, and the check goes on and fills the
 * cache for the next listing and the approval.
 */
export const LIST_REVOCATION_WAIT_MS = 8_000;

async function checkForListing(port: RevocationPort, certificate: CertificateInfo, now: () => Date, waitMs: number): Promise<RevocationResult> {
  const late: RevocationResult = { status: "error", source: "none", checkedAt: now(), detail: "timeout", message: "still checking", notes: [], fromCache: false, attempts: [] };
  return (await withinWait(checkOne(port, certificate, now), waitMs)) ?? late;
}

/** The answer if it comes within `waitMs`, else undefined (the work goes on and fills the caches). */
async function withinWait<T>(work: Promise<T>, waitMs: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const certificatesListCommand = defineCommand({
  method: "certificates.list",
  openToUnknownOrigins: false,
  signs: false,
  params: z.strictObject({ filter: certificateFilterSchema.optional() }).optional(),
  async run(context, params): Promise<CertificateSummary[]> {
    warmForPortal(context); // a portal lists certificates before it asks to sign
    const { validOnly, ...filter } = params?.filter ?? {};
    const { tokens, policy, revocation, chains, now } = context.services;
    const listed = (await tokens.listCertificates()).filter((c) => matchesFilter(c, filter));
    // The same checks as before an approval (policy `revocationCheck` and `chainCheck`, the same ports and caches): a
    // certificate the approval would not offer is not `valid` here either. Certificates that cannot sign anyway are not checked.
    const mode = policy.revocationCheck;
    const summaries = await Promise.all(
      listed.map(async (c) => {
        if (!c.valid) return toCertificateSummary(c);
        const [status, chain] = await Promise.all([
          mode === "off" || !revocation ? undefined : checkForListing(revocation, c, now, LIST_REVOCATION_WAIT_MS),
          (chains ? withinWait(checkChains([c], policy, chains), LIST_REVOCATION_WAIT_MS) : undefined),
        ]);
        const chainResult = chain?.get(c.id);
        return toCertificateSummary(c, status && portalRevocationStatus(status, mode), chainResult && portalChainStatus(chainResult, policy));
      }),
    );
    return validOnly ? summaries.filter((s) => s.valid) : summaries;
  },
});
