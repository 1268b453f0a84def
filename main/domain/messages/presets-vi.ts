import type { presetsEn } from "./presets-en.js";

/** Tiếng Việt của các mẫu dấu theo Nghị định 30/2020 và của việc ký tệp trên máy (same keys as presets-en.ts). */
export const presetsVi: { readonly [K in keyof typeof presetsEn]: string } = {
  "preset.label": "Mẫu chữ ký (Nghị định 30/2020)",
  "preset.where": "Vị trí hiển thị",
  "preset.warnings": "Kiểm tra bản quét",
  "preset.name.leader": "Chữ ký của người có thẩm quyền (hình ảnh chữ ký tay)",
  "preset.name.seal": "Chữ ký của cơ quan, tổ chức (hình ảnh con dấu)",
  "preset.name.appendix": "Phụ lục hoặc văn bản kèm theo",
  "preset.name.copy": "Bản sao điện tử (sao y, sao lục, trích sao)",
  "preset.name.income": "Văn bản đến (tiếp nhận)",
  "preset.reason.leader": "Người có thẩm quyền ký phê duyệt (Nghị định 30/2020)",
  "preset.reason.seal": "Cơ quan, tổ chức ký ban hành (Nghị định 30/2020)",
  "preset.reason.appendix": "Cơ quan, tổ chức ký phụ lục (Nghị định 30/2020)",
  "preset.reason.copy": "Cơ quan, tổ chức ký bản sao (Nghị định 30/2020)",
  "preset.reason.income": "Cơ quan, tổ chức tiếp nhận văn bản đến",
  "preset.placedBy.fixed": "Góc trên bên phải trang 1, theo Nghị định 30/2020",
  "preset.placedBy.leader-signature": "Trùm lên 1/3 bên trái chữ ký của người có thẩm quyền ở trang {page}",
  "preset.placedBy.caller": "Ở trang {page}, tại vị trí đã chọn",
  "preset.warning.scan-low-dpi": "Các trang quét có độ phân giải dưới 200 dpi ({dpi} dpi): Nghị định 30/2020 yêu cầu tối thiểu 200 dpi.",
  "preset.warning.scan-not-colour": "Các trang quét không phải ảnh màu: Nghị định 30/2020 yêu cầu quét màu.",
  "files.signedNextTo": "Đã lưu bản đã ký: {name}",
  "files.exists": "{name} đã có. Thay thế tệp này?",
  "files.replace": "Thay thế",
};
