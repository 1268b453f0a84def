/**
 * Distinct error classes, each with guidance a portal can show as is (Vietnamese first, then English).
 * `instanceof` tells them apart; `code` is the stable protocol name (docs/protocol.md).
 */
import type { ErrorObject } from "./protocol.js";
import { WIRE_ERRORS, type ErrorName } from "./wire-errors.js";

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
 * The browser blocks this page from reaching 127.0.0.1: its Local Network Access permission is `denied` (the user
 * said no, or the browser's own rules did). Thrown only then — when it is merely `prompt`, `connect()` makes the
 * browser ask first. The user can allow it in the site settings; an administrator can allow the portal for every
 * user by browser policy (`LoopbackNetworkAllowedForUrls` / `LocalNetworkAccessAllowedForUrls`); a portal inside
 * an iframe also needs `allow="loopback-network"` on the iframe.
 */
export class LocalNetworkAccessError extends KysoSdkError {
  constructor(readonly permissionState: string) {
    super(
      `The browser blocked access to KySo on this computer (permission ${permissionState})`,
      "local_network_access_blocked",
      "Trình duyệt đang chặn trang web kết nối tới KySo trên máy tính này. Hãy bấm biểu tượng bên trái thanh địa chỉ, " +
        "mở Cài đặt trang web, chọn Cho phép ở mục \"Mạng cục bộ\" (hoặc \"Truy cập mạng cục bộ\") rồi tải lại trang. " +
        "Nếu trình duyệt do tổ chức quản lý, quản trị viên có thể cho phép trang này bằng chính sách " +
        "LoopbackNetworkAllowedForUrls / LocalNetworkAccessAllowedForUrls. / " +
        "The browser blocks this site from reaching KySo on this computer. Click the icon left of the address bar, " +
        "open Site settings, set \"Local network\" (or \"Local network access\") to Allow, then reload the page. If your " +
        "organisation manages the browser, an administrator can allow this site with the LoopbackNetworkAllowedForUrls / " +
        "LocalNetworkAccessAllowedForUrls policy.",
    );
  }
}

/**
 * KySo refused this site. Two ways: an answer `origin_not_allowed` (the site is neither allowlisted nor paired:
 * call `pair()`), or the connection closed with close code 4001 right after it opened (`closeCode`: the origin can
 * never use KySo, e.g. `http://` while developer origins are off, or a sandboxed frame's `null` origin). Either way
 * KySo was reached: this is never the browser's Local Network Access block (`LocalNetworkAccessError`).
 */
export class OriginNotAllowedError extends KysoSdkError {
  constructor(
    message: string,
    /** 4001 when KySo closed the connection at the handshake; undefined for an `origin_not_allowed` answer. */
    readonly closeCode?: number,
  ) {
    super(message, "origin_not_allowed", bilingual("origin_not_allowed"));
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
    super(error.message, error.data.name, bilingual(error.data.name) ?? error.message);
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

/** The catalogue's guidance for a wire name, Vietnamese first (undefined for a name this SDK does not know). */
function bilingual(name: ErrorName): string;
function bilingual(name: string): string | undefined;
function bilingual(name: string): string | undefined {
  const row = Object.hasOwn(WIRE_ERRORS, name) ? WIRE_ERRORS[name as ErrorName] : undefined;
  return row ? `${row.vi} / ${row.en}` : undefined;
}

/**
 * The class for an error answer, by its wire name: `OriginNotAllowedError`, `ProtocolError` for the JSON-RPC
 * protocol errors, `RequestError` (with `code`) for every other name, including ones newer than this SDK.
 */
export function errorFromWire(error: ErrorObject): KysoSdkError {
  const name = error.data.name;
  if (name === "origin_not_allowed") return new OriginNotAllowedError(error.message);
  if (Object.hasOwn(WIRE_ERRORS, name) && WIRE_ERRORS[name].protocol) {
    return new ProtocolError(error.message, name, `Lỗi giao thức / protocol error: ${error.message}`);
  }
  return new RequestError(error, error.data.retriable);
}
