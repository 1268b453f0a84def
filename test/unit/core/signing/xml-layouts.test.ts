import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isKysoError } from "../../../../main/domain/errors/index.js";
import { summaryOf } from "../../../../main/core/signing/xml/layouts.js";
import { decodeXml, parseXml } from "../../../../main/core/signing/xml/safe-xml.js";
import { planXmlSignature } from "../../../../main/core/signing/xml/signed-node.js";

const DOCS = join(import.meta.dirname, "../../../fixtures/documents");
const load = (name: string): Uint8Array => readFileSync(join(DOCS, name));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("XML layout detection", () => {
  it("tax declaration: HSoThueDTu → vn-tax with tax code, form, period", () => {
    const plan = planXmlSignature(parseXml(load("tax-declaration-01gtgt.xml")), "vn-tax");
    expect(plan.layout).toBe("vn-tax");
    const summary = Object.fromEntries(summaryOf(plan.summaryElement, "vn-tax").map((f) => [f.field, f.value]));
    expect(summary.taxCode).toEqual({ type: "taxCode", taxCode: "0101234567" });
    expect(summary.taxForm).toEqual({ type: "taxForm", code: "842", name: "TỜ KHAI THUẾ GIÁ TRỊ GIA TĂNG (Mẫu số 01/GTGT)" });
    expect(summary.taxPeriod).toEqual({ type: "taxPeriod", unit: "quarter", period: "1/2025" });
    expect(summary.filingNumber).toEqual({ type: "count", count: 0 });
    expect(summary.declaredOn).toEqual({ type: "date", date: "2025-04-20" });
  });

  it("e-invoice: HDon/DLHDon → vn-einvoice with number, seller, buyer, total", () => {
    const plan = planXmlSignature(parseXml(load("einvoice-seller.xml")), "vn-einvoice");
    expect(plan.layout).toBe("vn-einvoice");
    const summary = Object.fromEntries(summaryOf(plan.summaryElement, "vn-einvoice").map((f) => [f.field, f.value]));
    expect(summary).toMatchObject({
      invoiceNumber: { type: "text", text: "123" },
      invoiceSeries: { type: "text", text: "1C25TKS" },
      issuedOn: { type: "date", date: "2025-04-20" },
      sellerName: { type: "text", text: "CÔNG TY TNHH KIỂM THỬ KÝ SỐ" },
      sellerTaxCode: { type: "taxCode", taxCode: "0101234567" },
      buyerName: { type: "text", text: "CÔNG TY CỔ PHẦN MUA HÀNG ĐÀ NẴNG" },
      totalAmount: { type: "amount", amount: "11000000", currency: "VND" },
    });
  });

  it("summary values the layout's syntax does not allow stay as written text, never a guess", () => {
    const xml = new TextDecoder()
      .decode(load("einvoice-seller.xml"))
      .replace("<NLap>2025-04-20</NLap>", "<NLap>2025-02-30</NLap>")
      .replace("<TgTTTBSo>11000000</TgTTTBSo>", "<TgTTTBSo>11,000,000</TgTTTBSo>")
      .replace("<MST>0401234567</MST>", "<MST>04-0123</MST>");
    const plan = planXmlSignature(parseXml(utf8(xml)), "vn-einvoice");
    const summary = Object.fromEntries(summaryOf(plan.summaryElement, "vn-einvoice").map((f) => [f.field, f.value]));
    expect(summary.issuedOn).toEqual({ type: "text", text: "2025-02-30" });
    expect(summary.totalAmount).toEqual({ type: "text", text: "11,000,000 VND" });
    expect(summary.buyerTaxCode).toEqual({ type: "text", text: "04-0123" });
  });

  it("anything else is generic with no summary", () => {
    const plan = planXmlSignature(parseXml(load("generic-contract.xml")), "xmldsig");
    expect(plan.layout).toBe("generic");
    expect(summaryOf(plan.summaryElement, "generic")).toEqual([]);
  });
});

describe("safe XML parsing", () => {
  const refused = (xml: string) => () => parseXml(utf8(xml));

  it("refuses a DOCTYPE (XXE) before any parser runs", () => {
    expect(refused('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')).toThrow(/DTD/);
  });

  it("refuses entity declarations, whatever the case and spacing", () => {
    expect(refused("<!doctype a><a/>")).toThrow();
    expect(refused('<a><! ENTITY x "y"></a>')).toThrow();
  });

  it("refuses a non-UTF-8 declared encoding and invalid UTF-8 bytes", () => {
    expect(refused('<?xml version="1.0" encoding="windows-1258"?><a/>')).toThrow(/UTF-8/);
    expect(() => decodeXml(Uint8Array.from([0x3c, 0x61, 0xff, 0x3e]))).toThrow();
  });

  it("malformed XML is document_invalid", () => {
    try {
      parseXml(utf8("<a><b></a>"));
      expect.unreachable();
    } catch (error) {
      expect(isKysoError(error, "document_invalid")).toBe(true);
    }
  });
});
