/**
 * The Decree 30/2020 two-signature check of a PDF (verify-report.ts `OfficialDocumentAssessment`): the roles come
 * from `/Prop_Build /KySo_Preset` only. Order: the signature with more updates after it was made earlier (a later
 * signature is itself one of the earlier one's later updates), which holds however the fields are listed.
 */
import type { OfficialDocumentAssessment, SignatureReport } from "../../domain/wire/verify-report.js";

export function assessOfficialDocument(signatures: readonly SignatureReport[]): OfficialDocumentAssessment {
  const last = (role: "leader" | "seal"): number | undefined => {
    let at: number | undefined;
    signatures.forEach((s, i) => {
      if (s.preset === role && (at === undefined || s.laterUpdates.length <= signatures[at]!.laterUpdates.length)) at = i;
    });
    return at;
  };
  const leader = last("leader");
  const seal = last("seal");
  const where = { ...(leader !== undefined ? { leader } : {}), ...(seal !== undefined ? { seal } : {}) };
  if (leader === undefined && seal === undefined) return { status: "not-assessed" };
  if (leader === undefined) return { status: "leader-missing", ...where };
  if (seal === undefined) return { status: "seal-missing", ...where };
  const leaderFirst = signatures[leader]!.laterUpdates.length > signatures[seal]!.laterUpdates.length;
  return { status: leaderFirst ? "complete" : "wrong-order", ...where };
}
