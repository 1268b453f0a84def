/**
 * The one function that decides how much an origin is trusted (style habit 5). Every command's access check
 * calls `originTrust`; nothing else compares origins against the allowlist or the pairings.
 */
import type { OriginTrust } from "../app-api/approval-view.js";
import type { PairingStore } from "../pairing/pairing-store.js";
import type { KysoPolicy } from "../policy/policy-schema.js";

export interface OriginGateDeps {
  readonly policy: KysoPolicy;
  readonly pairings: PairingStore;
}

/** `origin` is already normalised by the handshake (parseOrigin), so equality is exact origin equality. */
export function originTrust(origin: string, deps: OriginGateDeps): OriginTrust {
  if (deps.policy.allowedOrigins.includes(origin)) return "policy";
  // User pairings count only while the policy allows pairing: turning it off disables existing pairings too.
  if (deps.policy.allowUserPairing && deps.pairings.has(origin)) return "paired";
  return "none";
}
