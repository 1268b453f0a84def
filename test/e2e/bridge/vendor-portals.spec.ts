/**
 * Issue 15 in Chromium: an existing portal's page, written from the vendors' documented call shapes, calls each VGCA
 * Sign Service endpoint and each Viettel-CA SignPlugin function through KySo's adapters; every signing call is
 * approved by clicking in KySo's real approval UI, and the signatures verify independently. A page from an origin
 * the policy does not list gets nothing (its calls fail in the browser) and opens no approval. VGCA's file flows run
 * against a real portal server on 127.0.0.1 (the page's own origin): download, approval, upload, relayed reply.
 */
import { createHash, createVerify, X509Certificate } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { VENDOR_PORTAL, xmlsecVerifies } from "../../integration/compat/compat-clients.js";
import { loadManifest } from "../../fixtures/index.js";
import { pdfsigVerify, runTool } from "../../verifiers/cli-verifiers.js";
import { serveCrls } from "../helpers/crl-server.js";
import { samplePdf } from "../helpers/sample-documents.js";
import { openFilePortal, openVendorPortal, signPluginInPage, signPluginV2InPage, startFilePortal, vgcaInPage, type FilePortal, type VendorPorts } from "../helpers/vendor-portal.js";
import { startE2eCore, type E2eCore } from "./bridge-e2e.js";

const OTHER_PORTAL = "https://hoadon.example.com";

let kyso: E2eCore;
let ports: VendorPorts;
/** The portal whose page runs the VGCA file flows (listed); `elsewhere` is another origin it must never reach. */
let filePortal: FilePortal;
let elsewhere: FilePortal;
let pdf: Uint8Array;
/** Serves the fixture CAs' CRLs where the certificates say, so `Online` verification can reach TOTAL-PASSED. */
let crlServer: Server;
/** Outputs of earlier tests that the verification test checks (the spec's tests run in order, in one worker). */
let signedXml: string | undefined;
const signedPdfs: Buffer[] = [];

// The adapters' TLS listeners use KySo's local CA, which this fresh browser profile does not trust; the
// NSS-trust path itself is covered by browser-access.spec.ts.
test.use({ ignoreHTTPSErrors: true });
// Each test clicks through up to five approvals in the real UI: more than the default minute on a busy runner.
test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  pdf = await samplePdf(2);
  filePortal = await startFilePortal(pdf);
  elsewhere = await startFilePortal(pdf);
  crlServer = await serveCrls();
  kyso = await startE2eCore({
    revocationCheck: "off",
    // The fixture root as a trust anchor: KySo's own signatures then verify TOTAL-PASSED through VerifyMsg/VerifyXML.
    trustAnchors: [await readFile((await loadManifest()).pki.rootPem, "utf8")],
    compatibility: { vgca: { origins: [VENDOR_PORTAL, filePortal.origin] }, signplugin: { origins: [VENDOR_PORTAL] } },
  });
  const { vgca, signpluginHttp, signpluginV2 } = kyso.core.bridge.compatPorts;
  ports = { vgca: vgca!, signpluginHttp: signpluginHttp!, signpluginV2: signpluginV2! };
});
test.afterAll(async () => {
  await kyso?.close();
  await filePortal?.close();
  await elsewhere?.close();
  await new Promise<void>((done) => (crlServer ? crlServer.close(() => done()) : done()));
});

test.beforeEach(async ({ context }) => {
  // A routed https origin is a public site to Chromium: Local Network Access applies, as for a real portal.
  await context.grantPermissions(["local-network-access"], { origin: VENDOR_PORTAL });
  await context.grantPermissions(["local-network-access"], { origin: OTHER_PORTAL });
});

function verifies(certificateBase64: string, data: Buffer, signatureBase64: string): boolean {
  const key = new X509Certificate(Buffer.from(certificateBase64, "base64")).publicKey;
  return createVerify("sha256").update(data).verify(key, Buffer.from(signatureBase64, "base64"));
}

test("VGCA Sign Service from Chromium: GetVersion and GetCertInfo answer; SignMsg, SignHash, SignJson and SignXML are approved in KySo's UI and verify", async ({ page, context }) => {
  await openVendorPortal(page, VENDOR_PORTAL, ports);
  expect(await vgcaInPage(page, "GetVersion", "")).toMatchObject({ Status: 0, Message: "" });
  const info = await vgcaInPage(page, "GetCertInfo", "get_cert_info");
  expect(Object.keys(info).sort()).toEqual(["CertBase64", "Message", "Status"]);
  expect(await kyso.core.handlers["approvals.list"]()).toEqual([]);

  const data = Buffer.from("Hồ sơ số 123", "utf8");
  const message = vgcaInPage(page, "SignMsg", data.toString("base64"));
  const approval = (await kyso.approveInUi(context)) as SignApprovalView;
  expect(approval.origin).toEqual({ origin: VENDOR_PORTAL, trust: "policy" });
  expect(approval.display?.title).toBe("VGCA Sign Service: SignMsg");
  const signed = await message;
  expect(Object.keys(signed).sort()).toEqual(["CertBase64", "Message", "Signature", "Status"]);
  expect(verifies(String(signed.CertBase64), data, String(signed.Signature))).toBe(true);

  const hashed = vgcaInPage(page, "SignHash", createHash("sha256").update("tờ khai").digest("base64"));
  await kyso.approveInUi(context);
  const hashReply = await hashed;
  expect(verifies(String(hashReply.CertBase64), Buffer.from("tờ khai"), String(hashReply.Signature))).toBe(true);

  const json = JSON.stringify({ MaHoSo: "000.00.01.H12-240101-0001", NgayNop: "2024-01-01" });
  const jsonSigned = vgcaInPage(page, "SignJson", json);
  await kyso.approveInUi(context);
  const jsonReply = await jsonSigned;
  expect(verifies(String(jsonReply.CertBase64), Buffer.from(json, "utf8"), String(jsonReply.Signature))).toBe(true);

  const xml = '<?xml version="1.0" encoding="UTF-8"?><HoSo><NoiDung Id="ND">Đơn đề nghị cấp phép</NoiDung></HoSo>';
  const xmlSigned = vgcaInPage(page, "SignXML", JSON.stringify({ Base64Content: Buffer.from(xml).toString("base64"), HashAlg: "Sha256", XmlDsigForm: "true", ReturnSignatureOnly: "false" }));
  await kyso.approveInUi(context);
  const xmlReply = await xmlSigned;
  expect(xmlReply.Status).toBe(0);
  signedXml = Buffer.from(String(xmlReply.Signature), "base64").toString("utf8");
  expect(xmlsecVerifies(signedXml)).toBe(true);
});

test("Viettel-CA SignPlugin v1 from Chromium: session and certificate getters, then signHash, Sign and signXMLData approved in KySo's UI", async ({ page, context }) => {
  await openVendorPortal(page, VENDOR_PORTAL, ports);
  expect(await signPluginInPage(page, "getSession", { dllList: "C:\\evil\\x.dll;viettel-ca_v5.dll" })).toMatch(/^[0-9a-f]{24}$/);
  const certificate = await signPluginInPage(page, "getCertificate");
  expect(new X509Certificate(Buffer.from(certificate, "base64")).subject).toBeTruthy();
  expect(await signPluginInPage(page, "getCertSubject")).not.toBe("");

  const hashed = signPluginInPage(page, "signHash", { HashVal: createHash("sha256").update("hóa đơn 0001").digest("hex"), HashOpt: "2" });
  const approval = (await kyso.approveInUi(context)) as SignApprovalView;
  expect(approval.display?.title).toBe("Viettel-CA SignPlugin: signHash");
  expect(verifies(certificate, Buffer.from("hóa đơn 0001"), await hashed)).toBe(true);

  const data = Buffer.from("Tờ khai 01/GTGT", "utf8");
  const signed = signPluginInPage(page, "Sign", { Data: data.toString("base64") });
  await kyso.approveInUi(context);
  expect(verifies(certificate, data, await signed)).toBe(true);

  const xml = '<?xml version="1.0" encoding="UTF-8"?><TKhai><NoiDung>Kỳ 01/2025</NoiDung></TKhai>';
  const xmlSigned = signPluginInPage(page, "signXMLData", { XmlData: xml });
  await kyso.approveInUi(context);
  expect(xmlsecVerifies(await xmlSigned)).toBe(true);

  // SHA-1 is refused with the plugin's own code, before any approval.
  expect(await signPluginInPage(page, "signHash", { HashVal: createHash("sha1").update("x").digest("hex"), HashOpt: "0" })).toBe("");
  expect(await signPluginInPage(page, "getLastErr")).toBe("6");
  expect(await kyso.core.handlers["approvals.list"]()).toEqual([]);
});

test("Viettel-CA SignPlugin v2 from Chromium: OperationId 1-5 in the base64 envelope; signing approved in KySo's UI", async ({ page, context }) => {
  await openVendorPortal(page, VENDOR_PORTAL, ports);
  expect(await signPluginV2InPage(page, { OperationId: 1 })).toMatchObject({ OperationId: 1, ResponseCode: 0 });
  const certificate = String((await signPluginV2InPage(page, { OperationId: 2 })).Data);
  const hashed = signPluginV2InPage(page, { OperationId: 3, HashVal: createHash("sha256").update("hóa đơn 0002").digest("hex"), HashOpt: 2 });
  await kyso.approveInUi(context);
  const hashReply = await hashed;
  expect(hashReply).toMatchObject({ OperationId: 3, ResponseCode: 0 });
  expect(verifies(certificate, Buffer.from("hóa đơn 0002"), String(hashReply.Data))).toBe(true);
  const data = Buffer.from("Tờ khai 02/GTGT", "utf8");
  const signed = signPluginV2InPage(page, { OperationId: 4, Data: data.toString("base64") });
  await kyso.approveInUi(context);
  expect(verifies(certificate, data, String((await signed).Data))).toBe(true);
  const xml = '<?xml version="1.0" encoding="UTF-8"?><TKhai><NoiDung>Kỳ 02/2025</NoiDung></TKhai>';
  const xmlSigned = signPluginV2InPage(page, { OperationId: 5, XmlData: xml });
  await kyso.approveInUi(context);
  const xmlReply = await xmlSigned;
  expect(xmlReply.ResponseCode).toBe(0);
  expect(xmlsecVerifies(String(xmlReply.Data))).toBe(true);
});

test("a portal the policy does not list: every vendor call fails in the browser and no approval opens", async ({ page }) => {
  await openVendorPortal(page, OTHER_PORTAL, ports);
  await expect(vgcaInPage(page, "SignMsg", Buffer.from("x").toString("base64"))).rejects.toThrow(/socket error/);
  await expect(signPluginInPage(page, "signHash", { HashVal: "00".repeat(32), HashOpt: "2" })).rejects.toThrow(/Failed to fetch/);
  await expect(signPluginV2InPage(page, { OperationId: 2 })).rejects.toThrow(/Failed to fetch/);
  expect(await kyso.core.handlers["approvals.list"]()).toEqual([]);
});

async function pdfsigValid(bytes: Buffer, name: string): Promise<boolean> {
  const file = join(kyso.dataDir, name);
  await writeFile(file, bytes);
  const result = await pdfsigVerify(file);
  return result.signatures.length === 1 && result.signatures.every((s) => s.valid);
}

/** A VGCA file-flow message as the vendor script builds it, every URL on the page's own origin. */
function fileMessage(fields: Record<string, string>): string {
  return JSON.stringify({ FileUploadHandler: `${filePortal.origin}/upload`, FileName: `${filePortal.origin}/vb/to-trinh.pdf`, SessionId: "phien-7", ...fields });
}

test.describe("VGCA file flows from Chromium against a local portal server", () => {
  test.beforeEach(() => {
    for (const portal of [filePortal, elsewhere]) {
      portal.requests.length = 0;
      portal.uploads.length = 0;
    }
  });

  test("SignIssued: KySo downloads the file, shows it in the approval, stamps number and date, uploads `uploadfile`; the page gets the handler's reply", async ({ page, context }) => {
    await openFilePortal(page, filePortal, ports);
    const reply = vgcaInPage(page, "SignIssued", fileMessage({ DocNumber: "123/QĐ-UBND", IssuedDate: "01/12/2026" }));
    const approval = (await kyso.approveInUi(context, {
      async inspect(ui) {
        // The downloaded document is what the user reads before approving: its pages rendered in KySo's window.
        await expect(ui.getByTestId("document-0").locator("canvas.pdf-page")).toHaveCount(2, { timeout: 60_000 });
      },
    })) as SignApprovalView;
    expect(approval.origin).toEqual({ origin: filePortal.origin, trust: "policy" });
    expect(approval.display?.title).toBe("VGCA Sign Service: SignIssued");
    expect(approval.items[0]?.signature).toMatchObject({ format: "pades", reason: "Số: 123/QĐ-UBND, ngày 01/12/2026", stamp: { page: 1 } });
    expect(await reply).toEqual(filePortal.uploadReply);
    expect(filePortal.requests).toEqual(["GET /vb/to-trinh.pdf", "POST /upload"]);
    const [upload] = filePortal.uploads;
    expect(upload).toMatchObject({ fields: ["SessionId", "uploadfile"], fileName: "to-trinh.pdf", sessionId: "phien-7" });
    expect(upload!.bytes.subarray(0, pdf.length).equals(Buffer.from(pdf))).toBe(true);
    expect(await pdfsigValid(upload!.bytes, "issued.pdf")).toBe(true);
  });

  test("SignPDF with an empty FileName: the user chooses the file in KySo's approval page, approves, and the signed file is uploaded", async ({ page, context }) => {
    await openFilePortal(page, filePortal, ports);
    const reply = vgcaInPage(page, "SignPDF", fileMessage({ FileName: "" }));
    const asking = await kyso.provideFileInUi(context, { name: "Tờ trình.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdf) });
    expect(asking.origin).toEqual({ origin: filePortal.origin, trust: "policy" });
    expect(filePortal.requests).toEqual([]); // nothing is fetched: the file came from the user
    const approval = (await kyso.approveInUi(context, {
      inspect: async (ui) => expect(ui.getByTestId("document-0").locator("canvas.pdf-page")).toHaveCount(2, { timeout: 60_000 }),
    })) as SignApprovalView;
    expect(approval.display?.fileName).toBe("Tờ trình.pdf");
    expect(await reply).toEqual(filePortal.uploadReply);
    expect(filePortal.requests).toEqual(["POST /upload"]);
    expect(filePortal.uploads[0]).toMatchObject({ fileName: "Tờ trình.pdf", fields: ["SessionId", "uploadfile"] });
    expect(await pdfsigValid(filePortal.uploads[0]!.bytes, "picked.pdf")).toBe(true);
  });

  test("a FileName on another origin is refused in the vendor's shape: no approval, no request to either server", async ({ page }) => {
    await openFilePortal(page, filePortal, ports);
    const reply = await vgcaInPage(page, "SignPDF", fileMessage({ FileName: `${elsewhere.origin}/vb/to-trinh.pdf` }));
    expect(reply).toEqual({ Status: 6, Message: "FileName is not on the page's origin" });
    expect(await kyso.core.handlers["approvals.list"]()).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
    expect(filePortal.requests).toEqual([]);
  });
  /**
   * The other file endpoints, each as the vendor script sends it: `stamp` is what the approval shows, `preset` the
   * Decree 30 preset recorded in the signed file (none: KySo's plain stamp), `text` what pdftotext finds on the page.
   */
  const FILE_FLOWS: readonly { endpoint: string; fields: Record<string, unknown>; stamp: Record<string, unknown>; preset?: string; text?: RegExp }[] = [
    { endpoint: "SignApproved", fields: {}, stamp: { format: "pades" } },
    { endpoint: "SignIncome", fields: { DocNumber: "88" }, stamp: { format: "pades", stamp: { page: 1 } }, preset: "income", text: /ĐẾN[\s\S]*88/ },
    { endpoint: "SignAppendix", fields: { DocNumber: "45/PL-UBND" }, stamp: { format: "pades", stamp: { page: 1 } }, preset: "appendix", text: /45\/PL-UBND/ },
    {
      endpoint: "SignCopy",
      fields: { MetaData: [{ Key: "Organisation", Value: "UBND xã An Bình" }] },
      stamp: { format: "pades", stamp: { page: 1 } },
      preset: "copy",
      text: /SAO Y[\s\S]*UBND xã An Bình/,
    },
    { endpoint: "Comment", fields: { MetaData: [{ Key: "Comment", Value: "Đồng ý trình ký" }] }, stamp: { format: "pades", reason: "Đồng ý trình ký" } },
  ];

  test("SignApproved, SignIncome, SignAppendix, SignCopy and Comment: each downloads, is approved in KySo's UI, uploads `uploadfile`, relays the reply, and verifies", async ({ page, context }) => {
    await openFilePortal(page, filePortal, ports);
    for (const [index, flow] of FILE_FLOWS.entries()) {
      filePortal.requests.length = 0;
      const reply = vgcaInPage(page, flow.endpoint, JSON.stringify({ FileUploadHandler: `${filePortal.origin}/upload`, FileName: `${filePortal.origin}/vb/to-trinh.pdf`, SessionId: "phien-7", ...flow.fields }));
      const approval = (await kyso.approveInUi(context)) as SignApprovalView;
      expect(approval.display?.title, flow.endpoint).toBe(`VGCA Sign Service: ${flow.endpoint}`);
      expect(approval.items[0]?.signature, flow.endpoint).toMatchObject(flow.stamp);
      expect(await reply, flow.endpoint).toEqual(filePortal.uploadReply);
      expect(filePortal.requests, flow.endpoint).toEqual(["GET /vb/to-trinh.pdf", "POST /upload"]);
      const upload = filePortal.uploads[index]!;
      expect(upload, flow.endpoint).toMatchObject({ fields: ["SessionId", "uploadfile"], fileName: "to-trinh.pdf", sessionId: "phien-7" });
      const file = `${flow.endpoint}.pdf`;
      expect(await pdfsigValid(upload.bytes, file), flow.endpoint).toBe(true);
      const marker = /\/KySo_Preset \/(\w+)/.exec(upload.bytes.toString("latin1"))?.[1];
      expect(marker, flow.endpoint).toBe(flow.preset);
      if (flow.text) expect((await runTool("pdftotext", ["-enc", "UTF-8", join(kyso.dataDir, file), "-"])).stdout, flow.endpoint).toMatch(flow.text);
      signedPdfs.push(upload.bytes);
    }
  });

  test("SignFiles with two files: one approval in KySo's UI, two uploads, the `Files` reply lists both handler replies", async ({ page, context }) => {
    await openFilePortal(page, filePortal, ports);
    const names = [`${filePortal.origin}/vb/to-trinh.pdf`, `${filePortal.origin}/vb/phu-luc.pdf`];
    const reply = vgcaInPage(page, "SignFiles", fileMessage({ FileName: names.join(";") }));
    const approval = (await kyso.approveInUi(context)) as SignApprovalView;
    expect(approval.display?.title).toBe("VGCA Sign Service: SignFiles");
    expect(approval.items).toHaveLength(2);
    expect(await reply).toEqual({ Status: 0, Message: "", Files: [filePortal.uploadReply, filePortal.uploadReply] });
    expect(filePortal.requests).toEqual(["GET /vb/to-trinh.pdf", "GET /vb/phu-luc.pdf", "POST /upload", "POST /upload"]);
    expect(filePortal.uploads.map((u) => u.fileName)).toEqual(["to-trinh.pdf", "phu-luc.pdf"]);
    for (const [index, upload] of filePortal.uploads.entries()) {
      expect(upload.fields).toEqual(["SessionId", "uploadfile"]);
      expect(await pdfsigValid(upload.bytes, `files-${index}.pdf`)).toBe(true);
    }
    expect(await kyso.core.handlers["approvals.list"]()).toEqual([]);
  });

  test("VerifyMsg and VerifyXML check this spec's signed PDF and XML: Status 0 and the documented keys; a tampered copy is Status 7; no approval", async ({ page }) => {
    await openFilePortal(page, filePortal, ports);
    expect(signedPdfs.length).toBeGreaterThan(0);
    expect(signedXml).toBeDefined();
    const pdfBytes = signedPdfs[0]!;
    const passed = await vgcaInPage(page, "VerifyMsg", JSON.stringify({ Base64Content: pdfBytes.toString("base64"), Online: "true" }));
    expect(Object.keys(passed).sort()).toEqual(["Indication", "Message", "Report", "Status"]);
    expect(passed).toMatchObject({ Status: 0, Indication: "TOTAL-PASSED", Report: { format: "pdf", result: { indication: "TOTAL-PASSED" } } });
    const tampered = Buffer.from(pdfBytes);
    const at = tampered.indexOf("stream\n") + 20;
    tampered[at] = tampered[at]! ^ 0xff;
    expect(await vgcaInPage(page, "VerifyMsg", tampered.toString("base64"))).toMatchObject({ Status: 7, Indication: "TOTAL-FAILED" });

    const xml = Buffer.from(signedXml!, "utf8");
    const xmlPassed = await vgcaInPage(page, "VerifyXML", JSON.stringify({ Base64Content: xml.toString("base64"), Online: "true" }));
    expect(xmlPassed).toMatchObject({ Status: 0, Indication: "TOTAL-PASSED", Report: { result: { indication: "TOTAL-PASSED" } } });
    const forged = Buffer.from(signedXml!.replace("Đơn đề nghị cấp phép", "Đơn đề nghị thu hồi"), "utf8");
    expect(await vgcaInPage(page, "VerifyXML", JSON.stringify({ Base64Content: forged.toString("base64") }))).toMatchObject({ Status: 7, Indication: "TOTAL-FAILED" });
    expect(await kyso.core.handlers["approvals.list"]()).toEqual([]);
    expect(filePortal.requests).toEqual([]);
  });
});
