/**
 * The Decree 30/2020 two-signature check (report `officialDocument`): leader, organisation seal, and their order.
 * Judged by the core from the roles signatures claim; shown only when the report has it (PDFs).
 */
import type { OfficialDocumentAssessment } from "../../../main/domain/wire/verify-report.js";
import { useI18n } from "../i18n/index.js";

const KEY = {
  "not-assessed": "official.notAssessed",
  complete: "official.complete",
  "leader-missing": "official.leaderMissing",
  "seal-missing": "official.sealMissing",
  "wrong-order": "official.wrongOrder",
} as const;

export function OfficialDocument({ assessment }: { readonly assessment: OfficialDocumentAssessment }) {
  const { t } = useI18n();
  const role = (at: number | undefined): string => (at === undefined ? t("official.absent") : t("official.present", { index: at + 1 }));
  return (
    <section className="card" data-testid="official-document" data-status={assessment.status} aria-labelledby="official-document-heading">
      <h3 id="official-document-heading">{t("official.heading")}</h3>
      <p>{t(KEY[assessment.status])}</p>
      {assessment.status === "not-assessed" ? null : (
        <dl className="details">
          <dt>{t("official.leader")}</dt>
          <dd>{role(assessment.leader)}</dd>
          <dt>{t("official.seal")}</dt>
          <dd>{role(assessment.seal)}</dd>
        </dl>
      )}
    </section>
  );
}
