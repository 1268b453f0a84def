/**
 * The renderer's one formatting module (renderer/src/i18n/format.ts) under Node's full ICU: what a Vietnamese and an
 * English reader see for amounts, dates, sizes and counts (issue 12: "11000000 VND", "2 thg 12, 2026").
 */
import { describe, expect, it } from "vitest";
import type { XmlSummaryValue } from "../../../main/domain/document-description.js";
import { formatter } from "../../../renderer/src/i18n/format.js";
import { translator } from "../../../renderer/src/i18n/index.js";
import { summaryValue } from "../../../renderer/src/i18n/summary-value.js";

const vi = formatter("vi");
const en = formatter("en");
/** Intl separates the number and the currency with a no-break space: compare with plain spaces. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, " ");

describe("amounts", () => {
  it("VND: '11.000.000 ₫' in Vietnamese, 'VND 11,000,000' in English", () => {
    expect(plain(vi.amount("11000000", "VND"))).toBe("11.000.000 ₫");
    expect(plain(en.amount("11000000", "VND"))).toBe("VND 11,000,000");
  });

  it("every digit the document wrote is kept (no float rounding, decimals not dropped)", () => {
    expect(plain(vi.amount("123456789012345678", "VND"))).toBe("123.456.789.012.345.678 ₫");
    expect(plain(en.amount("1000.5", "USD"))).toBe("USD 1,000.50");
    expect(plain(vi.amount("1000.125", "VND"))).toBe("1.000,125 ₫");
  });

  it("no currency: the grouped number; a code Intl refuses: digits and code as given", () => {
    expect(vi.amount("2500000")).toBe("2.500.000");
    expect(en.amount("12", "NOT A CODE")).toBe("12 NOT A CODE");
  });
});

describe("dates", () => {
  it("a calendar date: dd/MM/yyyy in Vietnamese, '2 Dec 2026' in English, the same day in every time zone", () => {
    expect(vi.date("2026-12-02")).toBe("02/12/2026");
    expect(en.date("2026-12-02")).toBe("2 Dec 2026");
  });

  it("a timestamp: the computer's local day and time", () => {
    const at = new Date(2026, 11, 2, 14, 5); // local time
    expect(vi.date(at.toISOString())).toBe("02/12/2026");
    expect(vi.dateTime(at.toISOString())).toBe("02/12/2026 14:05");
    expect(en.dateTime(at.toISOString())).toBe("2 Dec 2026, 14:05");
  });

  it("never the Intl vi-VN medium style ('2 thg 12, 2026'); an unreadable value is shown as given", () => {
    expect(vi.date("2026-12-02")).not.toContain("thg");
    expect(vi.date("not a date")).toBe("not a date");
    expect(en.dateTime("")).toBe("");
  });
});

describe("sizes, numbers, plurals", () => {
  it("sizes in bytes, kB, MB with the language's decimal mark", () => {
    expect(en.size(1)).toBe("1 byte");
    expect(en.size(512)).toBe("512 bytes");
    expect(plain(vi.size(1536))).toBe("1,5 kB");
    expect(plain(en.size(5 * 1024 * 1024))).toBe("5 MB");
  });

  it("numbers grouped; plural categories from Intl.PluralRules", () => {
    expect(vi.number(40000)).toBe("40.000");
    expect(en.number(40000)).toBe("40,000");
    expect([en.plural(1), en.plural(3), vi.plural(1)]).toEqual(["one", "other", "other"]);
  });
});

describe("XML summary values (the core's raw values, worded by the UI)", () => {
  const cases: [XmlSummaryValue, string, string][] = [
    [{ type: "amount", amount: "11000000", currency: "VND" }, "11.000.000 ₫", "VND 11,000,000"],
    [{ type: "date", date: "2025-04-20" }, "20/04/2025", "20 Apr 2025"],
    [{ type: "taxPeriod", unit: "quarter", period: "1/2025" }, "Quý 1/2025", "Quarter 1/2025"],
    [{ type: "taxCode", taxCode: "0101234567-001" }, "0101234567-001", "0101234567-001"],
    [{ type: "count", count: 0 }, "0", "0"],
    [{ type: "taxForm", code: "842", name: "01/GTGT" }, "842 – 01/GTGT", "842 – 01/GTGT"],
    [{ type: "text", text: "CÔNG TY", truncated: true }, "CÔNG TY… (đã rút gọn)", "CÔNG TY… (shortened)"],
  ];
  it.each(cases)("%o → vi %s, en %s", (value, inVi, inEn) => {
    expect(plain(summaryValue(value, translator("vi"), vi))).toBe(inVi);
    expect(plain(summaryValue(value, translator("en"), en))).toBe(inEn);
  });
});
