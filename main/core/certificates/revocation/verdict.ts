/**
 * Policy `revocationCheck` applied to a RevocationResult. Circular 15/2025 asks for a warning when the status
 * cannot be checked; `require` turns every answer other than "good" into a refusal. The verdict is a key: the UI
 * words it (`cert.revocation.<revoked|unknown|unchecked|offline>` in main/domain/messages).
 */
import type { RevocationCheckMode, RevocationResult, RevocationVerdict, RevocationVerdictKey } from "./types.js";

export const DEFAULT_REVOCATION_CHECK: RevocationCheckMode = "warn";

export function revocationVerdict(result: RevocationResult | undefined, mode: RevocationCheckMode): RevocationVerdict {
  if (mode === "off") return { blocking: false };
  if (result?.status === "good") return { blocking: false };
  const warning = verdictKey(result);
  return { blocking: mode === "require", warning };
}

function verdictKey(result: RevocationResult | undefined): RevocationVerdictKey {
  if (!result) return "revocation.unchecked";
  if (result.status === "revoked") return "revocation.revoked";
  if (result.status === "unknown") return "revocation.unknown";
  return result.detail === "offline" ? "revocation.offline" : "revocation.unchecked";
}
