import { useEffect, useRef, useState } from "react";
import type { PhoneWaitView } from "../../../main/core/app-api/approval-view.js";
import { useI18n } from "../i18n/index.js";
import { phoneStep } from "./phone-step.js";

/**
 * "Confirm on your phone": a remote account's request is in the provider's app. Shows what KySo sent (the title
 * and the portal's origin, so the user can match it), a countdown to the provider's expiry, the quota note, and
 * Cancel (the core aborts the wait; the portal gets user_rejected).
 */
export function PhoneWait({ phone, onCancel, onOtp, busy }: { phone: PhoneWaitView; onCancel: () => void; onOtp: (otp: string) => void; busy: boolean }) {
  const { t } = useI18n();
  // The OTP input is uncontrolled like the PIN's: read once on send, cleared, never in React state or a log.
  const otpRef = useRef<HTMLInputElement>(null);
  const sendOtp = () => {
    const input = otpRef.current;
    if (!input || !input.value.trim()) return;
    const value = input.value.trim();
    input.value = "";
    onOtp(value);
  };
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
      {step.state === "otp" ? (
        // Inside the approval's form: a nested form is not allowed, so Enter is handled here.
        <div className="otp">
          <label>
            {t("remote.otpLabel")}
            <input
              ref={otpRef}
              type="password"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={16}
              autoFocus
              data-testid="otp-input"
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  sendOtp();
                }
              }}
            />
          </label>
          <button type="button" className="primary" onClick={sendOtp} disabled={busy} data-testid="otp-send">
            {t("remote.otpSend")}
          </button>
        </div>
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
