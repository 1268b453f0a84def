import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { useI18n } from "../i18n/index.js";

/**
 * "Plug in your USB token": the request waits (until the approval's deadline) for a token with a usable certificate;
 * once one is plugged in, its certificates are checked before they can be chosen ("checking").
 */
export function TokenWait({ wait }: { wait: SignApprovalView["tokenWait"] }) {
  const { t } = useI18n();
  if (!wait) return null;
  return (
    <section className="token-wait" role="status" aria-live="polite" data-testid="token-wait" data-state={wait}>
      <h2>{wait === "absent" ? t("token.wait.heading") : t("token.wait.checkingHeading")}</h2>
      <p>{wait === "absent" ? t("token.wait.explain") : t("token.wait.checking")}</p>
    </section>
  );
}
