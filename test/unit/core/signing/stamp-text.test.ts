/**
 * Issue 12: the visible stamp of an organisation certificate without a CN printed the whole subject after "Ký bởi:",
 * the tax code as a raw OID, past the stamp box. The stamp now uses the display name the approval shows and its
 * text is laid out to fit the box (wrapped, then shrunk, then cut with "…" as a last resort).
 */
import fontkit from "@cantoo/fontkit";
import { PDFDocument } from "@cantoo/pdf-lib";
import { describe, expect, it } from "vitest";
import { dejaVuSans } from "../../../../main/core/signing/pdf/appearance.js";
import { signerDisplayName, stampParagraphs } from "../../../../main/core/signing/pdf/prepare-update.js";
import { layoutStampText, STAMP_LEADING, STAMP_MIN_FONT_SIZE, type MeasureText } from "../../../../main/core/signing/pdf/stamp-layout.js";
import { makeCertificate } from "../certificates/make-certificate.js";

const UID = "0.9.2342.19200300.100.1.1";
/** The default stamp box (prepare-update.ts DEFAULT_STAMP 210x64) minus the appearance's 4-point padding. */
const BOX = { width: 210 - 8, height: 64 - 8 };

/** Widths from the bundled DejaVu Sans, exactly as the stamp measures them. */
async function dejaVuMeasure(): Promise<MeasureText> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await dejaVuSans(), { subset: true });
  return (text, size) => font.widthOfTextAtSize(text, size);
}

function expectInside(layout: ReturnType<typeof layoutStampText>, box: { width: number; height: number }, measure: MeasureText): void {
  for (const line of layout.lines) expect(measure(line, layout.fontSize)).toBeLessThanOrEqual(box.width);
  expect(layout.lines.length * layout.fontSize * STAMP_LEADING).toBeLessThanOrEqual(box.height);
}

describe("stamp signer name", () => {
  it("an organisation certificate without CN: the stamp says 'Ký bởi: <O>', no OID, no whole subject", async () => {
    const made = await makeCertificate({
      subject: [{ O: ["CÔNG TY TNHH KIỂM THỬ KÝ SỐ"] }, { [UID]: ["MST:0101234567"] }, { L: ["Hà Nội"] }, { C: ["VN"] }],
    });
    const name = signerDisplayName(made.der);
    expect(name).toBe("CÔNG TY TNHH KIỂM THỬ KÝ SỐ");
    const [first] = stampParagraphs(name, new Date("2026-12-02T07:00:00Z"), {});
    expect(first).toBe("Ký bởi: CÔNG TY TNHH KIỂM THỬ KÝ SỐ");
    expect(first).not.toMatch(/0\.9\.2342|=/);
  });

  it("a certificate with only the UID: 'MST: 0101234567', never the OID", async () => {
    const made = await makeCertificate({ subject: [{ [UID]: ["MST:0101234567"] }, { C: ["VN"] }] });
    expect(signerDisplayName(made.der)).toBe("MST: 0101234567");
  });

  it("a personal certificate: its CN", async () => {
    const made = await makeCertificate({ subject: [{ CN: ["Nguyễn Văn An"] }, { O: ["Sở Tài chính"] }, { [UID]: ["CCCD:001090001234"] }] });
    expect(signerDisplayName(made.der)).toBe("Nguyễn Văn An");
  });

  it("the stamp lines: date, reason, location from the catalogue's stamp.* labels", () => {
    const lines = stampParagraphs("Nguyễn Văn An", new Date("2026-12-02T07:00:00Z"), { reason: "Tôi đồng ý", location: "Hà Nội" });
    expect(lines).toEqual(["Ký bởi: Nguyễn Văn An", "Ký ngày: 02/12/2026 14:00:00", "Lý do: Tôi đồng ý", "Nơi ký: Hà Nội"]);
  });
});

describe("stamp text layout", () => {
  it("short text keeps the largest size on one line each", async () => {
    const measure = await dejaVuMeasure();
    const layout = layoutStampText(["Ký bởi: Nguyễn Văn An", "Ký ngày: 02/12/2026 14:00:00"], BOX, measure);
    expect(layout).toMatchObject({ fontSize: 10, lines: ["Ký bởi: Nguyễn Văn An", "Ký ngày: 02/12/2026 14:00:00"], truncated: false });
  });

  it("a very long organisation name wraps and shrinks, every line inside the box, nothing lost", async () => {
    const measure = await dejaVuMeasure();
    const name = "TỔNG CÔNG TY CỔ PHẦN ĐẦU TƯ XÂY DỰNG VÀ PHÁT TRIỂN HẠ TẦNG KỸ THUẬT ĐÔ THỊ MIỀN BẮC VIỆT NAM - CHI NHÁNH HÀ NỘI";
    const paragraphs = stampParagraphs(name, new Date("2026-12-02T07:00:00Z"), { reason: "Tôi đồng ý nộp thay cho Giám đốc", location: "Hà Nội" });
    const layout = layoutStampText(paragraphs, BOX, measure);
    expect(layout.truncated).toBe(false);
    expect(layout.lines.length).toBeGreaterThan(paragraphs.length);
    expect(layout.fontSize).toBeLessThan(10);
    expectInside(layout, BOX, measure);
    expect(layout.lines.join(" ").replace(/\s+/g, " ")).toBe(paragraphs.join(" "));
  });

  it("a word wider than the box is broken between letters", async () => {
    const measure = await dejaVuMeasure();
    const box = { width: 60, height: 200 };
    const layout = layoutStampText(["Ký bởi: " + "X".repeat(80)], box, measure);
    expectInside(layout, box, measure);
    expect(layout.lines.join("").replace(/\s/g, "")).toBe("Kýbởi:" + "X".repeat(80));
  });

  it("text that cannot fit even at the minimum size is cut with '…', still inside the box", async () => {
    const measure = await dejaVuMeasure();
    const box = { width: 100, height: 20 };
    const layout = layoutStampText(["Ký bởi: " + "Nguyễn Văn An ".repeat(40)], box, measure);
    expect(layout.fontSize).toBe(STAMP_MIN_FONT_SIZE);
    expect(layout.truncated).toBe(true);
    expect(layout.lines.at(-1)).toMatch(/…$/);
    expectInside(layout, box, measure);
  });
});
