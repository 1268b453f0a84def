import { ERROR_CATALOGUE, isErrorCode, type ErrorCode } from "./catalogue.js";

export type Language = "vi" | "en";

/** The serialisable form of an error: what crosses IPC, the bridge and the audit log. */
export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retriable: boolean;
  /** Structured, non-secret facts the UI may use, e.g. the updated `pinStatus` after `pin_incorrect`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * An expected failure with a stable code from the catalogue. `detail` is for logs and diagnostics only
 * (for example the CKR name); the user-facing text always comes from the catalogue.
 */
export class KysoError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, detail?: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = "KysoError";
    this.code = code;
    this.details = details;
  }

  get retriable(): boolean {
    return ERROR_CATALOGUE[this.code].retriable;
  }

  toPayload(language: Language = "en"): ErrorPayload {
    return {
      code: this.code,
      message: messageFor(this.code, language),
      retriable: this.retriable,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export function messageFor(code: ErrorCode, language: Language): string {
  return ERROR_CATALOGUE[code][language];
}

export function isKysoError(error: unknown, code?: ErrorCode): error is KysoError {
  return error instanceof KysoError && (code === undefined || error.code === code);
}

/**
 * Turns anything thrown into a KysoError: expected errors pass through, everything else becomes `internal`
 * (the original stays as `cause` for the log, never for the page).
 */
export function toKysoError(error: unknown): KysoError {
  if (error instanceof KysoError) return error;
  if (isPayloadLike(error)) return new KysoError(error.code, error.message, error.details as Record<string, unknown>);
  const detail = error instanceof Error ? error.message : String(error);
  return new KysoError("internal", detail, undefined, { cause: error });
}

/** Rebuilds a KysoError from a payload that crossed a process boundary (token host, IPC). */
export function fromPayload(payload: ErrorPayload): KysoError {
  return new KysoError(payload.code, payload.message, payload.details as Record<string, unknown> | undefined);
}

function isPayloadLike(value: unknown): value is ErrorPayload {
  return typeof value === "object" && value !== null && isErrorCode((value as { code?: unknown }).code);
}

/**
 * The error with its diagnostic detail in `message` (not the user-facing text), for crossing a thread or process
 * boundary inside KySo; `fromPayload` rebuilds the same error on the other side.
 */
export function transferable(error: KysoError): ErrorPayload {
  const detail = error.message.startsWith(`${error.code}: `) ? error.message.slice(error.code.length + 2) : "";
  return { code: error.code, message: detail, retriable: error.retriable, ...(error.details ? { details: error.details } : {}) };
}
