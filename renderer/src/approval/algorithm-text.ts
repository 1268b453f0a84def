/**
 * The approval's algorithm line (Circular 15/2025: SHA-2/SHA-3; RSA >= 2048; EC P-256+) in the user's words: pure,
 * unit-tested. "RSA 2048, SHA-256: allowed"; the CA's hash is named too when it is not the signature's, and each
 * refused part says why.
 */
import type { CandidateAlgorithmView } from "../../../main/core/app-api/approval-view.js";
import type { Translate } from "../i18n/index.js";

export function algorithmText(view: CandidateAlgorithmView, t: Translate): string {
  const shown = view.hash ?? view.certificateHash;
  const parts = [view.key, shown];
  if (view.hash && view.certificateHash !== view.hash && !view.problems.includes("certificateHash")) {
    parts.push(t("trust.algorithm.certificateSigned", { hash: view.certificateHash }));
  }
  const algorithms = parts.join(", ");
  if (view.allowed) return t("trust.algorithm.allowed", { algorithms });
  const reasons = view.problems.map((p) =>
    p === "keyTooSmall"
      ? t("trust.algorithm.problem.keyTooSmall")
      : p === "certificateHash"
        ? t("trust.algorithm.problem.certificateHash", { hash: view.certificateHash })
        : t("trust.algorithm.problem.hash", { hash: view.hash ?? "" }),
  );
  return t("trust.algorithm.refused", { algorithms, reasons: reasons.join("; ") });
}
