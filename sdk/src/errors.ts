/**
 * Distinct error classes, each with guidance a portal can show as is (Vietnamese first, then English).
 * `instanceof` tells them apart; `code` is the stable protocol name (docs/protocol.md).
 */
import type { ErrorName, ErrorObject } from "./protocol.js";

/** Codes the SDK itself raises, in addition to the protocol's error names. */
export type SdkErrorCode = ErrorName | "app_not_running" | "local_network_access_blocked" | "connection_closed";

export class KysoSdkError extends Error {
  constructor(
    message: string,
    readonly code: SdkErrorCode,
    readonly guidance: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * @deprecated Renamed `KysoSdkError` (0.2.0) so it is not confused with the app's own `KysoError`; this alias goes
 * away in the next minor release.
 */
export const KysoError = KysoSdkError;
/** @deprecated Use `KysoSdkError`. */
export type KysoError = KysoSdkError;

/** No KySo listener answered on any port (not installed, not running, or paused). */
export class AppNotRunningError extends KysoSdkError {
  constructor(readonly installUrl: string) {
    super(
      "KySo is not running on this computer",
      "app_not_running",
      `Không kết nối được KySo. Hãy mở KySo (biểu tượng ở khay hệ thống) hoặc cài đặt tại ${installUrl} rồi thử lại. / ` +
        `KySo is not running. Start KySo (tray icon) or install it from ${installUrl}, then try again.`,
    );
  }
}

/**
 * The browser blocked the connection to 127.0.0.1 (Chrome's Local Network Access permission). The user must
 * allow "local network access" for this site; a portal inside an iframe also needs `allow="loopback-network"`.
 */
export class LocalNetworkAccessError extends KysoSdkError {
  constructor(readonly permissionState: string) {
    super(
      `The browser blocked access to KySo on this computer (permission ${permissionState})`,
      "local_network_access_blocked",
      "Trình duyệt đang chặn trang web kết nối tới KySo trên máy tính này. Hãy bấm biểu tượng ổ khóa trên thanh địa chỉ, " +
        "cho phép \"Truy cập mạng cục bộ\" rồi tải lại trang. / The browser blocks this site from reaching KySo on this " +
        "computer. Click the padlock in the address bar, allow \"Local network access\", then reload.",
    );
  }
}

/** This site is not in the organisation's allowlist and the user has not paired it: call `pair()`. */
export class OriginNotAllowedError extends KysoSdkError {
  constructor(message: string) {
    super(
      message,
      "origin_not_allowed",
      "Trang web này chưa được phép dùng KySo. Hãy bấm \"Kết nối KySo\" và đồng ý trong KySo. / This site is not allowed " +
        "to use KySo yet. Click \"Connect KySo\" and allow it in KySo.",
    );
  }
}

/** The page sent something the bridge could not accept (a bug in the portal, or an SDK/app version mismatch). */
export class ProtocolError extends KysoSdkError {}

/** An application error from KySo: `code` says which (user_rejected, pin_locked, timeout, ...). */
export class RequestError extends KysoSdkError {
  /** `rate_limited`: milliseconds until the same request would be accepted (from `error.data.retryAfterMs`). */
  readonly retryAfterMs: number | undefined;
  /** `certificate_invalid`: why the certificate cannot sign (`expired`, `revoked`, ...; from `error.data.problems`). */
  readonly problems: readonly string[] | undefined;

  constructor(
    error: ErrorObject,
    readonly retriable: boolean,
  ) {
    super(error.message, error.data.name, error.message);
    const retryAfterMs = error.data.retryAfterMs;
    this.retryAfterMs = typeof retryAfterMs === "number" && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? retryAfterMs : undefined;
    const problems = error.data.problems;
    this.problems = Array.isArray(problems) ? problems.filter((p): p is string => typeof p === "string") : undefined;
  }
}

/**
 * The SDK stopped waiting for an answer (`timeoutMs`): the request may still be running in KySo, but this page
 * forgets it and a late answer is ignored. Not the app's own `timeout` (an approval nobody decided), which is a
 * `RequestError` with the same `code`.
 */
export class CallTimeoutError extends KysoSdkError {
  readonly retriable = true;
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(
      `KySo did not answer ${method} within ${timeoutMs} ms`,
      "timeout",
      "KySo không trả lời kịp, hãy thử lại. / KySo did not answer in time, try again.",
    );
  }
}

/**
 * The connection to KySo is closed (the app quit, the socket dropped, or the page called `close()`): every
 * pending call rejects with this at once, and so does every later call. Connect again (`connectWithRetry`).
 */
export class ConnectionClosedError extends KysoSdkError {
  readonly retriable = true;
  constructor(
    /** The WebSocket close code (1000 after `close()`, 1006 when the socket dropped). */
    readonly closeCode: number,
  ) {
    super(
      `connection to KySo closed (code ${closeCode})`,
      "connection_closed",
      "Mất kết nối tới KySo, hãy thử lại / lost connection to KySo, try again",
    );
  }
}

const PROTOCOL_NAMES: readonly ErrorName[] = ["parse_error", "invalid_request", "method_not_found", "invalid_params"];

export function errorFromWire(error: ErrorObject): KysoSdkError {
  if (error.data.name === "origin_not_allowed") return new OriginNotAllowedError(error.message);
  if (PROTOCOL_NAMES.includes(error.data.name)) return new ProtocolError(error.message, error.data.name, `Lỗi giao thức / protocol error: ${error.message}`);
  return new RequestError(error, error.data.retriable);
}
