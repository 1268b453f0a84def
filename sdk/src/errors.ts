/**
 * Distinct error classes, each with guidance a portal can show as is (Vietnamese first, then English).
 * `instanceof` tells them apart; `code` is the stable protocol name (docs/protocol.md).
 */
import type { ErrorName, ErrorObject } from "./protocol.js";

export class KysoError extends Error {
  constructor(
    message: string,
    readonly code: ErrorName | "app_not_running" | "local_network_access_blocked",
    readonly guidance: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No KySo listener answered on any port (not installed, not running, or paused). */
export class AppNotRunningError extends KysoError {
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
export class LocalNetworkAccessError extends KysoError {
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
export class OriginNotAllowedError extends KysoError {
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
export class ProtocolError extends KysoError {}

/** An application error from KySo: `code` says which (user_rejected, pin_locked, timeout, ...). */
export class RequestError extends KysoError {
  constructor(
    error: ErrorObject,
    readonly retriable: boolean,
  ) {
    super(error.message, error.data.name, error.message);
  }
}

const PROTOCOL_NAMES: readonly ErrorName[] = ["parse_error", "invalid_request", "method_not_found", "invalid_params"];

export function errorFromWire(error: ErrorObject): KysoError {
  if (error.data.name === "origin_not_allowed") return new OriginNotAllowedError(error.message);
  if (PROTOCOL_NAMES.includes(error.data.name)) return new ProtocolError(error.message, error.data.name, `Lỗi giao thức / protocol error: ${error.message}`);
  return new RequestError(error, error.data.retriable);
}
