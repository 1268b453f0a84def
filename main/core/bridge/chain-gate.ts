/**
 * Policy `chainCheck` (and `revocationCheck` for the chain's intermediate CAs) applied to a sign request's
 * candidates before the approval opens, alongside the revocation gate (candidate-checks.ts). Each usable candidate
 * gets `trustChain` (trusted and the anchor's name, or no trusted path; each intermediate's status); a blocking
 * verdict adds `refusal: certificate_invalid` with `problems` [untrustedChain] / [intermediateRevoked] /
 * [intermediateRevocationUnknown] unless the candidate is already refused for another reason.
 */
import type { CandidateChainView, CandidateView } from "../app-api/approval-view.js";
import type { RevocationCheckMode } from "../certificates/revocation/types.js";
import { chainVerdict, type ChainCheckMode, type ChainCheckResult } from "../certificates/trust/chain-check.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { RevocationResult } from "../certificates/revocation/types.js";
import { sha256Hex } from "../certificates/revocation/revocation-data.js";
import { KysoError, transferable } from "../../domain/errors/kyso-error.js";
import type { ChainPort } from "./command.js";

export interface ChainModes {
  readonly chainCheck: ChainCheckMode;
  readonly revocationCheck: RevocationCheckMode;
}

/** The chain check of every certificate that could sign, by certificate id; none when both checks are off. */
export async function checkChains(certificates: readonly CertificateInfo[], modes: ChainModes, port: ChainPort | undefined): Promise<ReadonlyMap<string, ChainCheckResult>> {
  const results = new Map<string, ChainCheckResult>();
  if (!port || (modes.chainCheck === "off" && modes.revocationCheck === "off")) return results;
  await Promise.all(
    certificates
      .filter((c) => c.valid)
      .map(async (c) => {
        const result = await port.check(c, modes.revocationCheck !== "off").catch(() => undefined);
        if (result) results.set(c.id, result);
      }),
  );
  return results;
}

/** Attaches each candidate's chain view, and the refusal when the verdict blocks. */
export function withChains(candidates: readonly CandidateView[], results: ReadonlyMap<string, ChainCheckResult>, modes: ChainModes): CandidateView[] {
  return candidates.map((candidate) => {
    const result = results.get(candidate.id);
    if (!result) return candidate;
    const verdict = chainVerdict(result, modes.chainCheck, modes.revocationCheck);
    const trustChain: CandidateChainView = { ...chainView(result), ...(verdict.warning ? { warning: verdict.warning } : {}) };
    if (!verdict.blocking || candidate.refusal || !verdict.problem) return { ...candidate, trustChain };
    const refusal = transferable(new KysoError("certificate_invalid", verdict.problem, { problems: [verdict.problem] }));
    return { ...candidate, trustChain, refusal };
  });
}

/** The anchor's name for the portal and logs: an OS-store anchor says so ("<name> (system store)"). */
export function anchorLabel(anchor: NonNullable<ChainCheckResult["anchor"]>): string {
  return anchor.source === "system" ? `${anchor.name} (system store)` : anchor.name;
}

export function chainView(result: ChainCheckResult): CandidateChainView {
  return {
    trusted: result.trusted,
    ...(result.anchor ? { anchor: result.anchor.name } : {}),
    ...(result.anchor?.nationalRoot ? { nationalRoot: result.anchor.nationalRoot } : {}),
    ...(result.anchor?.source === "system" ? { anchorSource: "system" as const } : {}),
    intermediates: result.intermediates.map((i) => ({ name: i.name, status: i.status, source: i.source })),
    checkedAt: result.checkedAt.toISOString(),
  };
}

/** What the portal sees (`certificates.list` `trustChain`): the path and its anchor's name, and whether the approval would refuse. */
export function portalChainStatus(result: ChainCheckResult, modes: ChainModes): { readonly trusted: boolean; readonly anchor?: string; readonly blocking: boolean } {
  return {
    trusted: result.trusted,
    ...(result.anchor ? { anchor: anchorLabel(result.anchor) } : {}),
    blocking: chainVerdict(result, modes.chainCheck, modes.revocationCheck).blocking,
  };
}

/**
 * The chain a signature's revocation data is built on (its evidence and the long-term levels' DSS / revocation
 * values): the trusted path to the anchor when the chain check found one (it may hold intermediates the token does
 * not carry: from the trust bundle or AIA), else the token's own chain. Nearest issuer first.
 */
export function validationChain(tokenChain: readonly Uint8Array[], result: ChainCheckResult | undefined): readonly Uint8Array[] {
  return result?.trusted ? result.chain : tokenChain;
}

/** The candidate with its validation chain, for the long-term levels' gathering in `signing.prepare`. */
export function withValidationChain(certificate: CertificateInfo, result: ChainCheckResult | undefined): CertificateInfo {
  if (!result?.trusted) return certificate;
  return { ...certificate, chain: result.chain.map((der) => Buffer.from(der).toString("base64")) };
}

/** The answers the approval's checks already hold, by the SHA-256 of the certificate: the signer's and its intermediates'. */
export function approvalAnswers(certificate: Uint8Array, signer: RevocationResult | undefined, chain: ChainCheckResult | undefined): Map<string, RevocationResult> {
  const answers = new Map<string, RevocationResult>();
  for (const intermediate of chain?.intermediates ?? []) if (intermediate.result) answers.set(intermediate.fingerprintSha256, intermediate.result);
  if (signer) answers.set(sha256Hex(certificate), signer);
  return answers;
}
