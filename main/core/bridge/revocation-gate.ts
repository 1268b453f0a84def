/**
 * Policy `revocationCheck` applied to a sign request's candidates before the approval opens (Circular 15/2025:
 * check the signer's certificate before signing, warn when the status cannot be checked). Every usable candidate
 * is checked in parallel, each bounded by the revocation service's own timeouts (OCSP 10 s, CRL 30 s).
 * `warn`: every candidate stays, with its status for the approval to show. `require`: a candidate whose status is
 * not "good" stays listed but refused (`refusal`: `certificate_invalid` with `problems` [revoked] or
 * [revocationUnknown]), so the approval can say why; the session (sign-session.ts) refuses the request when no
 * usable candidate is left.
 */
import type { CandidateRevocationView, CandidateView } from "../app-api/approval-view.js";
import { revocationVerdict } from "../certificates/revocation/verdict.js";
import type { RevocationCheckMode, RevocationResult } from "../certificates/revocation/types.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import { KysoError, transferable } from "../../domain/errors/kyso-error.js";
import type { RevocationPort } from "./command.js";

/** `data.problems` of a `require` refusal: "revoked", or "revocationUnknown" for unknown / could not check / offline. */
export type RevocationProblem = "revoked" | "revocationUnknown";

/** The candidates to offer, and the check behind each one (by certificate id) for the evidence and the formats. */
export interface CheckedCandidates {
  readonly candidates: CandidateView[];
  readonly results: ReadonlyMap<string, RevocationResult>;
}

export async function applyRevocationCheck(
  candidates: readonly CertificateInfo[],
  mode: RevocationCheckMode,
  port: RevocationPort | undefined,
  now: () => Date,
): Promise<CandidateView[]> {
  return (await checkCandidates(candidates, mode, port, now)).candidates;
}

/**
 * As applyRevocationCheck, also returning each candidate's RevocationResult (with the OCSP response or CRL it
 * came from), so the signing path keeps and embeds what the approval showed without asking the network again.
 */
export async function checkCandidates(
  candidates: readonly CertificateInfo[],
  mode: RevocationCheckMode,
  port: RevocationPort | undefined,
  now: () => Date,
): Promise<CheckedCandidates> {
  const results = new Map<string, RevocationResult>();
  if (mode === "off" || !port) return { candidates: [...candidates], results };
  const checked = await Promise.all(
    candidates.map(async (candidate): Promise<{ candidate: CertificateInfo; result?: RevocationResult }> => {
      // A certificate that cannot sign anyway is not worth a network request; it stays listed with its reason.
      if (!candidate.valid) return { candidate };
      return { candidate, result: await checkOne(port, candidate, now) };
    }),
  );
  const kept: CandidateView[] = [];
  for (const { candidate, result } of checked) {
    if (!result) {
      kept.push(candidate);
      continue;
    }
    results.set(candidate.id, result);
    const verdict = revocationVerdict(result, mode);
    const revocation: CandidateRevocationView = {
      status: result.status,
      source: result.source,
      checkedAt: result.checkedAt.toISOString(),
      ...(verdict.warning ? { warning: verdict.warning } : {}),
    };
    if (verdict.blocking) {
      const problem: RevocationProblem = result.status === "revoked" ? "revoked" : "revocationUnknown";
      kept.push({ ...candidate, revocation, refusal: transferable(new KysoError("certificate_invalid", problem, { problems: [problem] })) });
      continue;
    }
    kept.push({ ...candidate, revocation });
  }
  return { candidates: kept, results };
}

/** The port's answer for one certificate; a port that throws (it should not) gives "could not check". */
export function checkOne(port: RevocationPort, certificate: CertificateInfo, now: () => Date): Promise<RevocationResult> {
  return port.check(certificate).catch((thrown: unknown) => failed(now(), thrown));
}

/** What the portal sees of a check (`certificates.list`): "error" (could not check) reads as "unknown". */
export interface PortalRevocationStatus {
  readonly status: "good" | "revoked" | "unknown";
  readonly checkedAt: string;
  /** The approval would not offer the certificate under this policy. */
  readonly blocking: boolean;
}

export function portalRevocationStatus(result: RevocationResult, mode: RevocationCheckMode): PortalRevocationStatus {
  return {
    status: result.status === "error" ? "unknown" : result.status,
    checkedAt: result.checkedAt.toISOString(),
    blocking: revocationVerdict(result, mode).blocking,
  };
}

/** A port that threw (it should not): the status could not be checked. */
function failed(checkedAt: Date, thrown: unknown): RevocationResult {
  return {
    status: "error",
    source: "none",
    checkedAt,
    detail: "network",
    message: `revocation check failed: ${String(thrown)}`,
    notes: [],
    fromCache: false,
    attempts: [],
  };
}
