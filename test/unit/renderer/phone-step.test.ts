/** phoneStep: the approval's "confirm on your phone" lines from the core's PhoneWaitView, with the countdown. */
import { describe, expect, it } from "vitest";
import type { PhoneWaitView } from "../../../main/core/app-api/approval-view.js";
import { formatCountdown, isRemoteToken, phoneStep } from "../../../renderer/src/approval/phone-step.js";

const now = Date.parse("2026-01-01T00:00:00Z");
const base: PhoneWaitView = { provider: "VNPT SmartCA", description: "Quyết định 123", origin: "https://portal.example.gov.vn", phase: "waiting" };

describe("phoneStep", () => {
  it("waiting with the provider's expiry: a m:ss countdown, cancellable", () => {
    expect(phoneStep({ ...base, expiresAt: new Date(now + 299_400).toISOString() }, now)).toEqual({
      state: "waiting",
      headingKey: "remote.waitingHeading",
      explainKey: "remote.waitingExplain",
      countdown: "5:00",
      cancellable: true,
    });
  });

  it("waiting without an expiry (CSC): no countdown", () => {
    expect(phoneStep(base, now).countdown).toBeUndefined();
  });

  it("past the expiry: says the time is up, countdown 0:00", () => {
    expect(phoneStep({ ...base, expiresAt: new Date(now - 1).toISOString() }, now)).toMatchObject({ state: "expired", countdown: "0:00" });
  });

  it("sending is cancellable; confirmed is not", () => {
    expect(phoneStep({ ...base, phase: "sending" }, now)).toMatchObject({ state: "sending", explainKey: "remote.sending", cancellable: true });
    expect(phoneStep({ ...base, phase: "confirmed" }, now)).toMatchObject({ state: "confirmed", cancellable: false });
  });

  it("formatCountdown rounds up to whole seconds and never goes negative", () => {
    expect(formatCountdown(61_001)).toBe("1:02");
    expect(formatCountdown(-5)).toBe("0:00");
  });

  it("only the remote pseudo-tokens take no PIN", () => {
    expect(isRemoteToken("remote:vnpt")).toBe(true);
    expect(isRemoteToken("softhsm:1234")).toBe(false);
    expect(isRemoteToken(undefined)).toBe(false);
  });
});

describe("phoneStep: the OTP step", () => {
  it("asks for the OTP (its own heading), cancellable, no countdown", () => {
    const view = { provider: "Test RSSP", description: "Hợp đồng", origin: "https://portal.example.vn", phase: "otp" } as const;
    expect(phoneStep(view, Date.now())).toEqual({ state: "otp", headingKey: "remote.otpHeading", explainKey: "remote.otpExplain", cancellable: true });
  });
});
