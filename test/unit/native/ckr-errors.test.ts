import pkcs11js from "pkcs11js";
import { describe, expect, it } from "vitest";
import { ckrName, mapPkcs11Error } from "../../../native/pkcs11/ckr-errors.js";
import { pinStatusFromFlags } from "../../../native/pkcs11/slots.js";

const ckr = (code: number): pkcs11js.Pkcs11Error => new pkcs11js.Pkcs11Error(ckrName(code), code, "C_Test");

describe("mapPkcs11Error", () => {
  it("CKR_PIN_INCORRECT → pin_incorrect with the PIN status re-read from the token", () => {
    const error = mapPkcs11Error(ckr(pkcs11js.CKR_PIN_INCORRECT), { operation: "login", pinStatus: () => "finalTry" });
    expect(error).toMatchObject({ code: "pin_incorrect", details: { pinStatus: "finalTry", ckr: "CKR_PIN_INCORRECT" } });
  });

  it("CKR_PIN_INCORRECT while the flags now say locked → pin_locked", () => {
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_PIN_INCORRECT), { operation: "login", pinStatus: () => "locked" }).code).toBe("pin_locked");
  });

  it("CKR_PIN_LOCKED → pin_locked; CKR_PIN_LEN_RANGE → pin_length_invalid", () => {
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_PIN_LOCKED), { operation: "login" }).code).toBe("pin_locked");
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_PIN_LEN_RANGE), { operation: "login" }).code).toBe("pin_length_invalid");
  });

  it("CKR_DEVICE_REMOVED → token_removed in any operation", () => {
    for (const operation of ["enumerate", "open", "login", "sign"] as const) {
      expect(mapPkcs11Error(ckr(pkcs11js.CKR_DEVICE_REMOVED), { operation }).code).toBe("token_removed");
    }
  });

  it("CKR_TOKEN_NOT_PRESENT → token_not_present while listing, token_removed in the middle of a flow", () => {
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_TOKEN_NOT_PRESENT), { operation: "enumerate" }).code).toBe("token_not_present");
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_TOKEN_NOT_PRESENT), { operation: "sign" }).code).toBe("token_removed");
  });

  it("CKR_SESSION_HANDLE_INVALID → token_removed only when the token is gone", () => {
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_SESSION_HANDLE_INVALID), { operation: "sign", tokenPresent: () => false }).code).toBe("token_removed");
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_SESSION_HANDLE_INVALID), { operation: "sign", tokenPresent: () => true }).code).toBe("signing_failed");
  });

  it("CKR_DEVICE_ERROR with the token present → device_error; an unknown vendor CKR in sign → signing_failed", () => {
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_DEVICE_ERROR), { operation: "sign", tokenPresent: () => true }).code).toBe("device_error");
    expect(mapPkcs11Error(ckr(0x80000001), { operation: "sign" })).toMatchObject({ code: "signing_failed", details: { ckr: "CKR_0x80000001" } });
  });

  it("CKR_MECHANISM_INVALID → unsupported_algorithm; CKR_FUNCTION_CANCELED (PIN pad cancel) → user_rejected", () => {
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_MECHANISM_INVALID), { operation: "sign" }).code).toBe("unsupported_algorithm");
    expect(mapPkcs11Error(ckr(pkcs11js.CKR_FUNCTION_CANCELED), { operation: "login" }).code).toBe("user_rejected");
  });

  it("a probe that throws does not hide the original error", () => {
    const error = mapPkcs11Error(ckr(pkcs11js.CKR_PIN_INCORRECT), {
      operation: "login",
      pinStatus: () => {
        throw new Error("token gone");
      },
    });
    expect(error.code).toBe("pin_incorrect");
  });

  it("not a CKR → internal, with the original as cause", () => {
    const original = new TypeError("bad argument");
    const error = mapPkcs11Error(original, { operation: "sign" });
    expect(error.code).toBe("internal");
    expect(error.cause).toBe(original);
  });
});

describe("pinStatusFromFlags", () => {
  it("locked wins over final try, which wins over count low", () => {
    expect(pinStatusFromFlags(0)).toBe("ok");
    expect(pinStatusFromFlags(pkcs11js.CKF_USER_PIN_COUNT_LOW)).toBe("countLow");
    expect(pinStatusFromFlags(pkcs11js.CKF_USER_PIN_COUNT_LOW | pkcs11js.CKF_USER_PIN_FINAL_TRY)).toBe("finalTry");
    expect(pinStatusFromFlags(pkcs11js.CKF_USER_PIN_FINAL_TRY | pkcs11js.CKF_USER_PIN_LOCKED)).toBe("locked");
  });
});
