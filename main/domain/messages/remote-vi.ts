/**
 * Vietnamese words of remote signing accounts in the approval (same keys as remote-en.ts); merged into the one
 * catalogue by vi.ts.
 */
import type { RemoteMessageKey } from "./remote-en.js";

export const remoteVi: Readonly<Record<RemoteMessageKey, string>> = {
  "remote.noPin": "Không cần nhập PIN ở đây: bạn xác nhận trên ứng dụng {provider} trong điện thoại sau khi bấm Ký.",
  "remote.sending": "Đang gửi yêu cầu đến {provider}…",
  "remote.waitingHeading": "Xác nhận trên điện thoại",
  "remote.waitingExplain": "Mở ứng dụng {provider} trên điện thoại và xác nhận yêu cầu này.",
  "remote.sent": "Yêu cầu hiển thị: “{description}” từ {origin}",
  "remote.countdown": "Thời gian còn lại để xác nhận: {time}",
  "remote.expired": "Đã hết thời gian xác nhận.",
  "remote.quota": "Chữ ký này được tính vào hạn mức ký số của bạn tại {provider}.",
  "remote.confirmed": "Đã xác nhận trên điện thoại. Đang hoàn tất chữ ký…",
  "remote.otpHeading": "Nhập mã OTP",
  "remote.otpExplain": "{provider} yêu cầu mã dùng một lần (OTP) để cho phép chữ ký này. Chỉ nhập mã tại cửa sổ của KySo.",
  "remote.otpLabel": "Mã OTP",
  "remote.otpSend": "Ký với mã OTP này",
  "remote.cancel": "Hủy",
};
