import type { vgcaFileEn } from "./vgca-file-en.js";

/** Tiếng Việt của bước chọn tệp (same keys as vgca-file-en.ts). */
export const vgcaFileVi: { readonly [K in keyof typeof vgcaFileEn]: string } = {
  "fileApproval.heading": "Một trang web đề nghị bạn chọn tệp để ký",
  "fileApproval.explain": "Chọn tệp PDF cần ký. KySo đọc và hiển thị tệp cho bạn trước khi ký; tệp đã ký được gửi lại cho trang web.",
  "fileApproval.choose": "Tệp cần ký",
  "fileApproval.limit": "Tối đa {size}.",
  "fileApproval.tooLarge": "Tệp này lớn hơn {size}.",
  "fileApproval.reading": "Đang đọc tệp…",
  "fileApproval.received": "Đã nhận tệp. KySo đang đọc tệp; yêu cầu ký sẽ hiện ngay sau đây.",
};
