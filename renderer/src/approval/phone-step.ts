/**
 * What the approval shows for a remote account's phone step (main/core/app-api/approval-view.ts `PhoneWaitView`):
 * pure, unit-tested (test/unit/renderer/phone-step.test.ts); phone-wait.tsx renders it.
 */
import type { PhoneWaitView } from "../../../main/core/app-api/approval-view.js";
import type { MessageKey } from "../i18n/index.js";

export interface PhoneStepLines {
  readonly state: "sending" | "otp" | "waiting" | "expired" | "confirmed";
  readonly headingKey: MessageKey;
  readonly explainKey: MessageKey;
  /** "m:ss" to the provider's expiry; absent when the provider gave none or the step is not waiting. */
  readonly countdown?: string;
  /** The user may cancel only while the request is out and not yet confirmed. */
  readonly cancellable: boolean;
}

/** "m:ss", never negative. */
export function formatCountdown(milliseconds: number): string {
  const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function phoneStep(phone: PhoneWaitView, now: number): PhoneStepLines {
  if (phone.phase === "confirmed") return { state: "confirmed", headingKey: "remote.waitingHeading", explainKey: "remote.confirmed", cancellable: false };
  if (phone.phase === "otp") return { state: "otp", headingKey: "remote.otpHeading", explainKey: "remote.otpExplain", cancellable: true };
  if (phone.phase === "sending") return { state: "sending", headingKey: "remote.waitingHeading", explainKey: "remote.sending", cancellable: true };
  const left = phone.expiresAt === undefined ? undefined : Date.parse(phone.expiresAt) - now;
  if (left !== undefined && left <= 0) return { state: "expired", headingKey: "remote.waitingHeading", explainKey: "remote.expired", countdown: formatCountdown(0), cancellable: true };
  return {
    state: "waiting",
    headingKey: "remote.waitingHeading",
    explainKey: "remote.waitingExplain",
    ...(left !== undefined ? { countdown: formatCountdown(left) } : {}),
    cancellable: true,
  };
}

/** A remote account's pseudo-token (main/core/remote/remote-source.ts): no PIN is typed for it. */
export function isRemoteToken(tokenId: string | undefined): boolean {
  return tokenId?.startsWith("remote:") === true;
}
