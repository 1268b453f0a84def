/** Domain objects → protocol v1 shapes: only the listed fields leave the machine. */
import type { CertificateInfo } from "../../domain/certificate.js";
import type { TokenInfo } from "../../domain/token.js";
import type { CertificateSummary, TokenSummary } from "../../domain/wire/protocol.js";
import type { PortalRevocationStatus } from "./revocation-gate.js";
import type { portalChainStatus } from "./chain-gate.js";

type PortalChainStatus = ReturnType<typeof portalChainStatus>;

export function toTokenSummary(t: TokenInfo): TokenSummary {
  return {
    id: t.id,
    label: t.label,
    manufacturer: t.manufacturer,
    model: t.model,
    serial: t.serial,
    pinStatus: t.pinStatus,
    protectedAuthenticationPath: t.protectedAuthenticationPath,
  };
}

export function toCertificateSummary(c: CertificateInfo, revocation?: PortalRevocationStatus, chain?: PortalChainStatus): CertificateSummary {
  const vn = {
    ...(c.vn.taxCode ? { taxCode: c.vn.taxCode } : {}),
    ...(c.vn.personalId ? { personalId: c.vn.personalId } : {}),
    ...(c.vn.passport ? { passport: c.vn.passport } : {}),
    ...(c.vn.budgetCode ? { budgetCode: c.vn.budgetCode } : {}),
  };
  return {
    id: c.id,
    tokenId: c.tokenId,
    certificate: c.certificate,
    chain: [...c.chain],
    subject: c.subject.text,
    issuer: c.issuer.text,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyAlgorithm: c.keyAlgorithm,
    keyUsage: [...c.keyUsage],
    vn,
    valid: c.valid && !revocation?.blocking && !chain?.blocking,
    ...(revocation ? { revocation: { status: revocation.status, checkedAt: revocation.checkedAt } } : {}),
    ...(chain ? { trustChain: { trusted: chain.trusted, ...(chain.anchor ? { anchor: chain.anchor } : {}) } } : {}),
  };
}
