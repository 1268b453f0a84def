/**
 * Policy `revocationCheck` applied to a RevocationResult. Circular 15/2025 asks for a warning when the status
 * cannot be checked; `require` turns every answer other than "good" into a refusal.
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

/** Text of the verdict keys, Vietnamese first (the approval shows it; `require` refusals name it as the reason). */
export const REVOCATION_MESSAGES: Readonly<Record<RevocationVerdictKey, { readonly vi: string; readonly en: string }>> = {
  "revocation.revoked": {
    vi: "Chứng thư số đã bị thu hồi.",
    en: "The certificate has been revoked.",
  },
  "revocation.unknown": {
    vi: "Nhà cung cấp dịch vụ chứng thực không xác nhận được trạng thái của chứng thư số.",
    en: "The certification authority does not know this certificate's status.",
  },
  "revocation.unchecked": {
    vi: "Không kiểm tra được trạng thái thu hồi của chứng thư số (OCSP/CRL không phản hồi hoặc phản hồi không hợp lệ).",
    en: "Could not check whether the certificate is revoked (OCSP/CRL unreachable or its answer invalid).",
  },
  "revocation.offline": {
    vi: "Chế độ ngoại tuyến: chưa kiểm tra trạng thái thu hồi của chứng thư số.",
    en: "Offline mode: the certificate's revocation status was not checked.",
  },
};
