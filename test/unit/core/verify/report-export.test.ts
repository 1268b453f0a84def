/**
 * The exported verification reports: the ETSI TS 119 102-2 XML is well-formed (read back with the project's own
 * XML parser) and carries each signature's indication, and the PDF parses and says the verdict in words
 * (`pdftotext`, with pdf-lib as the structural check).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PDFDocument } from "@cantoo/pdf-lib";
import { describe, expect, it } from "vitest";
import { parseXml } from "../../../../main/core/signing/xml/safe-xml.js";
import type { SignatureReport, VerificationReport } from "../../../../main/domain/wire/verify-report.js";
import { ETSI_VR_NAMESPACE, reportFileName, reportPdf, validationReportXml } from "../../../../main/core/verify/report-export/index.js";

const run = promisify(execFile);

const signer = {
  displayName: "Nguyễn Văn An",
  organization: "Sở Tài chính <Hà Nội> & \"Ban\"",
  taxCode: "0101234567",
  personalId: "001234567890",
  issuer: "CN=KySo Test CA, O=KySo, C=VN",
  serialNumber: "01",
  notBefore: "2026-01-01T00:00:00.000Z",
  notAfter: "2028-01-01T00:00:00.000Z",
  fingerprintSha256: "ab".repeat(32),
};

const leader: SignatureReport = {
  fieldName: "Lãnh đạo",
  revision: 2,
  coverage: "revision",
  subFilter: "/ETSI.CAdES.detached",
  signer,
  chain: { trusted: true, anchor: "CN=Vietnam National Root CA", nationalRoot: "vn-national-root", length: 3 },
  claimedSigningTime: "2026-12-01T08:00:00.000Z",
  timestamp: { time: "2026-12-01T08:00:05.000Z", imprintValid: true },
  integrity: { hash: "valid", signature: "valid" },
  certificateValidAtSigningTime: true,
  revocation: { status: "good", source: "dss", kind: "ocsp", producedAt: "2026-12-01T08:00:06.000Z" },
  laterUpdates: [{ revision: 3, kinds: ["signature"], changed: [], added: 4 }],
  warnings: [],
  result: { indication: "TOTAL-PASSED", reason: "valid" },
};

const tampered: SignatureReport = {
  ...leader,
  fieldName: "Văn thư",
  revision: 3,
  coverage: "whole-file",
  signer: { ...signer, displayName: "Trần Thị Bình", fingerprintSha256: "cd".repeat(32) },
  timestamp: undefined,
  integrity: { hash: "invalid", signature: "valid" },
  revocation: { status: "revoked", source: "online", kind: "crl", revokedAt: "2026-11-01T00:00:00.000Z" },
  laterUpdates: [],
  warnings: ["sha1"],
  result: { indication: "TOTAL-FAILED", subIndication: "HASH_FAILURE", reason: "hashMismatch" },
};

const report: VerificationReport = {
  format: "pdf",
  size: 12_345,
  sha256: "ef".repeat(32),
  revisions: 3,
  validationTime: "2026-12-02T01:00:00.000Z",
  signatures: [leader, tampered],
  result: { indication: "TOTAL-FAILED", subIndication: "HASH_FAILURE", reason: "someSignatureFailed" },
};

const byTag = (parent: { getElementsByTagNameNS(ns: string, name: string): ArrayLike<{ textContent: string | null }> }, name: string) =>
  Array.from(parent.getElementsByTagNameNS(ETSI_VR_NAMESPACE, name)).map((n) => n.textContent ?? "");

describe("ETSI TS 119 102-2 XML report", () => {
  it("is well-formed and carries each signature's main and sub indication", () => {
    const xml = validationReportXml(report);
    const doc = parseXml(Buffer.from(xml, "utf8"));
    expect(doc.documentElement!.localName).toBe("ValidationReport");
    expect(doc.documentElement!.namespaceURI).toBe(ETSI_VR_NAMESPACE);
    const reports = Array.from(doc.getElementsByTagNameNS(ETSI_VR_NAMESPACE, "SignatureValidationReport"));
    expect(reports).toHaveLength(2);
    expect(byTag(reports[0]!, "MainIndication")).toEqual(["urn:etsi:019102:mainindication:total-passed"]);
    expect(byTag(reports[0]!, "SubIndication")).toEqual([]);
    expect(byTag(reports[1]!, "MainIndication")).toEqual(["urn:etsi:019102:mainindication:total-failed"]);
    expect(byTag(reports[1]!, "SubIndication")).toEqual(["urn:etsi:019102:subindication:HASH_FAILURE"]);
    expect(byTag(doc as never, "DAIdentifier")).toEqual(["Lãnh đạo", "Văn thư"]);
    expect(byTag(doc as never, "Signer")).toEqual(["Nguyễn Văn An", "Trần Thị Bình"]);
    // Best signature time: the timestamp when it belongs to the signature, else the validation time.
    expect(byTag(reports[0]!, "POETime")).toEqual(["2026-12-01T08:00:05.000Z"]);
    expect(byTag(reports[1]!, "POETime")).toEqual(["2026-12-02T01:00:00.000Z"]);
    expect(byTag(reports[1]!, "RevocationTime")).toEqual(["2026-11-01T00:00:00.000Z"]);
  });

  it("references each signer certificate as a validation object identified by its SHA-256", () => {
    const doc = parseXml(Buffer.from(validationReportXml(report), "utf8"));
    const objects = Array.from(doc.getElementsByTagNameNS(ETSI_VR_NAMESPACE, "ValidationObject"));
    const ids = objects.map((o) => o.getAttribute("id"));
    const refs = Array.from(doc.getElementsByTagNameNS(ETSI_VR_NAMESPACE, "SignerCertificate")).map((n) => n.getAttribute("VOReference"));
    expect(refs).toEqual(ids);
    expect(Array.from(doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "DigestValue")).map((n) => n.textContent)).toEqual([
      Buffer.from("ab".repeat(32), "hex").toString("base64"),
      Buffer.from("cd".repeat(32), "hex").toString("base64"),
    ]);
  });

  it("escapes markup and drops characters XML cannot carry from values taken from the file", () => {
    const hostile: VerificationReport = { ...report, signatures: [{ ...leader, fieldName: "a</vr:DAIdentifier><x>\u0001\uFFFE" }] };
    const doc = parseXml(Buffer.from(validationReportXml(hostile), "utf8"));
    expect(byTag(doc as never, "DAIdentifier")).toEqual(["a</vr:DAIdentifier><x>"]);
  });
});

describe("PDF report", () => {
  it("parses and states the verdicts and the signers in Vietnamese", async () => {
    const pdf = await reportPdf(report, { fileName: "quyet-dinh.pdf", language: "vi", appVersion: "1.2.3", now: new Date("2026-12-02T01:00:00Z") });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    const dir = await mkdtemp(join(tmpdir(), "kyso-report-"));
    try {
      await writeFile(join(dir, "r.pdf"), pdf);
      const { stdout } = await run("pdftotext", ["-enc", "UTF-8", join(dir, "r.pdf"), "-"]);
      const text = stdout.normalize("NFC");
      expect(text).toContain("Báo cáo kiểm tra chữ ký số");
      expect(text).toContain("Hợp lệ");
      expect(text).toContain("Không hợp lệ");
      expect(text).toContain("Nguyễn Văn An");
      expect(text).toContain("Vietnam National Root CA (Trung tâm Chứng thực điện tử quốc gia)");
      expect(text).toContain("HASH_FAILURE");
      expect(text).toContain("tiếp theo là một chữ ký");
      expect(text).toContain("quyet-dinh.pdf");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("states the verdict in English", async () => {
    const pdf = await reportPdf({ ...report, signatures: [leader], result: { indication: "TOTAL-PASSED", reason: "allSignaturesValid" } }, {
      fileName: "decision.pdf",
      language: "en",
      appVersion: "1.2.3",
      now: new Date("2026-12-02T01:00:00Z"),
    });
    const dir = await mkdtemp(join(tmpdir(), "kyso-report-"));
    try {
      await writeFile(join(dir, "r.pdf"), pdf);
      const { stdout } = await run("pdftotext", ["-enc", "UTF-8", join(dir, "r.pdf"), "-"]);
      expect(stdout).toContain("Signature verification report");
      expect(stdout).toContain("Valid: Every signature in the document is valid.");
      expect(stdout).toContain("followed by a signature");
      expect(stdout).toContain("Vietnam National Root CA");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("report file names", () => {
  it("keep the document's name and only file-system-safe characters", () => {
    expect(reportFileName("Quyết định 12/QĐ.pdf", "pdf")).toBe("Quyết định 12_QĐ.verification.pdf");
    expect(reportFileName("", "xml")).toBe("document.verification.xml");
  });
});
