/**
 * Vietnamese words of the trust checks (see trust-en.ts): merged into the one catalogue by vi.ts. The national
 * roots are named by their own names.
 */
export const trustVi = {
  "trust.root.vn-national-root": "Vietnam National Root CA (Trung tâm Chứng thực điện tử quốc gia)",
  "trust.root.vn-gov-root-g2": "RootCA chuyên dùng Chính phủ G2 (Ban Cơ yếu Chính phủ)",
  "trust.chain.trusted": "Chuỗi chứng thực: dẫn đến {anchor}",
  "trust.chain.systemAnchor": "{anchor} (kho chứng thư hệ điều hành)",
  "trust.chain.untrusted": "Chuỗi chứng thực: không dẫn đến chứng thư số gốc tin cậy nào",
  "trust.chain.intermediatesGood": "các CA trung gian chưa bị thu hồi",
  "trust.chain.intermediateRevoked": "CA trung gian {name} đã bị thu hồi",
  "trust.chain.intermediateUnchecked": "không kiểm tra được trạng thái thu hồi của CA trung gian {name}",
  "trust.chain.intermediateNotPublished": "CA trung gian {name} không công bố trạng thái thu hồi",
  "trust.refusal.untrustedChain": "không dẫn đến chứng thư số gốc tin cậy (tổ chức của bạn yêu cầu)",
  "trust.refusal.intermediateRevoked": "một CA trung gian trong chuỗi đã bị thu hồi",
  "trust.refusal.intermediateRevocationUnknown": "không xác nhận được trạng thái thu hồi của một CA trung gian (tổ chức của bạn yêu cầu)",
  "trust.bundle.heading": "Gói chứng thư tin cậy",
  "trust.anchors.counts": "Chứng thư gốc tin cậy: {bundled} gốc quốc gia, {policy} từ chính sách, {bundle} từ gói tin cậy, {system} từ kho hệ điều hành",
  "trust.anchors.osStoreOn": "Kho chứng thư hệ điều hành: có dùng (chính sách trustAnchorsOsStore)",
  "trust.anchors.osStoreOff": "Kho chứng thư hệ điều hành: không dùng",
  "trust.bundle.inUse": "Phiên bản {version}, phát hành {issuedAt}, hiệu lực đến {expiresAt}: {anchors} chứng thư gốc, {intermediates} CA trung gian",
  "trust.bundle.none": "Không có gói chứng thư tin cậy đã ký nào đang dùng",
  "trust.bundle.problem": "Bị từ chối ({source}): {reason}",
  "trust.bundle.reason.malformed": "không phải gói chứng thư tin cậy hợp lệ",
  "trust.bundle.reason.unknown-key": "được ký bằng khóa không có trong chính sách",
  "trust.bundle.reason.bad-signature": "chữ ký không hợp lệ",
  "trust.bundle.reason.expired": "đã hết hạn",
  "trust.bundle.reason.not-yet-valid": "ngày phát hành ở tương lai",
  "trust.bundle.reason.rollback": "cũ hơn gói đang dùng",
  "trust.bundle.reason.unreadable": "không đọc được tệp",
  "trust.bundle.reason.fetch-failed": "không tải xuống được",
} as const;
