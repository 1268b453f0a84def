/**
 * Vietnamese words of the diagnostics page (same keys as diagnostics-en.ts); merged into the one catalogue by
 * vi.ts.
 */
import type { DiagnosticsMessageKey } from "./diagnostics-en.js";

export const diagnosticsVi: Readonly<Record<DiagnosticsMessageKey, string>> = {
  "diag.heading": "Chẩn đoán",
  "diag.app": "KySo {version} trên {platform}",
  "diag.bridge": "Kết nối cho các trang web",
  "diag.listening": "Đang lắng nghe tại {list}",
  "diag.notListening": "Không lắng nghe",
  "diag.paused": "Đã tạm dừng trong Cài đặt",
  "diag.localCert": "Chứng thư cục bộ (cho kết nối bảo mật wss://)",
  "diag.trusted": "Được máy tính này tin cậy",
  "diag.notTrusted": "Chưa được máy tính này tin cậy",
  "diag.certUntil": "hiệu lực đến {date}",
  "diag.repair": "Sửa lỗi",
  "diag.repaired": "Đã sửa xong: {result}",
  "diag.modules": "Trình điều khiển token",
  "diag.tokens": "USB token đang cắm: {count}",
  "diag.policy": "Chính sách của tổ chức",
  "diag.policySource.file": "Đọc từ tệp {path}",
  "diag.policySource.provided": "Được cung cấp cho KySo khi khởi động (không có đường dẫn tệp)",
  "diag.policySource.registry": "Đọc từ registry của Windows {path}",
  "diag.policySource.profile": "Từ hồ sơ cấu hình ({path})",
  "diag.policySource.environment": "Đọc từ {path} (KYSO_POLICY_FILE, bản phát triển)",
  "diag.policySource.invalid": "Chính sách của tổ chức tại {path} không hợp lệ, nên KySo không nhận yêu cầu từ trang web nào cho đến khi được sửa: {problems}",
  "diag.policySource.default": "Máy này không có chính sách của tổ chức: KySo dùng thiết lập mặc định.",
  "diag.policyKeys": "Do tổ chức thiết lập",
  "diag.policyManaged": "Cài đặt do tổ chức cố định",
  "diag.policyNoKeys": "Không có gì khác thiết lập mặc định của KySo.",
  "diag.policyKey": "Khóa",
  "diag.policyValue": "Giá trị",
  "diag.lnaHeading": "Nếu trình duyệt chặn kết nối",
  "diag.lnaHelp": "Chrome và Edge sẽ hỏi “Cho phép trang web này truy cập các ứng dụng và dịch vụ khác trên thiết bị này?”. Hãy chọn Cho phép. Nếu trình duyệt do tổ chức quản lý, hãy đề nghị quản trị viên cho phép cổng thông tin trong chính sách LocalNetworkAccessAllowedForUrls.",
  "diag.copy": "Sao chép báo cáo",
  "diag.copied": "Đã sao chép báo cáo. Báo cáo không chứa mã PIN hay tài liệu.",
  "diag.report": "Báo cáo",
  "diag.restarted": "trình điều khiển đã khởi động lại {count} lần sau sự cố; lần gần nhất: {date} ({reason})",
};
