import type { TrustBundleStatus } from "../../../main/core/certificates/trust/trust-bundle-types.js";
import { useI18n, type MessageKey } from "../i18n/index.js";

/**
 * Policy `trustBundle` in diagnostics: the signed bundle in use, and each candidate refused with its reason (bad
 * signature, unknown key, rollback, expired...) so the administrator sees why a new bundle did not take effect.
 */
export function TrustBundleSection({ status }: { status: TrustBundleStatus }) {
  const { t, formatDate } = useI18n();
  const inUse = status.inUse;
  return (
    <section aria-labelledby="diag-bundle-heading" data-testid="diag-trust-bundle">
      <h2 id="diag-bundle-heading">{t("trust.bundle.heading")}</h2>
      <p>
        {inUse
          ? t("trust.bundle.inUse", {
              version: inUse.version,
              issuedAt: formatDate(inUse.issuedAt),
              expiresAt: formatDate(inUse.expiresAt),
              anchors: inUse.anchors,
              intermediates: inUse.intermediates,
            })
          : t("trust.bundle.none")}
      </p>
      {status.problems.length > 0 ? (
        <ul>
          {status.problems.map((problem, index) => (
            <li key={index} className="warning" title={problem.message}>
              {t("trust.bundle.problem", { source: problem.source, reason: t(`trust.bundle.reason.${problem.reason}` as MessageKey) })}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
