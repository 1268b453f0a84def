/**
 * Slots and the tokens in them (CK_TOKEN_INFO), with the PIN state read from the token flags.
 */
import { createHash } from "node:crypto";
import pkcs11js from "pkcs11js";
import type { PinStatus } from "../../main/domain/token.js";
import { trimField, type Handle, type Pkcs11Module } from "./core.js";

export interface SlotToken {
  readonly slot: Handle;
  /** The token's identity inside one module: serial, or the label when a driver leaves the serial blank. */
  readonly key: string;
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly flags: number;
  readonly pinStatus: PinStatus;
  readonly protectedAuthenticationPath: boolean;
  readonly loginRequired: boolean;
}

/**
 * CKF_USER_PIN_LOCKED wins over FINAL_TRY, which wins over COUNT_LOW (PKCS#11 v2.40 §3.2, CK_TOKEN_INFO flags):
 * a driver may leave an older flag set when a newer one applies.
 */
export function pinStatusFromFlags(flags: number): PinStatus {
  if (flags & pkcs11js.CKF_USER_PIN_LOCKED) return "locked";
  if (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) return "finalTry";
  if (flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) return "countLow";
  return "ok";
}

export function readSlotToken(module: Pkcs11Module, slot: Handle): SlotToken {
  const info = module.p11.C_GetTokenInfo(slot);
  const serial = trimField(info.serialNumber);
  const label = trimField(info.label);
  return {
    slot,
    key: serial || `label-${createHash("sha256").update(label).digest("hex").slice(0, 16)}`,
    label,
    manufacturer: trimField(info.manufacturerID),
    model: trimField(info.model),
    serial,
    flags: info.flags,
    pinStatus: pinStatusFromFlags(info.flags),
    protectedAuthenticationPath: (info.flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
    loginRequired: (info.flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0,
  };
}

/**
 * Initialised tokens present now (a blank card, or SoftHSM's spare slot, has nothing to sign with). A slot whose token vanishes between C_GetSlotList and C_GetTokenInfo (unplugged at that
 * instant) is skipped rather than failing the whole list.
 */
export function listSlotTokens(module: Pkcs11Module): SlotToken[] {
  const tokens: SlotToken[] = [];
  for (const slot of module.p11.C_GetSlotList(true)) {
    try {
      const token = readSlotToken(module, slot);
      // Only a blank, unlabelled token is skipped: some vendor drivers forget CKF_TOKEN_INITIALIZED on real ones.
      if (token.flags & pkcs11js.CKF_TOKEN_INITIALIZED || token.label !== "") tokens.push(token);
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === pkcs11js.CKR_TOKEN_NOT_PRESENT || code === pkcs11js.CKR_DEVICE_REMOVED || code === pkcs11js.CKR_SLOT_ID_INVALID) continue;
      throw error;
    }
  }
  return tokens;
}

/** The slot that holds the token `key` now, or undefined when it is not plugged in. */
export function findSlotToken(module: Pkcs11Module, key: string): SlotToken | undefined {
  return listSlotTokens(module).find((token) => token.key === key);
}
