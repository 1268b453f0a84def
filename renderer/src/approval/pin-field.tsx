import type { RefObject } from "react";
import type { PinStatus } from "../../../main/domain/token.js";
import { useI18n } from "../i18n/index.js";

/**
 * The PIN input is uncontrolled: its value lives in the DOM only until submit, when the form reads it, clears the
 * field and sends it once. It is never put in React state, so it is never re-rendered, logged by dev tools or kept.
 */
export function PinField({ inputRef, status, pinPad, error }: {
  inputRef: RefObject<HTMLInputElement | null>;
  status: PinStatus;
  pinPad: boolean;
  error?: string;
}) {
  const { t } = useI18n();
  const warning =
    status === "finalTry" ? (
      <p className="warning strong" role="alert" data-testid="pin-final-try">
        {t("pin.finalTry")}
      </p>
    ) : status === "countLow" ? (
      <p className="warning" role="alert" data-testid="pin-count-low">
        {t("pin.countLow")}
      </p>
    ) : status === "locked" ? (
      <p className="error" role="alert">
        {t("pin.locked")}
      </p>
    ) : null;
  return (
    <div className="pin">
      {error ? (
        <p className="error" role="alert" data-testid="approval-error">
          {error}
        </p>
      ) : null}
      {warning}
      {pinPad ? (
        <p className="pin-pad" role="status">
          {t("pin.pad")}
        </p>
      ) : (
        <label>
          {t("pin.label")}
          <input
            ref={inputRef}
            type="password"
            name="pin"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            disabled={status === "locked"}
          />
        </label>
      )}
    </div>
  );
}
