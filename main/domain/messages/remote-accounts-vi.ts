/** Vietnamese words of the settings page's remote signing accounts section (same keys as remote-accounts-en.ts). */
import type { RemoteAccountsMessageKey } from "./remote-accounts-en.js";

export const remoteAccountsVi: Readonly<Record<RemoteAccountsMessageKey, string>> = {
  "remoteAccounts.heading": "Tài khoản ký số từ xa",
  "remoteAccounts.note": "Tổ chức của bạn cấu hình các dịch vụ ký số này. Hãy nhập mã tài khoản (CCCD, mã số thuế hoặc mã nhà cung cấp cấp cho bạn); KySo không bao giờ hỏi hay lưu mật khẩu của bạn.",
  "remoteAccounts.none": "Tổ chức của bạn chưa cấu hình dịch vụ ký số từ xa nào.",
  "remoteAccounts.kind.csc": "Cloud Signature Consortium (CSC)",
  "remoteAccounts.kind.vnpt-smartca": "VNPT SmartCA",
  "remoteAccounts.kind.neac": "NEAC eSign",
  "remoteAccounts.kind.viettel-mysign": "Viettel MySign",
  "remoteAccounts.userId": "Mã tài khoản tại {provider}",
  "remoteAccounts.save": "Lưu",
  "remoteAccounts.remove": "Xóa tài khoản",
  "remoteAccounts.saved": "Đã lưu.",
  "remoteAccounts.signedIn": "Đã đăng nhập đến {time}",
  "remoteAccounts.signedInRenews": "Đã đăng nhập (tự gia hạn; quyền truy cập hiện tại đến {time})",
  "remoteAccounts.signedOut": "Chưa đăng nhập",
  "remoteAccounts.signIn": "Đăng nhập",
  "remoteAccounts.signingIn": "Hãy hoàn tất đăng nhập trong trình duyệt…",
  "remoteAccounts.signOut": "Đăng xuất",
  "remoteAccounts.browserDone": "KySo: đã đăng nhập. Bạn có thể đóng cửa sổ này.",
  "remoteAccounts.browserFailed": "KySo: đăng nhập không thành công. Hãy quay lại KySo và thử lại.",
  "remoteAccounts.storeMemory": "Phiên đăng nhập chỉ được giữ đến khi thoát KySo.",
  "remoteAccounts.storeUnavailable": "Máy tính này không có kho bí mật an toàn, nên KySo không thể lưu phiên đăng nhập.",
  "remoteAccounts.storeFix.basic-text": "Trên Linux, hãy cài và mở khóa trình quản lý khóa (GNOME Keyring hoặc KWallet), rồi khởi động lại KySo.",
  "remoteAccounts.storeFix.no-encryption": "Hãy bật kho thông tin xác thực của hệ điều hành (Keychain, Windows Credential Manager hoặc keyring trên Linux), rồi khởi động lại KySo.",
};
