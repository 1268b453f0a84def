/**
 * The closed catalogue of errors a user, a portal or an admin can see.
 *
 * Codes are stable API: portals switch on them (docs/protocol.md), the audit log stores them, and the UI picks
 * the message by language. A message says what happened and what to do next, in words a civil servant who has
 * never heard of PKCS#11 understands. Programming errors are not listed here: they stay exceptions and surface
 * as `internal`.
 */
export interface ErrorEntry {
  /** Whether the same request can succeed when simply tried again (after the user acts). */
  readonly retriable: boolean;
  readonly vi: string;
  readonly en: string;
}

export const ERROR_CATALOGUE = {
  user_rejected: {
    retriable: false,
    vi: "Bạn đã từ chối yêu cầu ký.",
    en: "You declined the signing request.",
  },
  origin_not_allowed: {
    retriable: false,
    vi: "Trang web này chưa được phép dùng KySo. Hãy cho phép trang trong KySo hoặc liên hệ quản trị viên.",
    en: "This website is not allowed to use KySo. Allow it in KySo or ask your administrator.",
  },
  token_not_present: {
    retriable: true,
    vi: "Không tìm thấy USB ký số. Hãy cắm USB token vào máy rồi thử lại.",
    en: "No signing token was found. Plug in your USB token and try again.",
  },
  token_removed: {
    retriable: true,
    vi: "USB token đã bị rút ra trong khi đang dùng. Hãy cắm lại rồi thử lại.",
    en: "The token was removed while in use. Plug it in again and try again.",
  },
  certificate_not_found: {
    retriable: false,
    vi: "Không tìm thấy chứng thư số đã chọn trên USB token. Hãy chọn chứng thư khác.",
    en: "The selected certificate is not on the token. Choose another certificate.",
  },
  certificate_invalid: {
    retriable: false,
    vi: "Chứng thư số không dùng được để ký (hết hạn, bị thu hồi hoặc không có quyền ký). Hãy chọn chứng thư khác hoặc liên hệ nhà cung cấp.",
    en: "The certificate cannot be used for signing (expired, revoked or not allowed to sign). Choose another one or contact your CA.",
  },
  pin_incorrect: {
    retriable: true,
    vi: "Mã PIN không đúng. Hãy kiểm tra và nhập lại; token sẽ bị khóa nếu nhập sai nhiều lần.",
    en: "The PIN is incorrect. Check it and type it again; the token locks after too many wrong PINs.",
  },
  pin_length_invalid: {
    retriable: true,
    vi: "Độ dài mã PIN không hợp lệ với USB token này.",
    en: "The PIN length is not valid for this token.",
  },
  pin_locked: {
    retriable: false,
    vi: "Mã PIN đã bị khóa. Hãy liên hệ nhà cung cấp chứng thư số để mở khóa.",
    en: "The PIN is locked. Contact your certificate provider to unlock it.",
  },
  timeout: {
    retriable: true,
    vi: "Hết thời gian chờ. Hãy thử lại.",
    en: "The operation timed out. Try again.",
  },
  busy: {
    retriable: true,
    vi: "KySo đang xử lý nhiều yêu cầu. Hãy đợi một chút rồi thử lại.",
    en: "KySo is handling too many requests. Wait a moment and try again.",
  },
  rate_limited: {
    retriable: true,
    vi: "Trang web gửi quá nhiều yêu cầu. Hãy đợi một chút rồi thử lại.",
    en: "The website sent too many requests. Wait a moment and try again.",
  },
  format_not_allowed: {
    retriable: false,
    vi: "Tổ chức của bạn không cho phép ký định dạng tài liệu này bằng KySo. Hãy liên hệ quản trị viên.",
    en: "Your organisation does not allow signing this kind of document with KySo. Contact your administrator.",
  },
  document_invalid: {
    retriable: false,
    vi: "Tài liệu không hợp lệ hoặc bị hỏng nên không thể ký.",
    en: "The document is invalid or damaged and cannot be signed.",
  },
  document_too_large: {
    retriable: false,
    vi: "Tài liệu vượt quá dung lượng cho phép.",
    en: "The document is larger than the allowed size.",
  },
  document_too_complex: {
    retriable: false,
    vi: "Tài liệu có cấu trúc quá phức tạp hoặc bất thường nên KySo không đọc được trong giới hạn cho phép. Hãy xuất lại tài liệu (in ra PDF hoặc lưu lại) rồi ký lại.",
    en: "The document's structure is too complex or unusual for KySo to read within its limits. Export it again (print to PDF or save it again) and sign again.",
  },
  document_encrypted: {
    retriable: false,
    vi: "Tài liệu PDF được mã hóa bằng mật khẩu. Hãy bỏ mật khẩu rồi ký lại.",
    en: "The PDF is password-protected. Remove the password and sign again.",
  },
  tax_code_mismatch: {
    retriable: false,
    vi: "Mã số thuế trong tài liệu khác mã số thuế trên chứng thư số. Hãy chọn đúng chứng thư của đơn vị.",
    en: "The tax code in the document differs from the one in the certificate. Choose your organisation's certificate.",
  },
  unsupported_algorithm: {
    retriable: false,
    vi: "Thuật toán không được hỗ trợ hoặc không còn an toàn (ví dụ SHA-1). Hãy dùng SHA-256 trở lên.",
    en: "The algorithm is not supported or no longer safe (for example SHA-1). Use SHA-256 or stronger.",
  },
  timestamp_failed: {
    retriable: true,
    vi: "Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian. Hãy kiểm tra kết nối mạng rồi thử lại.",
    en: "The timestamp server could not be reached or answered wrongly. Check the network and try again.",
  },
  signing_failed: {
    retriable: true,
    vi: "USB token không ký được. Hãy rút ra, cắm lại rồi thử lại.",
    en: "The token could not sign. Unplug it, plug it in again and try again.",
  },
  module_unavailable: {
    retriable: false,
    vi: "Không nạp được trình điều khiển USB token. Hãy cài lại phần mềm của nhà cung cấp chứng thư số.",
    en: "The token driver could not be loaded. Reinstall your certificate provider's software.",
  },
  device_error: {
    retriable: true,
    vi: "USB token báo lỗi thiết bị. Hãy rút ra, cắm lại rồi thử lại.",
    en: "The token reported a device error. Unplug it, plug it in again and try again.",
  },
  remote_quota_exceeded: {
    retriable: false,
    vi: "Tài khoản ký số từ xa đã hết lượt ký. Hãy mua thêm lượt ký hoặc liên hệ nhà cung cấp chứng thư số.",
    en: "Your remote signing account has no signatures left. Buy more or contact your certificate provider.",
  },
  remote_unavailable: {
    retriable: true,
    vi: "Không kết nối được dịch vụ ký số từ xa hoặc dịch vụ trả lời sai. Hãy kiểm tra kết nối mạng rồi thử lại.",
    en: "The remote signing service could not be reached or answered wrongly. Check the network and try again.",
  },
  invalid_params: {
    retriable: false,
    vi: "Yêu cầu không hợp lệ.",
    en: "The request is not valid.",
  },
  not_found: {
    retriable: false,
    vi: "Không tìm thấy mục được yêu cầu.",
    en: "The requested item was not found.",
  },
  internal: {
    retriable: true,
    vi: "KySo gặp lỗi nội bộ. Hãy thử lại; nếu vẫn lỗi, gửi báo cáo chẩn đoán cho bộ phận hỗ trợ.",
    en: "KySo hit an internal error. Try again; if it persists, send the diagnostics report to support.",
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CATALOGUE, value);
}
