/**
 * The closed catalogue of errors a user, a portal or an admin can see: the one place an error code is added.
 *
 * Codes are stable API: portals switch on them (docs/protocol.md), the audit log stores them, and the UI picks
 * the message by language. A message says what happened and what to do next, in words a civil servant who has
 * never heard of PKCS#11 understands. Programming errors are not listed here: they stay exceptions and surface
 * as `internal`.
 *
 * Each entry also says what a web page receives (`wire`): everything else is derived from it — the bridge's
 * mapping (`main/domain/wire/wire-errors.ts` `wireName`), the JSON-RPC numbers and error names of the protocol
 * (`ERROR_CODES`, `ErrorName`), and the SDK's generated copy of them (`sdk/src/wire-errors.ts`, kept in step by
 * `scripts/generate-sdk-wire.ts` and a test that fails when it is stale). Adding a code is one entry here, plus a
 * row in docs/protocol.md's error table when it reaches a page (a test checks the table against this file).
 */
export interface ErrorEntry {
  /**
   * What a page receives for this code:
   * - `{ code }`: this code's own name, with that JSON-RPC error number (1xxx, never reused);
   * - `{ as }`: folded onto another wire name (an entry's or a JSON-RPC protocol error's), e.g. a generic lookup
   *   miss that a page only ever sees as a missing certificate;
   * - `"never"`: the code stays inside KySo (the app handles it); should one reach the bridge it goes out as
   *   `internal`, so a page never learns of it.
   */
  readonly wire: { readonly code: number } | { readonly as: string } | "never";
  /** Whether the same request can succeed when simply tried again (after the user acts). */
  readonly retriable: boolean;
  readonly vi: string;
  readonly en: string;
}

export const ERROR_CATALOGUE = {
  user_rejected: {
    wire: { code: 1001 },
    retriable: false,
    vi: "Bạn đã từ chối yêu cầu ký.",
    en: "You declined the signing request.",
  },
  origin_not_allowed: {
    wire: { code: 1002 },
    retriable: false,
    vi: "Trang web này chưa được phép dùng KySo. Hãy cho phép trang trong KySo hoặc liên hệ quản trị viên.",
    en: "This website is not allowed to use KySo. Allow it in KySo or ask your administrator.",
  },
  token_not_present: {
    wire: { code: 1003 },
    retriable: true,
    vi: "Không tìm thấy USB ký số. Hãy cắm USB token vào máy rồi thử lại.",
    en: "No signing token was found. Plug in your USB token and try again.",
  },
  token_removed: {
    wire: { code: 1004 },
    retriable: true,
    vi: "USB token đã bị rút ra trong khi đang dùng. Hãy cắm lại rồi thử lại.",
    en: "The token was removed while in use. Plug it in again and try again.",
  },
  certificate_not_found: {
    wire: { code: 1005 },
    retriable: false,
    vi: "Không tìm thấy chứng thư số đã chọn trên USB token. Hãy chọn chứng thư khác.",
    en: "The selected certificate is not on the token. Choose another certificate.",
  },
  certificate_invalid: {
    wire: { code: 1006 },
    retriable: false,
    vi: "Chứng thư số không dùng được để ký (hết hạn, bị thu hồi hoặc không có quyền ký). Hãy chọn chứng thư khác hoặc liên hệ nhà cung cấp.",
    en: "The certificate cannot be used for signing (expired, revoked or not allowed to sign). Choose another one or contact your CA.",
  },
  pin_incorrect: {
    // A wrong PIN keeps the approval open in the app: the page waits for the user's decision, never sees this.
    wire: "never",
    retriable: true,
    vi: "Bạn đã nhập sai mã PIN. Hãy kiểm tra và nhập lại; token sẽ bị khóa nếu nhập sai nhiều lần.",
    en: "The PIN is incorrect. Check it and type it again; the token locks after too many wrong PINs.",
  },
  pin_length_invalid: {
    // As pin_incorrect: the app asks again.
    wire: "never",
    retriable: true,
    vi: "Độ dài mã PIN không hợp lệ với USB token này.",
    en: "The PIN length is not valid for this token.",
  },
  pin_locked: {
    wire: { code: 1007 },
    retriable: false,
    vi: "Mã PIN đã bị khóa. Hãy liên hệ nhà cung cấp chứng thư số để mở khóa.",
    en: "The PIN is locked. Contact your certificate provider to unlock it.",
  },
  timeout: {
    wire: { code: 1008 },
    retriable: true,
    vi: "Hết thời gian chờ. Hãy thử lại.",
    en: "The operation timed out. Try again.",
  },
  busy: {
    wire: { code: 1009 },
    retriable: true,
    vi: "KySo đang xử lý nhiều yêu cầu. Hãy đợi một chút rồi thử lại.",
    en: "KySo is handling too many requests. Wait a moment and try again.",
  },
  rate_limited: {
    wire: { code: 1010 },
    retriable: true,
    vi: "Trang web gửi quá nhiều yêu cầu. Hãy đợi một chút rồi thử lại.",
    en: "The website sent too many requests. Wait a moment and try again.",
  },
  format_not_allowed: {
    wire: { code: 1022 },
    retriable: false,
    vi: "Tổ chức của bạn không cho phép ký định dạng tài liệu này bằng KySo. Hãy liên hệ quản trị viên.",
    en: "Your organisation does not allow signing this kind of document with KySo. Contact your administrator.",
  },
  document_invalid: {
    wire: { code: 1011 },
    retriable: false,
    vi: "Tài liệu không hợp lệ hoặc bị hỏng nên không thể ký.",
    en: "The document is invalid or damaged and cannot be signed.",
  },
  document_too_large: {
    wire: { code: 1012 },
    retriable: false,
    vi: "Tài liệu vượt quá dung lượng cho phép.",
    en: "The document is larger than the allowed size.",
  },
  document_too_complex: {
    wire: { code: 1020 },
    retriable: false,
    vi: "Tài liệu có cấu trúc quá phức tạp hoặc bất thường nên KySo không đọc được trong giới hạn cho phép. Hãy xuất lại tài liệu (in ra PDF hoặc lưu lại) rồi ký lại.",
    en: "The document's structure is too complex or unusual for KySo to read within its limits. Export it again (print to PDF or save it again) and sign again.",
  },
  document_encrypted: {
    wire: { code: 1013 },
    retriable: false,
    vi: "Tài liệu PDF được mã hóa bằng mật khẩu. Hãy bỏ mật khẩu rồi ký lại.",
    en: "The PDF is password-protected. Remove the password and sign again.",
  },
  tax_code_mismatch: {
    wire: { code: 1014 },
    retriable: false,
    vi: "Mã số thuế trong tài liệu khác mã số thuế trên chứng thư số. Hãy chọn đúng chứng thư của đơn vị.",
    en: "The tax code in the document differs from the one in the certificate. Choose your organisation's certificate.",
  },
  unsupported_algorithm: {
    wire: { code: 1015 },
    retriable: false,
    vi: "Thuật toán không được hỗ trợ hoặc không còn an toàn (ví dụ SHA-1). Hãy dùng SHA-256 trở lên.",
    en: "The algorithm is not supported or no longer safe (for example SHA-1). Use SHA-256 or stronger.",
  },
  timestamp_failed: {
    wire: { code: 1016 },
    retriable: true,
    vi: "Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian. Hãy kiểm tra kết nối mạng rồi thử lại.",
    en: "The timestamp server could not be reached or answered wrongly. Check the network and try again.",
  },
  revocation_unavailable: {
    wire: { code: 1021 },
    retriable: true,
    vi: "Không lấy được thông tin thu hồi (OCSP hoặc CRL) cần cho chữ ký dài hạn (B-LT). Hãy kiểm tra kết nối mạng rồi thử lại, hoặc ký ở mức B-T.",
    en: "The revocation data (OCSP or CRL) a long-term signature (B-LT) needs could not be obtained. Check the network and try again, or sign at level B-T.",
  },
  signing_failed: {
    wire: { code: 1017 },
    retriable: true,
    vi: "USB token không ký được. Hãy rút ra, cắm lại rồi thử lại.",
    en: "The token could not sign. Unplug it, plug it in again and try again.",
  },
  module_unavailable: {
    wire: { code: 1018 },
    retriable: false,
    vi: "Không nạp được trình điều khiển USB token. Hãy cài lại phần mềm của nhà cung cấp chứng thư số.",
    en: "The token driver could not be loaded. Reinstall your certificate provider's software.",
  },
  device_error: {
    wire: { code: 1019 },
    retriable: true,
    vi: "USB token báo lỗi thiết bị. Hãy rút ra, cắm lại rồi thử lại.",
    en: "The token reported a device error. Unplug it, plug it in again and try again.",
  },
  remote_quota_exceeded: {
    wire: { code: 1023 },
    retriable: false,
    vi: "Tài khoản ký số từ xa đã hết lượt ký. Hãy mua thêm lượt ký hoặc liên hệ nhà cung cấp chứng thư số.",
    en: "Your remote signing account has no signatures left. Buy more or contact your certificate provider.",
  },
  remote_unavailable: {
    wire: { code: 1024 },
    retriable: true,
    vi: "Không kết nối được dịch vụ ký số từ xa hoặc dịch vụ trả lời sai. Hãy kiểm tra kết nối mạng rồi thử lại.",
    en: "The remote signing service could not be reached or answered wrongly. Check the network and try again.",
  },
  secret_store_unavailable: {
    // Local to this computer (the app explains it; a page never needs to tell it apart from an internal error).
    wire: "never",
    retriable: false,
    vi: "Máy tính này không có kho bí mật an toàn của hệ điều hành, nên KySo không lưu phiên đăng nhập ký số từ xa. Hãy bật trình quản lý khóa (keyring) của hệ điều hành rồi thử lại.",
    en: "This computer has no secure OS secret store, so KySo will not keep the remote signing sign-in. Turn on the operating system's keyring and try again.",
  },
  remote_sign_in_required: {
    // A page sees the account as unreachable: signing in is done in KySo's settings, never from a page.
    wire: { as: "remote_unavailable" },
    retriable: false,
    vi: "Bạn chưa đăng nhập tài khoản ký số từ xa. Hãy mở Cài đặt của KySo, mục Tài khoản ký số từ xa, rồi bấm Đăng nhập.",
    en: "You are not signed in to the remote signing account. Open KySo's settings, Remote signing accounts, and sign in.",
  },
  remote_sign_in_failed: {
    // The browser sign-in (state mismatch, refused or abandoned in the browser): shown in KySo's settings only.
    wire: "never",
    retriable: true,
    vi: "Đăng nhập tài khoản ký số từ xa không thành công. Hãy thử đăng nhập lại.",
    en: "Signing in to the remote signing account did not succeed. Try signing in again.",
  },
  remote_otp_incorrect: {
    // The page learns the signature failed; the approval shows the reason.
    wire: { as: "signing_failed" },
    retriable: true,
    vi: "Mã OTP không đúng hoặc đã hết hạn. Hãy ký lại và nhập mã OTP mới.",
    en: "The OTP is wrong or has expired. Sign again and enter a new OTP.",
  },
  // Local file signing (main/core/files/local-files.ts): the app's own file picker, never a page.
  file_unreadable: {
    wire: "never",
    retriable: true,
    vi: "KySo không đọc được tệp này (tệp không còn ở đó hoặc bạn không có quyền đọc).",
    en: "KySo cannot read this file (it is gone, or you may not read it).",
  },
  file_locked: {
    wire: "never",
    retriable: true,
    vi: "Tệp đang được một chương trình khác mở. Hãy đóng chương trình đó rồi thử lại.",
    en: "Another program has the file open. Close it and try again.",
  },
  file_not_pdf: {
    wire: "never",
    retriable: false,
    vi: "Tệp này không phải tệp PDF nên không ký được theo mẫu này.",
    en: "This file is not a PDF, so it cannot be signed with this stamp.",
  },
  file_not_writable: {
    wire: "never",
    retriable: true,
    vi: "KySo không ghi được tệp đã ký vào thư mục của tệp gốc (thư mục chỉ đọc, đầy hoặc không còn). Không có tệp nào bị thay đổi.",
    en: "KySo could not write the signed file into the original's folder (read-only, full or gone). No file was changed.",
  },
  file_exists: {
    wire: "never",
    retriable: true,
    vi: "Đã có một tệp đã ký cùng tên bên cạnh tệp gốc. KySo không ghi đè khi bạn chưa đồng ý.",
    en: "A signed file of the same name is already next to the original. KySo does not replace it unless you agree.",
  },
  // The `kyso` command's local channel (main/core/cli-channel/): never a page.
  unattended_not_allowed: {
    wire: "never",
    retriable: false,
    vi: "Chính sách của máy không cho phép ký không cần xác nhận với chứng thư số hoặc mẫu này. Hãy chạy lại lệnh không có --pin-stdin để xác nhận trong KySo.",
    en: "The machine policy does not allow signing without approval with this certificate or preset. Run the command again without --pin-stdin and approve in KySo.",
  },
  stamp_off_page: {
    // A preset's image placed at a point (the portal's `at`, the user's click on the preview) that would hang off
    // the page, or on a page the document does not have: the request's shape error on the wire.
    wire: { as: "invalid_params" },
    retriable: false,
    vi: "Hình chữ ký hoặc con dấu phải nằm trọn trong một trang của văn bản. Hãy chọn vị trí xa mép trang hơn.",
    en: "The signature or seal image must lie wholly on a page of the document. Choose a place further from the edge.",
  },
  invalid_params: {
    // The JSON-RPC protocol error of the same name (-32602), whose message carries the failing field.
    wire: { as: "invalid_params" },
    retriable: false,
    vi: "Yêu cầu không hợp lệ.",
    en: "The request is not valid.",
  },
  not_found: {
    // The only lookup a page can miss is a certificate id.
    wire: { as: "certificate_not_found" },
    retriable: false,
    vi: "Không tìm thấy mục được yêu cầu.",
    en: "The requested item was not found.",
  },
  internal: {
    wire: { code: 1099 },
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
