/**
 * Every PKCS#11 return value (CKR_*) becomes a KysoError here and nowhere else (style habit 6). The table is
 * repeated in docs/tokens.md; keep both in step.
 *
 * Two facts need the token itself, so the caller passes probes rather than values:
 * - after CKR_PIN_INCORRECT the token's PIN flags changed (count low, final try, locked): `pinStatus()` re-reads
 *   them so the UI can warn before the next try;
 * - CKR_SESSION_HANDLE_INVALID / CKR_SESSION_CLOSED / CKR_DEVICE_ERROR mean "unplugged" only if the token is
 *   gone: `tokenPresent()` answers that.
 */
import pkcs11js from "pkcs11js";
import { KysoError, type ErrorCode } from "../../main/domain/errors/index.js";
import type { PinStatus } from "../../main/domain/token.js";

export type Pkcs11Operation = "enumerate" | "open" | "login" | "sign" | "logout" | "close";

export interface CkrContext {
  readonly operation: Pkcs11Operation;
  /** Re-reads the token's PIN flags; undefined when the token cannot be asked. */
  readonly pinStatus?: () => PinStatus | undefined;
  /** Whether the token is still in its slot; undefined when the slot list cannot be read. */
  readonly tokenPresent?: () => boolean | undefined;
}

const CKR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(pkcs11js)
    .filter((entry): entry is [string, number] => entry[0].startsWith("CKR_") && typeof entry[1] === "number")
    .map(([name, value]) => [value, name] as const),
);

/** `CKR_PIN_INCORRECT` for 0xa0; `CKR_0x...` for vendor-defined values. */
export function ckrName(code: number): string {
  return CKR_NAMES.get(code) ?? `CKR_0x${code.toString(16).padStart(8, "0")}`;
}

/** The CKR carried by a pkcs11js error, or undefined for anything else (a TypeError, a native loader error). */
export function ckrOf(error: unknown): number | undefined {
  if (error instanceof pkcs11js.Pkcs11Error) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** Codes that mean the token (or its reader) went away, whatever the operation. */
const REMOVED = new Set<number>([pkcs11js.CKR_DEVICE_REMOVED, pkcs11js.CKR_TOKEN_NOT_PRESENT]);
/** Codes that mean "removed" only when the token is in fact gone (a driver tears the sessions down on unplug). */
const REMOVED_IF_ABSENT = new Set<number>([
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_DEVICE_ERROR,
  pkcs11js.CKR_SLOT_ID_INVALID,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
]);

/** The fixed part of the table: CKR → code, independent of the operation. */
const FIXED: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [pkcs11js.CKR_PIN_LOCKED, "pin_locked"],
  [pkcs11js.CKR_PIN_EXPIRED, "pin_locked"],
  [pkcs11js.CKR_PIN_LEN_RANGE, "pin_length_invalid"],
  [pkcs11js.CKR_PIN_INVALID, "pin_length_invalid"],
  [pkcs11js.CKR_MECHANISM_INVALID, "unsupported_algorithm"],
  [pkcs11js.CKR_MECHANISM_PARAM_INVALID, "unsupported_algorithm"],
  [pkcs11js.CKR_KEY_TYPE_INCONSISTENT, "unsupported_algorithm"],
  [pkcs11js.CKR_KEY_FUNCTION_NOT_PERMITTED, "certificate_invalid"],
  [pkcs11js.CKR_KEY_HANDLE_INVALID, "certificate_not_found"],
  [pkcs11js.CKR_OBJECT_HANDLE_INVALID, "certificate_not_found"],
  [pkcs11js.CKR_FUNCTION_CANCELED, "user_rejected"],
  [pkcs11js.CKR_DEVICE_MEMORY, "device_error"],
  [pkcs11js.CKR_DEVICE_ERROR, "device_error"],
  [pkcs11js.CKR_TOKEN_NOT_RECOGNIZED, "device_error"],
  [pkcs11js.CKR_GENERAL_ERROR, "device_error"],
  [pkcs11js.CKR_HOST_MEMORY, "device_error"],
  [pkcs11js.CKR_SLOT_ID_INVALID, "token_not_present"],
  [pkcs11js.CKR_CRYPTOKI_NOT_INITIALIZED, "module_unavailable"],
  [pkcs11js.CKR_DATA_LEN_RANGE, "invalid_params"],
  [pkcs11js.CKR_DATA_INVALID, "invalid_params"],
]);

/**
 * Maps a failure of a PKCS#11 call to the catalogue. Never throws; anything that is not a CKR becomes `internal`
 * (a programming error, kept as `cause`).
 */
export function mapPkcs11Error(error: unknown, context: CkrContext): KysoError {
  if (error instanceof KysoError) return error;
  const code = ckrOf(error);
  if (code === undefined) {
    return new KysoError("internal", `${context.operation}: ${error instanceof Error ? error.message : String(error)}`, undefined, {
      cause: error,
    });
  }
  const name = ckrName(code);
  const detail = `${context.operation}: ${name}`;
  const details = { ckr: name };

  if (REMOVED.has(code)) {
    // Absent while listing is the normal "no token"; absent in the middle of a flow means it was pulled out.
    const absent = code === pkcs11js.CKR_TOKEN_NOT_PRESENT && context.operation === "enumerate";
    return new KysoError(absent ? "token_not_present" : "token_removed", detail, details);
  }
  if (REMOVED_IF_ABSENT.has(code) && safe(context.tokenPresent) === false) return new KysoError("token_removed", detail, details);

  if (code === pkcs11js.CKR_PIN_INCORRECT) {
    const pinStatus = safe(context.pinStatus);
    // A token that locks on this very attempt answers PIN_INCORRECT once more on some drivers: the flags win.
    if (pinStatus === "locked") return new KysoError("pin_locked", detail, { ...details, pinStatus });
    return new KysoError("pin_incorrect", detail, { ...details, ...(pinStatus ? { pinStatus } : {}) });
  }
  if (code === pkcs11js.CKR_USER_NOT_LOGGED_IN || code === pkcs11js.CKR_USER_PIN_NOT_INITIALIZED) {
    return new KysoError(context.operation === "sign" ? "signing_failed" : "pin_incorrect", detail, details);
  }

  const fixed = FIXED.get(code);
  if (fixed) return new KysoError(fixed, detail, details);
  switch (context.operation) {
    case "sign":
      return new KysoError("signing_failed", detail, details);
    case "enumerate":
    case "open":
    case "login":
    case "logout":
    case "close":
      return new KysoError("device_error", detail, details);
  }
}

function safe<T>(probe: (() => T | undefined) | undefined): T | undefined {
  try {
    return probe?.();
  } catch {
    return undefined;
  }
}
