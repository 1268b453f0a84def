/**
 * C_Login, the one function a PIN passes through (style habit 5).
 *
 * Rules, each enforced here:
 * - The PIN arrives as a Buffer and is zeroed in `finally`, whatever the outcome.
 * - pkcs11js takes a string, so the conversion happens on the line that calls C_Login and nowhere else; the
 *   string is unreachable right after (JS strings cannot be wiped, so its life is kept to one call).
 * - Exactly one C_Login per call: a PIN is never retried (tokens lock after a few wrong tries).
 * - A protected authentication path (PIN pad) logs in with no PIN: the reader asks for it.
 * - The PIN never reaches an error message or log: errors carry only the CKR name.
 */
import pkcs11js from "pkcs11js";
import type { Handle, Pkcs11Module } from "./core.js";

export type LoginOutcome = "loggedIn" | "alreadyLoggedIn";

export type LoginUser = "user" | "contextSpecific";

/**
 * Logs `session`'s token in. `pin` is null for a PIN pad. Throws the pkcs11js error unchanged (ckr-errors.ts maps
 * it), except CKR_USER_ALREADY_LOGGED_IN, which means another session of this process already holds the login.
 */
export function login(module: Pkcs11Module, session: Handle, pin: Buffer | null, user: LoginUser = "user"): LoginOutcome {
  const userType = user === "user" ? pkcs11js.CKU_USER : pkcs11js.CKU_CONTEXT_SPECIFIC;
  try {
    // PIN pad: the standard passes NULL_PTR; pkcs11js only takes a string, so an empty one (length 0) stands in,
    // which the PIN pad modules seen accept the same way.
    if (pin === null) module.p11.C_Login(session, userType, "");
    else module.p11.C_Login(session, userType, pin.toString("utf8"));
    return "loggedIn";
  } catch (error) {
    if ((error as { code?: number }).code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN && user === "user") return "alreadyLoggedIn";
    throw error;
  } finally {
    pin?.fill(0);
  }
}
