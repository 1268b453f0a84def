/** pinMessage: exactly one message per PIN state, exact tries only when the token says FINAL_TRY. */
import { describe, expect, it } from "vitest";
import { pinMessage } from "../../../renderer/src/approval/pin-message.js";

const wrong = { code: "pin_incorrect", message: "Mã PIN không đúng.", retriable: true } as const;

describe("pinMessage", () => {
  it("nothing to say before any PIN on a healthy token", () => {
    expect(pinMessage({ pinStatus: "ok" })).toBeUndefined();
  });

  it("a wrong PIN: 'Bạn đã nhập sai mã PIN', one message whatever the flags say", () => {
    expect(pinMessage({ pinStatus: "ok", lastError: wrong })).toMatchObject({ state: "wrong", key: "pin.wrong" });
    expect(pinMessage({ pinStatus: "countLow", lastError: wrong })).toMatchObject({ state: "wrongCountLow", key: "pin.wrongCountLow" });
    expect(pinMessage({ pinStatus: "finalTry", lastError: wrong })).toMatchObject({ state: "wrongFinalTry", params: { count: 1 } });
  });

  it("before typing: FINAL_TRY warns with the exact count (1), COUNT_LOW without a number (PKCS#11 gives none)", () => {
    expect(pinMessage({ pinStatus: "finalTry" })).toMatchObject({ state: "finalTry", tone: "warning", params: { count: 1 } });
    expect(pinMessage({ pinStatus: "countLow" })).toMatchObject({ state: "countLow", tone: "warning" });
    expect(pinMessage({ pinStatus: "countLow" })?.params).toBeUndefined();
  });

  it("locked wins over everything and carries the CA's support contact", () => {
    const support = { name: "VNPT-CA", phone: "1800 1260" };
    expect(pinMessage({ pinStatus: "locked", lastError: wrong, error: "x", support })).toEqual({ state: "locked", tone: "error", key: "pin.lockedCall", support });
    expect(pinMessage({ pinStatus: "ok", lastError: { code: "pin_locked", message: "", retriable: false } })?.state).toBe("locked");
  });

  it("another refusal (not the PIN's) is shown as given, once", () => {
    expect(pinMessage({ pinStatus: "finalTry", error: "Không tìm thấy chứng thư" })).toEqual({ state: "error", tone: "error", text: "Không tìm thấy chứng thư" });
  });
});
