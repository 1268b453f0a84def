import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildAuditCsv, csvCell, localTime } from "../../../../main/core/audit/audit-csv.js";
import { AUDIT_NAME_MAX, createAuditLog, documentNameClaim } from "../../../../main/core/audit/audit-log.js";
import type { AuditEntryView } from "../../../../main/core/app-api/views.js";

const SIGNED: AuditEntryView = {
  time: "2026-10-20T07:05:03.000Z",
  origin: "https://dichvucong.gov.vn",
  method: "signBatch",
  format: "pades",
  documentName: 'Quyết định "số 1", năm 2026',
  certificateName: "Nguyễn Văn An",
  decision: "approved",
  result: "ok",
};

describe("audit CSV builder", () => {
  it("csvCell: quotes, commas, semicolons and line breaks are quoted RFC 4180-style", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a "b"')).toBe('"a ""b"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("a;b")).toBe('"a;b"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(3)).toBe("3");
  });

  it("csvCell: a cell a spreadsheet would run as a formula (= + - @ tab CR) gets a leading apostrophe", () => {
    for (const text of ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]) expect(csvCell(text).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell("=1,2")).toBe("\"'=1,2\"");
    expect(csvCell("a=1")).toBe("a=1");
  });

  it("starts with the UTF-8 BOM, CRLF rows, Vietnamese headers and words, local time and the raw code kept in its own column", () => {
    const csv = buildAuditCsv([SIGNED], "vi", { timeZone: "Asia/Ho_Chi_Minh" });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [header, row, end] = csv.slice(1).split("\r\n");
    expect(header).toBe("Thời gian,Trang web,Tài liệu (theo trang web),Chứng thư số,Thao tác,Định dạng,Quyết định,Kết quả,Số lần,Mã kết quả,SHA-256 tài liệu,Vân tay chứng thư,Thời gian (UTC),Vị trí hình chữ ký");
    expect(row).toBe('2026-10-20 14:05:03,https://dichvucong.gov.vn,"Quyết định ""số 1"", năm 2026",Nguyễn Văn An,Ký nhiều tài liệu,Tệp PDF,Đồng ý,Đã ký,,ok,,,2026-10-20T07:05:03.000Z,');
    expect(end).toBe("");
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("English words; a refusal reads as words, never the raw code alone", () => {
    const csv = buildAuditCsv([{ ...SIGNED, decision: "rejected", result: "user_rejected", documentName: "=cmd|' /C calc'!A0" }], "en", { timeZone: "UTC" });
    const row = csv.split("\r\n")[1]!;
    expect(row).toContain("Sign several documents,PDF file,Declined,You declined");
    expect(row).toContain(",'=cmd|' /C calc'!A0,"); // neutralised
  });

  it("a stamp the user placed on the preview says so in its own column (empty when KySo placed it)", () => {
    const [, placed] = buildAuditCsv([{ ...SIGNED, stampPlacedBy: "user" }], "vi", { timeZone: "UTC" }).split("\r\n");
    expect(placed!.endsWith(",Do người ký đặt trên bản xem trước")).toBe(true);
    const [, english] = buildAuditCsv([{ ...SIGNED, stampPlacedBy: "user" }], "en", { timeZone: "UTC" }).split("\r\n");
    expect(english!.endsWith(",Placed by the signer on the preview")).toBe(true);
  });

  it("localTime: a spreadsheet-readable local time", () => {
    expect(localTime("2026-12-31T20:00:00.000Z", "Asia/Ho_Chi_Minh")).toBe("2027-01-01 03:00:00");
  });
});

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kyso-audit-csv-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("audit log: names and filters", () => {
  it("the document name is stored as the page's claim, control/bidi characters removed and capped", async () => {
    const log = createAuditLog(dir);
    expect(documentNameClaim({ fileName: "a\u202Efdp.exe\n" })).toBe("a fdp.exe");
    expect(documentNameClaim({ title: "Tờ khai" })).toBe("Tờ khai");
    expect(documentNameClaim({ fileName: "  ", title: "T" })).toBe("T");
    await log.append({ ...SIGNED, documentName: "x".repeat(5000), certificateName: "y".repeat(5000) });
    const [entry] = await log.list();
    expect(entry?.documentName).toHaveLength(AUDIT_NAME_MAX);
    expect(entry?.certificateName).toHaveLength(AUDIT_NAME_MAX);
  });

  it("kind 'signing' keeps sign/signBatch only; site is a case-insensitive part of the origin; from ≤ time < to", async () => {
    const log = createAuditLog(dir);
    await log.append({ ...SIGNED, time: "2026-10-19T10:00:00.000Z" });
    await log.append({ ...SIGNED, time: "2026-10-20T10:00:00.000Z", origin: "https://thuedientu.gdt.gov.vn" });
    await log.append({ time: "2026-10-20T11:00:00.000Z", origin: "https://dichvucong.gov.vn", method: "certificates.list", decision: "none", result: "ok" });
    expect((await log.list({ kind: "signing" })).map((e) => e.method)).toEqual(["signBatch", "signBatch"]);
    expect((await log.list({ site: "THUEDIENTU" })).map((e) => e.origin)).toEqual(["https://thuedientu.gdt.gov.vn"]);
    expect((await log.list({ from: "2026-10-20T00:00:00.000Z", to: "2026-10-21T00:00:00.000Z" })).map((e) => e.time)).toEqual([
      "2026-10-20T11:00:00.000Z",
      "2026-10-20T10:00:00.000Z",
    ]);
    expect((await log.list({ to: "2026-10-20T10:00:00.000Z" })).map((e) => e.time)).toEqual(["2026-10-19T10:00:00.000Z"]);
    const csv = await log.exportCsv({ kind: "signing", site: "dichvucong" }, "en", { timeZone: "UTC" });
    expect(csv.trim().split("\r\n")).toHaveLength(2); // header + the one signing line of that site
  });
});
