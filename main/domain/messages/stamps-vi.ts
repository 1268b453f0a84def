/**
 * Vietnamese words of the user's stamp images (certificates page), the leader's position found in the text layer
 * and the verify page's Decree 30/2020 official-document check. Merged into the catalogue by vi.ts.
 */
export const stampsVi = {
  "stamps.heading": "Hình ảnh chữ ký và con dấu (Nghị định 30/2020)",
  "stamps.help": "Lưu trong KySo cho riêng chứng thư này, không bao giờ gửi cho trang web nào. PNG nền trong suốt, tối đa 1 MiB và 2000 điểm ảnh mỗi cạnh.",
  "stamps.kind.signature": "Chữ ký tay (người có thẩm quyền)",
  "stamps.kind.seal": "Con dấu của cơ quan, tổ chức",
  "stamps.none": "Chưa có",
  "stamps.upload": "Chọn tệp PNG…",
  "stamps.remove": "Xoá",
  "stamps.diameter": "Đường kính con dấu (mm)",
  "stamps.size": "{width} × {height} điểm ảnh",
  "stamps.sealSize": "{width} × {height} điểm ảnh, {diameter} mm",
  "preset.placedBy.text-layer": "Ở trang {page}, giữa dòng quyền hạn và dòng họ tên tìm thấy trong văn bản",
  "preset.placedBy.foundUnder": "Ở trang {page}, tìm thấy dưới dòng “{line}” (phía trên dòng họ tên)",
  "preset.placedBy.default": "Vị trí: mặc định, ở trang {page} (không tìm thấy dòng quyền hạn và dòng họ tên)",
  "official.heading": "Văn bản điện tử (Nghị định 30/2020)",
  "official.notAssessed": "Không đánh giá: không chữ ký nào ghi vai trò theo Nghị định 30/2020.",
  "official.complete": "Có đủ hai chữ ký: của người có thẩm quyền, sau đó của cơ quan, tổ chức.",
  "official.leaderMissing": "Thiếu chữ ký của người có thẩm quyền.",
  "official.sealMissing": "Thiếu chữ ký số của cơ quan, tổ chức.",
  "official.wrongOrder": "Chữ ký của cơ quan, tổ chức được ký trước chữ ký của người có thẩm quyền.",
  "official.leader": "Người có thẩm quyền",
  "official.seal": "Con dấu của cơ quan, tổ chức",
  "official.present": "có (chữ ký {index})",
  "official.absent": "không có",
} as const;
