/**
 * One signature on a logged-in session: C_SignInit, the context-specific login for keys marked
 * CKA_ALWAYS_AUTHENTICATE, then the asynchronous C_Sign (sign-digest.ts), so the host's event loop keeps
 * answering (other tokens, the supervisor's pings) while a token takes its 0.3-2 s.
 */
import type { DigestSigningRequest, KeyAlgorithm, SignatureValue } from "../../main/domain/signer.js";
import type { Handle, Pkcs11Module } from "./core.js";
import { login } from "./login.js";
import { signDigestOnSession } from "./sign-digest.js";

export interface SigningKey {
  readonly handle: Handle;
  readonly algorithm: KeyAlgorithm;
  readonly alwaysAuthenticate: boolean;
}

/**
 * `contextPin` is consumed (zeroed) by the context-specific login; it must be a fresh copy per signature. For a
 * PIN pad token it is null and the reader asks again.
 */
export function sign(
  module: Pkcs11Module,
  session: Handle,
  key: SigningKey,
  request: DigestSigningRequest,
  contextPin: Buffer | null,
): Promise<SignatureValue> {
  const contextLogin = key.alwaysAuthenticate ? () => void login(module, session, contextPin, "contextSpecific") : undefined;
  return signDigestOnSession(module.p11, session, key.handle, key.algorithm, request, contextLogin).finally(() => contextPin?.fill(0));
}
