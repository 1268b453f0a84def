/**
 * Lời của lệnh `kyso` (main/cli/, docs/cli.md): tách khỏi vi.ts chỉ để mỗi tệp ngắn; vi.ts gộp vào danh mục chung.
 */
export const cliVi = {
  "cli.usage":
    "Cách dùng:\n  kyso certs [--json]\n  kyso sign --preset <leader|seal|appendix|copy> --cert <mã|dấu vân tay> [--document-number <số>] [--copy-kind <sao-y|sao-luc|trich-sao>] [--organisation <tên>] [--image <tệp>] [--seal-diameter <mm>] [--level <B-B|B-T|B-LT|B-LTA>] [--overwrite | --keep-both | --skip-existing] [--pin-stdin] [--json] <tệp hoặc thư mục…>\n  kyso verify <tệp> [--json]\n\nKySo phải đang chạy. Mã thoát: 0 xong, 1 có tệp không ký được, 2 sai cách dùng, 3 KySo chưa chạy, 4 bị từ chối trong KySo, 5 chính sách không cho phép, 6 không tìm thấy chứng thư số, 7 lỗi khác, 8 chưa xác định được hiệu lực chữ ký (verify) (docs/cli.md).",
  "cli.usageError": "{problem}. Chạy kyso --help để xem cách dùng.",
  "cli.notRunning": "KySo chưa chạy (hoặc không chạy cho người dùng này). Hãy mở KySo rồi chạy lại lệnh.",
  "cli.waitingApproval": "Hãy xác nhận ký {count, plural, other {# tệp}} trong cửa sổ KySo…",
  "cli.signingUnattended": "Đang ký {count, plural, other {# tệp}} không cần xác nhận (chính sách của máy cho phép)…",
  "cli.signed": "Đã ký: {output}",
  "cli.fileFailed": "Chưa ký: {path}: {message}",
  "cli.summary": "{ok} tệp đã ký, {skipped} tệp bỏ qua, {failed} tệp chưa ký.",
  "cli.skipped": "Bỏ qua (đã có bản đã ký): {path}",
  "cli.existingRefused":
    "Chưa ký tệp nào: đã có {count, plural, other {# bản đã ký}}:\n  {files}\nHãy chạy lại với --overwrite (ghi đè), --keep-both (ghi <tên>.signed (2).pdf) hoặc --skip-existing (bỏ qua các tệp đó).",
  "cli.existingFlagsExclusive": "Chỉ dùng một trong --overwrite, --keep-both, --skip-existing (đã dùng: {flags})",
  "cli.certs.none": "Không tìm thấy chứng thư số nào. Hãy cắm USB token rồi thử lại.",
  "cli.certs.valid": "dùng được",
  "cli.certs.invalid": "không dùng được",
  "cli.certs.unattended": "được ký không cần xác nhận (chính sách của máy)",
  "cli.verify.signatures": "{count, plural, other {# chữ ký}}",
  "cli.noPdf": "Không có tệp PDF nào trong: {paths}",
  "cli.pinStdinEmpty": "Đã dùng --pin-stdin nhưng đầu vào chuẩn không có mã PIN.",
  "cli.error": "Lỗi: {message}",
} as const;
