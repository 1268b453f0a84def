import { useEffect, useState } from "react";
import type { PhoneWaitView } from "../../../main/core/app-api/approval-view.js";
import { useI18n } from "../i18n/index.js";
import { phoneStep } from "./phone-step.js";

/**
 * "Confirm on your phone": a remote account's request is in the provider's app. Shows what KySo sent (the title
 * and the portal's origin, so the user can match it), a countdown to the provider's expiry, the quota note, and
 * Cancel (the core aborts the wait; the portal gets user_rejected).
 */
export function PhoneWait({ phone, onCancel, busy }: { phone: PhoneWaitView; onCancel: () => void; busy: boolean }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const step = phoneStep(phone, now);
  return (
    <section className="phone-wait" role="status" aria-live="polite" data-testid="phone-wait" data-state={step.state}>
      <h2>{t(step.headingKey)}</h2>
      <p>{t(step.explainKey, { provider: phone.provider })}</p>
      <p className="muted" data-testid="phone-sent">
        {t("remote.sent", { description: phone.description, origin: phone.origin })}
      </p>
      {step.countdown ? (
        <p className="expires" data-testid="phone-countdown">
          {t("remote.countdown", { time: step.countdown })}
        </p>
      ) : null}
      <p className="muted">{t("remote.quota", { provider: phone.provider })}</p>
      {step.cancellable ? (
        <div className="actions">
          <button type="button" className="secondary" onClick={onCancel} disabled={busy} data-testid="phone-cancel">
            {t("remote.cancel")}
          </button>
        </div>
      ) : null}
    </section>
  );
}
