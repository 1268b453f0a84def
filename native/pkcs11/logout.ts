/**
 * C_Logout. Login state belongs to the token (all sessions of the process share it), so the host calls this only
 * when the last signer on a token closes, the PIN cache expires, the token is removed, or the screen locks.
 */
import pkcs11js from "pkcs11js";
import type { Handle, Pkcs11Module } from "./core.js";

/** Logs out; "not logged in" and a vanished session are already the goal state. */
export function logout(module: Pkcs11Module, session: Handle): void {
  try {
    module.p11.C_Logout(session);
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (
      code === pkcs11js.CKR_USER_NOT_LOGGED_IN ||
      code === pkcs11js.CKR_SESSION_HANDLE_INVALID ||
      code === pkcs11js.CKR_SESSION_CLOSED ||
      code === pkcs11js.CKR_DEVICE_REMOVED ||
      code === pkcs11js.CKR_TOKEN_NOT_PRESENT
    ) {
      return;
    }
    throw error;
  }
}
