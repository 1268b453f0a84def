/**
 * The audit log in plain words (history page and CSV export): what was asked, in what form, what the user decided
 * and how it ended, in the UI language. The log itself keeps the stable codes; only these words are shown.
 */
import type { Language } from "../../domain/errors/kyso-error.js";
import type { AuditEntryView, AuditWordsView } from "../app-api/views.js";

type Words = Readonly<Record<string, { readonly vi: string; readonly en: string }>>;

/** Bridge methods that sign: the history shows these by default (`kind: "signing"`). */
export const SIGNING_METHODS: ReadonlySet<string> = new Set(["sign", "signBatch"]);

const ACTIONS: Words = {
  sign: { vi: "Ký tài liệu", en: "Sign a document" },
  signBatch: { vi: "Ký nhiều tài liệu", en: "Sign several documents" },
  pair: { vi: "Cho phép trang web", en: "Allow a website" },
  hello: { vi: "Kết nối tới KySo", en: "Connect to KySo" },
  "tokens.list": { vi: "Xem danh sách USB token", en: "List the USB tokens" },
  "certificates.list": { vi: "Xem danh sách chứng thư số", en: "List the certificates" },
};
const OTHER_ACTION = { vi: "Yêu cầu khác", en: "Other request" };

const FORMATS: Words = {
  raw: { vi: "Chữ ký thô", en: "Raw signature" },
  cms: { vi: "Chữ ký tách rời (CMS)", en: "Detached signature (CMS)" },
  pades: { vi: "Tệp PDF", en: "PDF file" },
  xades: { vi: "Tệp XML", en: "XML file" },
  xmldsig: { vi: "Tệp XML", en: "XML file" },
  "vn-tax": { vi: "Tờ khai thuế (XML)", en: "Tax declaration (XML)" },
  "vn-einvoice": { vi: "Hóa đơn điện tử (XML)", en: "E-invoice (XML)" },
};

const DECISIONS: Words = {
  approved: { vi: "Đồng ý", en: "Approved" },
  rejected: { vi: "Từ chối", en: "Declined" },
  timeout: { vi: "Hết thời gian", en: "Timed out" },
  withdrawn: { vi: "Trang web rút lại", en: "Withdrawn by the website" },
  none: { vi: "Không cần phê duyệt", en: "No approval needed" },
};

/** Short results; the catalogue's sentences are too long for a table cell. */
const RESULTS: Words = {
  user_rejected: { vi: "Bạn đã từ chối", en: "You declined" },
  origin_not_allowed: { vi: "Trang web chưa được phép", en: "Website not allowed" },
  token_not_present: { vi: "Chưa cắm USB token", en: "No USB token plugged in" },
  token_removed: { vi: "USB token bị rút ra", en: "USB token removed" },
  certificate_not_found: { vi: "Không thấy chứng thư số", en: "Certificate not found" },
  certificate_invalid: { vi: "Chứng thư số không dùng được", en: "Certificate not usable" },
  pin_incorrect: { vi: "Sai mã PIN", en: "Wrong PIN" },
  pin_length_invalid: { vi: "Độ dài mã PIN sai", en: "Wrong PIN length" },
  pin_locked: { vi: "Mã PIN bị khóa", en: "PIN locked" },
  timeout: { vi: "Hết thời gian chờ", en: "Timed out" },
  busy: { vi: "KySo đang bận", en: "KySo was busy" },
  rate_limited: { vi: "Quá nhiều yêu cầu", en: "Too many requests" },
  document_invalid: { vi: "Tài liệu hỏng", en: "Document damaged" },
  document_too_large: { vi: "Tài liệu quá lớn", en: "Document too large" },
  document_too_complex: { vi: "Tài liệu quá phức tạp", en: "Document too complex" },
  document_encrypted: { vi: "PDF có mật khẩu", en: "Password-protected PDF" },
  tax_code_mismatch: { vi: "Sai mã số thuế", en: "Tax code mismatch" },
  unsupported_algorithm: { vi: "Thuật toán không hỗ trợ", en: "Unsupported algorithm" },
  timestamp_failed: { vi: "Không lấy được dấu thời gian", en: "Timestamp failed" },
  signing_failed: { vi: "Token không ký được", en: "Token could not sign" },
  module_unavailable: { vi: "Lỗi trình điều khiển token", en: "Token driver failed" },
  device_error: { vi: "Lỗi thiết bị token", en: "Token device error" },
  invalid_params: { vi: "Yêu cầu không hợp lệ", en: "Invalid request" },
  invalid_request: { vi: "Yêu cầu không hợp lệ", en: "Invalid request" },
  parse_error: { vi: "Yêu cầu không hợp lệ", en: "Invalid request" },
  method_not_found: { vi: "Yêu cầu không được hỗ trợ", en: "Unsupported request" },
  not_found: { vi: "Không tìm thấy", en: "Not found" },
  internal: { vi: "Lỗi nội bộ của KySo", en: "KySo internal error" },
};
const OTHER_FAILURE = { vi: "Không thành công", en: "Failed" };

function okWord(method: string, decision: AuditEntryView["decision"]): { vi: string; en: string } {
  if (SIGNING_METHODS.has(method)) return { vi: "Đã ký", en: "Signed" };
  if (method === "pair") return decision === "approved" ? { vi: "Đã cho phép", en: "Allowed" } : { vi: "Không cho phép", en: "Not allowed" };
  return { vi: "Thành công", en: "Done" };
}

export function auditWords(entry: AuditEntryView, language: Language): AuditWordsView {
  const result = entry.result === "ok" ? okWord(entry.method, entry.decision) : (RESULTS[entry.result] ?? OTHER_FAILURE);
  const format = entry.format === undefined ? undefined : FORMATS[entry.format];
  return {
    action: (ACTIONS[entry.method] ?? OTHER_ACTION)[language],
    ...(format ? { format: format[language] } : {}),
    decision: (DECISIONS[entry.decision] ?? DECISIONS.none!)[language],
    result: result[language],
    ok: entry.result === "ok",
  };
}
