/**
 * The one message the PIN area shows for a state (never two stacked): pure, unit-tested. PKCS#11 tells how many
 * tries are left only at the end: CKF_USER_PIN_FINAL_TRY means exactly one; CKF_USER_PIN_COUNT_LOW means "a wrong
 * PIN was entered since the last good one" without a number, so the message says so instead of guessing.
 */
import type { SupportContactView } from "../../../main/core/app-api/approval-view.js";
import type { ErrorPayload } from "../../../main/domain/errors/kyso-error.js";
import type { PinStatus } from "../../../main/domain/token.js";
import type { MessageKey } from "../i18n/index.js";

export type PinMessageState = "locked" | "wrongFinalTry" | "wrongCountLow" | "wrong" | "finalTry" | "countLow" | "error";

export interface PinMessage {
  readonly state: PinMessageState;
  readonly tone: "error" | "warning";
  readonly key?: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
  /** A message that is not the PIN's (e.g. a refusal from the core), shown as given. */
  readonly text?: string;
  /** For `locked`: whom to call. */
  readonly support?: SupportContactView;
}

const WRONG_PIN_CODES = new Set(["pin_incorrect"]);

export function pinMessage(input: { pinStatus: PinStatus; lastError?: ErrorPayload | undefined; error?: string | undefined; support?: SupportContactView | undefined }): PinMessage | undefined {
  const { pinStatus, lastError } = input;
  if (pinStatus === "locked" || lastError?.code === "pin_locked") {
    return { state: "locked", tone: "error", key: "pin.lockedCall", ...(input.support ? { support: input.support } : {}) };
  }
  if (lastError && WRONG_PIN_CODES.has(lastError.code)) {
    if (pinStatus === "finalTry") return { state: "wrongFinalTry", tone: "error", key: "pin.wrongTriesLeft", params: { count: 1 } };
    if (pinStatus === "countLow") return { state: "wrongCountLow", tone: "error", key: "pin.wrongCountLow" };
    return { state: "wrong", tone: "error", key: "pin.wrong" };
  }
  const other = input.error ?? lastError?.message;
  if (other) return { state: "error", tone: "error", text: other };
  if (pinStatus === "finalTry") return { state: "finalTry", tone: "warning", key: "pin.triesLeft", params: { count: 1 } };
  if (pinStatus === "countLow") return { state: "countLow", tone: "warning", key: "pin.countLow" };
  return undefined;
}
