/**
 * Issue 15 in Chromium: an existing portal's page, written from the vendors' documented call shapes, calls each VGCA
 * Sign Service endpoint and each Viettel-CA SignPlugin function through KySo's adapters; every signing call is
 * approved by clicking in KySo's real approval UI, and the signatures verify independently. A page from an origin
 * the policy does not list gets nothing (its calls fail in the browser) and opens no approval.
 */
import { createHash, createVerify, X509Certificate } from "node:crypto";
import { expect, test } from "@playwright/test";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { VENDOR_PORTAL, xmlsecVerifies } from "../../integration/compat/compat-clients.js";
import { openVendorPortal, signPluginInPage, signPluginV2InPage, vgcaInPage, type VendorPorts } from "../helpers/vendor-portal.js";
import { startE2eCore, type E2eCore } from "./bridge-e2e.js";

const OTHER_PORTAL = "https://hoadon.example.com";

let kyso: E2eCore;
let ports: VendorPorts;

// The adapters' TLS listeners use KySo's local CA, which this fresh browser profile does not trust; the
// NSS-trust path itself is covered by browser-access.spec.ts.
test.use({ ignoreHTTPSErrors: true });
// Each test clicks through up to five approvals in the real UI: more than the default minute on a busy runner.
test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  kyso = await startE2eCore({
    revocationCheck: "off",
    compatibility: { vgca: { origins: [VENDOR_PORTAL] }, signplugin: { origins: [VENDOR_PORTAL] } },
  });
  const { vgca, signpluginHttp, signpluginV2 } = kyso.core.bridge.compatPorts;
  ports = { vgca: vgca!, signpluginHttp: signpluginHttp!, signpluginV2: signpluginV2! };
});
test.afterAll(async () => kyso?.close());

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
  expect(xmlsecVerifies(Buffer.from(String(xmlReply.Signature), "base64").toString("utf8"))).toBe(true);
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
