import type { RefObject } from "react";
import type { PinStatus } from "../../../main/domain/token.js";
import { useI18n } from "../i18n/index.js";
import type { PinMessage } from "./pin-message.js";

/** One message (pin-message.ts), with the CA's support line when the PIN is locked. */
function Message({ message }: { message: PinMessage }) {
  const { t } = useI18n();
  const support = message.support;
  return (
    <div className={message.tone === "error" ? "error" : "warning strong"} role="alert" id="pin-message" data-testid="pin-message" data-state={message.state}>
      <p>{message.key ? t(message.key, message.params) : message.text}</p>
      {message.state === "locked" ? (
        <p data-testid="pin-support">
          {support && !support.phone && !support.website ? (
            t("pin.supportNameOnly", { name: support.name })
          ) : support ? (
            <>
              {t("pin.supportWho", { name: support.name })}
              {support.phone ? (
                <>
                  {" "}
                  {t("pin.supportPhone")} <a href={`tel:${support.phone.replace(/\s/g, "")}`}>{support.phone}</a>
                </>
              ) : null}
              {support.website ? (
                <>
                  {support.phone ? " · " : " "}
                  {t("pin.supportWebsite")} <bdi>{support.website.replace(/^https:\/\//, "")}</bdi>
                </>
              ) : null}
            </>
          ) : (
            t("pin.supportUnknown")
          )}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The PIN input is uncontrolled: its value lives in the DOM only until submit, when the form reads it, clears the
 * field and sends it once. It is never put in React state, so it is never re-rendered, logged by dev tools or kept.
 */
export function PinField({ inputRef, status, pinPad, message }: {
  inputRef: RefObject<HTMLInputElement | null>;
  status: PinStatus;
  pinPad: boolean;
  message?: PinMessage | undefined;
}) {
  const { t } = useI18n();
  return (
    <div className="pin">
      {message ? <Message message={message} /> : null}
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
            aria-describedby={message ? "pin-message" : undefined}
            aria-invalid={message?.tone === "error" && message.state !== "locked" ? true : undefined}
            data-testid="pin-input"
          />
        </label>
      )}
    </div>
  );
}
