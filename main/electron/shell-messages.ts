/**
 * The few strings the main process shows itself (tray, notifications, window titles). The renderer has its own
 * catalogues; these are kept apart because the main process does not load React code.
 */
import type { Language } from "../domain/errors/kyso-error.js";
import type { TrayStatus } from "./tray-state.js";

const MESSAGES = {
  en: {
    tooltip: { ready: "KySo: ready", "token-present": "KySo: token plugged in", "request-waiting": "KySo: a request is waiting", problem: "KySo: needs attention" },
    open: "Open KySo",
    certificates: "Certificates",
    sites: "Trusted sites",
    pause: "Pause connections from websites",
    resume: "Resume connections from websites",
    startAtLogin: "Start at login",
    diagnostics: "Diagnostics",
    quit: "Quit KySo",
    mainTitle: "KySo",
    approvalTitle: "KySo: signing request",
    notifyTitle: "KySo: a website asks you to sign",
    notifyBody: "Click to review the request from {origin}.",
  },
  vi: {
    tooltip: { ready: "KySo: sẵn sàng", "token-present": "KySo: đã cắm USB token", "request-waiting": "KySo: có yêu cầu đang chờ", problem: "KySo: cần kiểm tra" },
    open: "Mở KySo",
    certificates: "Chứng thư số",
    sites: "Trang web tin cậy",
    pause: "Tạm dừng kết nối từ trang web",
    resume: "Tiếp tục kết nối từ trang web",
    startAtLogin: "Khởi động khi đăng nhập",
    diagnostics: "Chẩn đoán",
    quit: "Thoát KySo",
    mainTitle: "KySo",
    approvalTitle: "KySo: yêu cầu ký số",
    notifyTitle: "KySo: một trang web đề nghị bạn ký",
    notifyBody: "Nhấn để xem yêu cầu từ {origin}.",
  },
} as const satisfies Record<Language, { tooltip: Record<TrayStatus, string> } & Record<string, unknown>>;

export type ShellMessages = (typeof MESSAGES)["en"];

export function shellMessages(language: Language): ShellMessages {
  return MESSAGES[language] as ShellMessages;
}
