// GENERATED from main/domain/errors/catalogue.ts (main/domain/wire/wire-errors.ts): do not edit here. Edit the source, then run
// `npx tsx scripts/generate-sdk-wire.ts`; a test fails when this copy is stale.

/**
 * Every error name a page can receive from KySo, with its JSON-RPC number, whether trying again can help, and
 * the user-facing text in Vietnamese and English.
 */

/** Application error names (stable API: switch on these, never on messages). */
export type ApplicationErrorName =
  | "user_rejected"
  | "origin_not_allowed"
  | "token_not_present"
  | "token_removed"
  | "certificate_not_found"
  | "certificate_invalid"
  | "pin_locked"
  | "timeout"
  | "busy"
  | "rate_limited"
  | "format_not_allowed"
  | "document_invalid"
  | "document_too_large"
  | "document_too_complex"
  | "document_encrypted"
  | "tax_code_mismatch"
  | "unsupported_algorithm"
  | "timestamp_failed"
  | "revocation_unavailable"
  | "signing_failed"
  | "module_unavailable"
  | "device_error"
  | "remote_quota_exceeded"
  | "remote_unavailable"
  | "internal";

export type ProtocolErrorName =
  | "parse_error"
  | "invalid_request"
  | "method_not_found"
  | "invalid_params";
export type ErrorName = ApplicationErrorName | ProtocolErrorName;

export interface WireError {
  readonly code: number;
  readonly retriable: boolean;
  /** A JSON-RPC protocol error: the page sent something the bridge cannot take (a bug in the portal). */
  readonly protocol: boolean;
  readonly vi: string;
  readonly en: string;
}

export const WIRE_ERRORS: Readonly<Record<ErrorName, WireError>> = {
  parse_error: {
    code: -32700,
    retriable: false,
    protocol: true,
    vi: "Yêu cầu không hợp lệ.",
    en: "The request is not valid.",
  },
  invalid_request: {
    code: -32600,
    retriable: false,
    protocol: true,
    vi: "Yêu cầu không hợp lệ.",
    en: "The request is not valid.",
  },
  method_not_found: {
    code: -32601,
    retriable: false,
    protocol: true,
    vi: "Yêu cầu không hợp lệ.",
    en: "The request is not valid.",
  },
  invalid_params: {
    code: -32602,
    retriable: false,
    protocol: true,
    vi: "Yêu cầu không hợp lệ.",
    en: "The request is not valid.",
  },
  user_rejected: {
    code: 1001,
    retriable: false,
    protocol: false,
    vi: "Bạn đã từ chối yêu cầu ký.",
    en: "You declined the signing request.",
  },
  origin_not_allowed: {
    code: 1002,
    retriable: false,
    protocol: false,
    vi: "Trang web này chưa được phép dùng KySo. Hãy cho phép trang trong KySo hoặc liên hệ quản trị viên.",
    en: "This website is not allowed to use KySo. Allow it in KySo or ask your administrator.",
  },
  token_not_present: {
    code: 1003,
    retriable: true,
    protocol: false,
    vi: "Không tìm thấy USB ký số. Hãy cắm USB token vào máy rồi thử lại.",
    en: "No signing token was found. Plug in your USB token and try again.",
  },
  token_removed: {
    code: 1004,
    retriable: true,
    protocol: false,
    vi: "USB token đã bị rút ra trong khi đang dùng. Hãy cắm lại rồi thử lại.",
    en: "The token was removed while in use. Plug it in again and try again.",
  },
  certificate_not_found: {
    code: 1005,
    retriable: false,
    protocol: false,
    vi: "Không tìm thấy chứng thư số đã chọn trên USB token. Hãy chọn chứng thư khác.",
    en: "The selected certificate is not on the token. Choose another certificate.",
  },
  certificate_invalid: {
    code: 1006,
    retriable: false,
    protocol: false,
    vi: "Chứng thư số không dùng được để ký (hết hạn, bị thu hồi hoặc không có quyền ký). Hãy chọn chứng thư khác hoặc liên hệ nhà cung cấp.",
    en: "The certificate cannot be used for signing (expired, revoked or not allowed to sign). Choose another one or contact your CA.",
  },
  pin_locked: {
    code: 1007,
    retriable: false,
    protocol: false,
    vi: "Mã PIN đã bị khóa. Hãy liên hệ nhà cung cấp chứng thư số để mở khóa.",
    en: "The PIN is locked. Contact your certificate provider to unlock it.",
  },
  timeout: {
    code: 1008,
    retriable: true,
    protocol: false,
    vi: "Hết thời gian chờ. Hãy thử lại.",
    en: "The operation timed out. Try again.",
  },
  busy: {
    code: 1009,
    retriable: true,
    protocol: false,
    vi: "KySo đang xử lý nhiều yêu cầu. Hãy đợi một chút rồi thử lại.",
    en: "KySo is handling too many requests. Wait a moment and try again.",
  },
  rate_limited: {
    code: 1010,
    retriable: true,
    protocol: false,
    vi: "Trang web gửi quá nhiều yêu cầu. Hãy đợi một chút rồi thử lại.",
    en: "The website sent too many requests. Wait a moment and try again.",
  },
  format_not_allowed: {
    code: 1022,
    retriable: false,
    protocol: false,
    vi: "Tổ chức của bạn không cho phép ký định dạng tài liệu này bằng KySo. Hãy liên hệ quản trị viên.",
    en: "Your organisation does not allow signing this kind of document with KySo. Contact your administrator.",
  },
  document_invalid: {
    code: 1011,
    retriable: false,
    protocol: false,
    vi: "Tài liệu không hợp lệ hoặc bị hỏng nên không thể ký.",
    en: "The document is invalid or damaged and cannot be signed.",
  },
  document_too_large: {
    code: 1012,
    retriable: false,
    protocol: false,
    vi: "Tài liệu vượt quá dung lượng cho phép.",
    en: "The document is larger than the allowed size.",
  },
  document_too_complex: {
    code: 1020,
    retriable: false,
    protocol: false,
    vi: "Tài liệu có cấu trúc quá phức tạp hoặc bất thường nên KySo không đọc được trong giới hạn cho phép. Hãy xuất lại tài liệu (in ra PDF hoặc lưu lại) rồi ký lại.",
    en: "The document's structure is too complex or unusual for KySo to read within its limits. Export it again (print to PDF or save it again) and sign again.",
  },
  document_encrypted: {
    code: 1013,
    retriable: false,
    protocol: false,
    vi: "Tài liệu PDF được mã hóa bằng mật khẩu. Hãy bỏ mật khẩu rồi ký lại.",
    en: "The PDF is password-protected. Remove the password and sign again.",
  },
  tax_code_mismatch: {
    code: 1014,
    retriable: false,
    protocol: false,
    vi: "Mã số thuế trong tài liệu khác mã số thuế trên chứng thư số. Hãy chọn đúng chứng thư của đơn vị.",
    en: "The tax code in the document differs from the one in the certificate. Choose your organisation's certificate.",
  },
  unsupported_algorithm: {
    code: 1015,
    retriable: false,
    protocol: false,
    vi: "Thuật toán không được hỗ trợ hoặc không còn an toàn (ví dụ SHA-1). Hãy dùng SHA-256 trở lên.",
    en: "The algorithm is not supported or no longer safe (for example SHA-1). Use SHA-256 or stronger.",
  },
  timestamp_failed: {
    code: 1016,
    retriable: true,
    protocol: false,
    vi: "Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian. Hãy kiểm tra kết nối mạng rồi thử lại.",
    en: "The timestamp server could not be reached or answered wrongly. Check the network and try again.",
  },
  revocation_unavailable: {
    code: 1021,
    retriable: true,
    protocol: false,
    vi: "Không lấy được thông tin thu hồi (OCSP hoặc CRL) cần cho chữ ký dài hạn (B-LT). Hãy kiểm tra kết nối mạng rồi thử lại, hoặc ký ở mức B-T.",
    en: "The revocation data (OCSP or CRL) a long-term signature (B-LT) needs could not be obtained. Check the network and try again, or sign at level B-T.",
  },
  signing_failed: {
    code: 1017,
    retriable: true,
    protocol: false,
    vi: "USB token không ký được. Hãy rút ra, cắm lại rồi thử lại.",
    en: "The token could not sign. Unplug it, plug it in again and try again.",
  },
  module_unavailable: {
    code: 1018,
    retriable: false,
    protocol: false,
    vi: "Không nạp được trình điều khiển USB token. Hãy cài lại phần mềm của nhà cung cấp chứng thư số.",
    en: "The token driver could not be loaded. Reinstall your certificate provider's software.",
  },
  device_error: {
    code: 1019,
    retriable: true,
    protocol: false,
    vi: "USB token báo lỗi thiết bị. Hãy rút ra, cắm lại rồi thử lại.",
    en: "The token reported a device error. Unplug it, plug it in again and try again.",
  },
  remote_quota_exceeded: {
    code: 1023,
    retriable: false,
    protocol: false,
    vi: "Tài khoản ký số từ xa đã hết lượt ký. Hãy mua thêm lượt ký hoặc liên hệ nhà cung cấp chứng thư số.",
    en: "Your remote signing account has no signatures left. Buy more or contact your certificate provider.",
  },
  remote_unavailable: {
    code: 1024,
    retriable: true,
    protocol: false,
    vi: "Không kết nối được dịch vụ ký số từ xa hoặc dịch vụ trả lời sai. Hãy kiểm tra kết nối mạng rồi thử lại.",
    en: "The remote signing service could not be reached or answered wrongly. Check the network and try again.",
  },
  internal: {
    code: 1099,
    retriable: true,
    protocol: false,
    vi: "KySo gặp lỗi nội bộ. Hãy thử lại; nếu vẫn lỗi, gửi báo cáo chẩn đoán cho bộ phận hỗ trợ.",
    en: "KySo hit an internal error. Try again; if it persists, send the diagnostics report to support.",
  },
};

/** JSON-RPC error numbers: the reserved ones for protocol errors, 1xxx for application errors. */
export const ERROR_CODES = Object.fromEntries(Object.entries(WIRE_ERRORS).map(([name, row]) => [name, row.code])) as Readonly<
  Record<ErrorName, number>
>;

export function isErrorName(value: unknown): value is ErrorName {
  return typeof value === "string" && Object.hasOwn(WIRE_ERRORS, value);
}
