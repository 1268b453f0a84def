import type { RemoteSignState } from "./types.js";

/**
 * Transaction states of the Vietnamese gateways (shared/notes/vietnam.md): VNPT SmartCA sp769 documents 4000
 * waiting, 1 success, 4001 expired (about 5 min), 4002 rejected, 4003 key authorisation failed, 4004 sign failed.
 * NEAC's sign_v2 answers 200 on success. The quota error's number is not in the notes: 4005 is this client's and
 * the test server's assumption, kept in this one table so a verified number is a one-line change.
 */
export const VN_STATUS = {
  success: 1,
  ok: 200,
  waiting: 4000,
  expired: 4001,
  rejected: 4002,
  keyAuthorisationFailed: 4003,
  signFailed: 4004,
  quotaExhausted: 4005,
} as const;

export function vnState(code: number, transactionId: string, message: string): RemoteSignState {
  switch (code) {
    case VN_STATUS.success:
    case VN_STATUS.ok:
      return { state: "success" };
    case VN_STATUS.waiting:
      return { state: "waiting_for_phone", transactionId };
    case VN_STATUS.expired:
      return { state: "expired" };
    case VN_STATUS.rejected:
      return { state: "rejected" };
    case VN_STATUS.quotaExhausted:
      return { state: "quota_exhausted" };
    case VN_STATUS.keyAuthorisationFailed:
      return { state: "failed", reason: "key authorisation failed" };
    default:
      // The provider's message may be free text; it goes to the log only, through redaction.
      return { state: "failed", reason: `status ${code}${message ? ` (${message.slice(0, 200)})` : ""}` };
  }
}

/**
 * Viettel MySign's `requests/status` answers `status` as a string: "0" still waiting, "1" signed (as published
 * integration samples read it). Its other values are not public: this client assumes they follow the VN gateway
 * numbers above (4001 expired, 4002 rejected, 4005 quota), one line here to change once verified.
 */
export const MYSIGN_STATUS = { waiting: 0, success: 1 } as const;

export function mysignState(status: unknown, transactionId: string, message: string): RemoteSignState {
  const code = typeof status === "number" ? status : typeof status === "string" && /^\d+$/.test(status) ? Number(status) : NaN;
  if (code === MYSIGN_STATUS.waiting) return { state: "waiting_for_phone", transactionId };
  if (code === MYSIGN_STATUS.success) return { state: "success" };
  if (Number.isNaN(code)) return { state: "failed", reason: `status ${String(status).slice(0, 40)}` };
  // VN_STATUS.ok (200) is not a MySign success: only "1" carries signatures.
  return code === VN_STATUS.ok ? { state: "failed", reason: `status ${code}` } : vnState(code, transactionId, message);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
