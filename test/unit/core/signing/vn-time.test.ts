import { describe, expect, it } from "vitest";
import { formatPdfDate, formatVnDisplay, formatVnLocalIso } from "../../../../main/core/signing/vn-time.js";

describe("Vietnam time formatting (UTC+7, no DST)", () => {
  const late = new Date("2025-12-31T18:30:05Z"); // already 1 January in Hà Nội

  it("formatVnDisplay: dd/MM/yyyy HH:mm:ss, crossing the date line into the new year", () => {
    expect(formatVnDisplay(late)).toBe("01/01/2026 01:30:05");
  });

  it("formatVnLocalIso: the SigningTime form of the tax and e-invoice samples (no offset)", () => {
    expect(formatVnLocalIso(new Date("2021-11-05T07:48:47Z"))).toBe("2021-11-05T14:48:47");
  });

  it("formatPdfDate: D:YYYYMMDDHHmmSS+07'00'", () => {
    expect(formatPdfDate(late)).toBe("D:20260101013005+07'00'");
  });
});
