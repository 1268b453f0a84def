/**
 * C_WaitForSlotEvent in its non-blocking form only. pkcs11js calls it synchronously, so the blocking form would
 * freeze the token host (no signing, no answers to the supervisor) until a token moves; the supervisor polls
 * this instead, and lists the slots only when the module reports an event.
 */
import pkcs11js from "pkcs11js";
import type { Pkcs11Module } from "./core.js";

export type SlotEventPoll = "unsupported" | "changed" | "none";

/** Most modules queue one event per slot: drain them all, bounded so a chattering driver cannot spin us. */
const MAX_DRAIN = 64;

export function pollSlotEvents(module: Pkcs11Module): SlotEventPoll {
  let changed = false;
  for (let i = 0; i < MAX_DRAIN; i++) {
    try {
      if (module.p11.C_WaitForSlotEvent(pkcs11js.CKF_DONT_BLOCK) === null) break;
      changed = true;
    } catch (error) {
      const code = (error as { code?: number }).code;
      // SoftHSM and many vendor modules do not implement it; some answer "bad arguments" to CKF_DONT_BLOCK.
      if (code === pkcs11js.CKR_FUNCTION_NOT_SUPPORTED || code === pkcs11js.CKR_ARGUMENTS_BAD) return "unsupported";
      throw error;
    }
  }
  return changed ? "changed" : "none";
}
