/**
 * Which certificates a sign approval offers, in which order, and which one is pre-selected: pure functions,
 * unit-tested (test/unit/core/bridge/candidates.test.ts). The checks that decide whether a candidate can sign run
 * in sign-session.ts (validity, the revocation gate, the document's dry run and MST rule in signing/prepare.ts);
 * here they are only read.
 */
import type { CandidateView } from "../app-api/approval-view.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import { KysoError, type ErrorPayload } from "../../domain/errors/kyso-error.js";

/** The formats of a request as one key: "pades", or "cms+pades" for a mixed batch. */
export function choiceKey(formats: readonly string[]): string {
  return [...new Set(formats)].sort().join("+");
}

/** Valid in itself and not refused for this request (another MST, revoked under `require`, the document's reason). */
export function isUsable(candidate: CandidateView): boolean {
  return candidate.valid && candidate.refusal === undefined;
}

/** The name the approval shows first: CN, else O, else the label. */
function displayName(certificate: CertificateInfo): string {
  return certificate.subject.commonName ?? certificate.subject.organization ?? certificate.label;
}

/**
 * KySo's order, the same on every run whatever order the tokens listed them in: usable first; then the most recent
 * certificate (a renewal comes before the one it replaces); then by name; then by id.
 */
export function rankCandidates(candidates: readonly CandidateView[]): CandidateView[] {
  return [...candidates].sort(
    (a, b) =>
      Number(isUsable(b)) - Number(isUsable(a)) ||
      Date.parse(b.notBefore) - Date.parse(a.notBefore) ||
      displayName(a).localeCompare(displayName(b), "vi") ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The remembered certificate when it is still usable for this request, else the first usable one in rank order. */
export function preselect(ranked: readonly CandidateView[], remembered: string | undefined): string | undefined {
  const usable = ranked.filter(isUsable);
  return (usable.find((c) => c.id === remembered) ?? usable[0])?.id;
}

/** Attaches to each candidate the first refusal any item gave it (the dry run's or the MST rule's). */
export function withRefusals(candidates: readonly CandidateView[], refusals: ReadonlyMap<string, ErrorPayload>): CandidateView[] {
  return candidates.map((c) => {
    const refusal = c.refusal ?? refusals.get(c.id);
    return refusal ? { ...c, refusal } : c;
  });
}

/**
 * Why nothing can sign, for the page once the user rejects or the deadline passes while no candidate was usable:
 * `token_not_present` with no certificate at all, else the first refused candidate's reason, else the problems.
 */
export function unusableReason(candidates: readonly CandidateView[], reason: "rejected" | "timeout"): KysoError {
  const refused = candidates.find((c) => c.valid && c.refusal)?.refusal;
  if (refused) return new KysoError(refused.code, refused.message, { ...refused.details, reason });
  if (candidates.length === 0) return new KysoError("token_not_present", `no token plugged in before the approval was ${reason}`, { reason });
  const problems = [...new Set(candidates.flatMap((c) => c.problems))];
  return new KysoError("certificate_invalid", problems.join(","), { problems, reason });
}
